#include "db/diff.h"

#include <algorithm>
#include <utility>

#include "db/expr.h"

namespace edgefn::db {

namespace {

using stmts = std::vector<std::string>;

std::string table_ref(const table_model& t) {
  return t.schema.empty() ? quote_ident(t.name) : quote_ident(t.schema) + "." + quote_ident(t.name);
}

bool is_native_type(std::string_view type) {
  static constexpr std::string_view natives[] = {
      "uuid", "smallint", "integer", "bigint", "boolean", "text", "varchar", "serial", "bigserial",
      "decimal", "numeric", "real", "json", "jsonb", "time", "timestamp", "date", "interval",
      "double precision", "char", "vector", "geometry", "halfvec", "sparsevec", "bit"};
  for (auto n : natives)
    if (type.substr(0, n.size()) == n) return true;
  return false;
}

/// drizzle-kit's parseType: native types as is, others (enums) quoted after `schema_prefix`.
std::string sql_type(const column_model& c, std::string_view schema_prefix) {
  if (is_native_type(c.type)) return c.type;
  return std::string(schema_prefix) + quote_ident(c.type);
}

std::string create_prefix(const column_model& c) {
  return !c.type_schema.empty() && c.type_schema != "public" ? quote_ident(c.type_schema) + "." : "";
}

std::string column_definition(const column_model& c) {
  std::string s = quote_ident(c.name) + " " + sql_type(c, create_prefix(c));
  if (c.primary_key) s += " PRIMARY KEY";
  if (c.default_value) s += " DEFAULT " + *c.default_value;
  if (c.not_null) s += " NOT NULL";
  return s;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "\"" : "\",\"") + n;
  return s + "\"";
}

std::string create_table(const table_model& t) {
  std::string s = "CREATE TABLE " + table_ref(t) + " (\n";
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    s += "\t" + column_definition(t.columns[i]) + (i + 1 < t.columns.size() ? ",\n" : "");
  if (!t.composite_primary_keys.empty()) {
    const auto& pk = t.composite_primary_keys.front();
    s += ",\n\tCONSTRAINT " + quote_ident(pk.name) + " PRIMARY KEY(" + quoted_list(pk.columns) + ")";
  }
  for (const auto& u : t.unique_constraints)
    s += ",\n\tCONSTRAINT " + quote_ident(u.name) + " UNIQUE" +
         (u.nulls_not_distinct ? " NULLS NOT DISTINCT" : "") + "(" + quoted_list(u.columns) + ")";
  for (const auto& c : t.check_constraints) s += ",\n\tCONSTRAINT " + quote_ident(c.name) + " CHECK (" + c.value + ")";
  return s + "\n);\n";
}

std::string create_index(const table_model& t, const index_model& ix) {
  std::string cols;
  for (std::size_t i = 0; i < ix.columns.size(); ++i) {
    const auto& c = ix.columns[i];
    if (i) cols += ',';
    cols += c.is_expression ? c.expression : quote_ident(c.expression);
    if (!c.asc) cols += " DESC";
    if (!(c.asc && c.nulls == "last")) cols += " NULLS " + std::string(c.nulls == "first" ? "FIRST" : "LAST");
  }
  return std::string("CREATE ") + (ix.is_unique ? "UNIQUE INDEX" : "INDEX") +
         (ix.concurrently ? " CONCURRENTLY" : "") + " " + quote_ident(ix.name) + " ON " + table_ref(t) +
         " USING " + ix.method + " (" + cols + ");";
}

std::string create_fk(const table_model& t, const foreign_key_model& fk) {
  std::string from, to;
  for (const auto& c : fk.columns_from) from += (from.empty() ? "" : ",") + quote_ident(c);
  for (const auto& c : fk.columns_to) to += (to.empty() ? "" : ",") + quote_ident(c);
  // drizzle-kit 0.31 squashes a missing schemaTo as "public" and so always names its schema.
  return "ALTER TABLE " + table_ref(t) + " ADD CONSTRAINT " + quote_ident(fk.name) + " FOREIGN KEY (" + from +
         ") REFERENCES \"public\"." + quote_ident(fk.table_to) + "(" + to + ") ON DELETE " + fk.on_delete +
         " ON UPDATE " + fk.on_update + ";";
}

std::string drop_constraint(const table_model& t, const std::string& name) {
  return "ALTER TABLE " + table_ref(t) + " DROP CONSTRAINT " + quote_ident(name) + ";";
}

std::string alter_column(const table_model& t, const column_model& c) {
  return "ALTER TABLE " + table_ref(t) + " ALTER COLUMN " + quote_ident(c.name) + " ";
}

std::string sql_string(std::string_view v) {
  std::string s = "'";
  for (char ch : v) s += ch == '\'' ? std::string("''") : std::string(1, ch);
  return s + "'";
}

std::string enum_ref(const enum_model& e) { return quote_ident(e.schema) + "." + quote_ident(e.name); }

template <class T>
const T* find_named(const std::vector<T>& xs, const std::string& name) {
  for (const auto& x : xs)
    if (x.name == name) return &x;
  return nullptr;
}

bool is_enum(const schema_model& s, const column_model& c) {
  return !c.type_schema.empty() && s.find_enum(c.type) != nullptr;
}

void type_change(stmts& out, const schema_model& prev, const schema_model& cur, const table_model& t,
                 const column_model& was, const column_model& now) {
  const bool old_enum = is_enum(prev, was), new_enum = is_enum(cur, now);
  const std::string head = alter_column(t, now);
  const std::string type = sql_type(now, quote_ident(now.type_schema) + ".");
  const std::string dflt = now.default_value ? *now.default_value : "";
  if (!new_enum) {
    out.push_back(head + "SET DATA TYPE " + type + ";");
    if (!dflt.empty()) out.push_back(head + "SET DEFAULT " + dflt + ";");
  } else if (!old_enum) {
    if (!dflt.empty()) out.push_back(head + "SET DEFAULT " + dflt + "::" + type + ";");
    out.push_back(head + "SET DATA TYPE " + type + " USING " + quote_ident(now.name) + "::" + type + ";");
  } else {
    const std::string alter = head + "SET DATA TYPE " + type + " USING " + quote_ident(now.name) + "::text::" + type + ";";
    if (!dflt.empty()) {
      out.push_back(head + "DROP DEFAULT;");
      out.push_back(alter);
      out.push_back(head + "SET DEFAULT " + dflt + ";");
    } else {
      out.push_back(alter);
    }
  }
}

/// `type` without its array brackets ("mood[]" -> "mood") and the brackets.
std::pair<std::string, std::string> split_array(const std::string& type) {
  const auto at = type.find('[');
  return at == std::string::npos ? std::pair{type, std::string()} : std::pair{type.substr(0, at), type.substr(at)};
}

bool loses_values(const enum_model& was, const enum_model& now) {
  for (const auto& v : was.values)
    if (std::find(now.values.begin(), now.values.end(), v) == now.values.end()) return true;
  return false;
}

/// The enum of `c` when it loses values from `prev` to `cur` (drizzle-kit recreates it), else null.
const enum_model* recreated_enum(const schema_model& prev, const schema_model& cur, const column_model& c) {
  if (c.type_schema.empty()) return nullptr;
  const std::string base = split_array(c.type).first;
  const enum_model *now = cur.find_enum(base), *was = prev.find_enum(base);
  return now && was && now->schema == c.type_schema && loses_values(*was, *now) ? now : nullptr;
}

void column_changes(stmts& out, const schema_model& prev, const schema_model& cur, const table_model& t,
                    const column_model& was, const column_model& now) {
  if (was.type != now.type) type_change(out, prev, cur, t, was, now);
  // A recreated enum's columns get their default back with the type (drizzle-kit drops the
  // separate SET DEFAULT).
  if (now.default_value && now.default_value != was.default_value && !recreated_enum(prev, cur, now))
    out.push_back(alter_column(t, now) + "SET DEFAULT " + *now.default_value + ";");
  if (!now.default_value && was.default_value) out.push_back(alter_column(t, now) + "DROP DEFAULT;");
  if (now.not_null && !was.not_null) out.push_back(alter_column(t, now) + "SET NOT NULL;");
  if (!now.not_null && was.not_null) out.push_back(alter_column(t, now) + "DROP NOT NULL;");
}

/// Statements for one table present in both models, by drizzle-kit phase.
struct table_phases {
  stmts drop_uniques, drop_checks, drop_fks, drop_indexes, drop_changed_indexes, drop_pks, alter, add_pks,
      add_columns, add_fks, add_indexes, add_changed_indexes, drop_columns, add_uniques, add_checks;
};

template <class T, class Drop, class Add>
void changed_set(const std::vector<T>& was, const std::vector<T>& now, Drop drop, Add add) {
  for (const auto& w : was) {
    const T* n = find_named(now, w.name);
    if (!n || !(*n == w)) drop(w);
  }
  for (const auto& n : now) {
    const T* w = find_named(was, n.name);
    if (!w || !(*w == n)) add(n);
  }
}

void alter_table(table_phases& p, const schema_model& prev, const schema_model& cur, const table_model& was,
                 const table_model& now) {
  changed_set(was.unique_constraints, now.unique_constraints,
              [&](const constraint_model& u) { p.drop_uniques.push_back(drop_constraint(now, u.name)); },
              [&](const constraint_model& u) {
                p.add_uniques.push_back("ALTER TABLE " + table_ref(now) + " ADD CONSTRAINT " + quote_ident(u.name) +
                                        " UNIQUE" + (u.nulls_not_distinct ? " NULLS NOT DISTINCT" : "") + "(" +
                                        quoted_list(u.columns) + ");");
              });
  changed_set(was.check_constraints, now.check_constraints,
              [&](const check_model& c) { p.drop_checks.push_back(drop_constraint(now, c.name)); },
              [&](const check_model& c) {
                p.add_checks.push_back("ALTER TABLE " + table_ref(now) + " ADD CONSTRAINT " + quote_ident(c.name) +
                                       " CHECK (" + c.value + ");");
              });
  changed_set(was.foreign_keys, now.foreign_keys,
              [&](const foreign_key_model& fk) { p.drop_fks.push_back(drop_constraint(now, fk.name) + "\n"); },
              [&](const foreign_key_model& fk) { p.add_fks.push_back(create_fk(now, fk)); });
  // drizzle-kit 0.31 drops and creates the indexes that changed after those that came and went.
  for (const auto& w : was.indexes)
    if (const index_model* n = find_named(now.indexes, w.name); !n || !(*n == w))
      (n ? p.drop_changed_indexes : p.drop_indexes).push_back("DROP INDEX " + quote_ident(w.name) + ";");
  for (const auto& n : now.indexes)
    if (const index_model* w = find_named(was.indexes, n.name); !w || !(*w == n))
      (w ? p.add_changed_indexes : p.add_indexes).push_back(create_index(now, n));
  changed_set(was.composite_primary_keys, now.composite_primary_keys,
              [&](const constraint_model& pk) { p.drop_pks.push_back(drop_constraint(now, pk.name)); },
              [&](const constraint_model& pk) {
                p.add_pks.push_back("ALTER TABLE " + table_ref(now) + " ADD CONSTRAINT " + quote_ident(pk.name) +
                                    " PRIMARY KEY(" + quoted_list(pk.columns) + ");");
              });
  for (const auto& c : now.columns) {
    const column_model* w = was.find_column(c.name);
    if (!w) p.add_columns.push_back("ALTER TABLE " + table_ref(now) + " ADD COLUMN " + column_definition(c) + ";");
    else column_changes(p.alter, prev, cur, now, *w, c);
  }
  for (const auto& c : was.columns)
    if (!now.find_column(c.name))
      p.drop_columns.push_back("ALTER TABLE " + table_ref(now) + " DROP COLUMN " + quote_ident(c.name) + ";");
}

std::string create_enum(const enum_model& e) {
  std::string vals;
  for (const auto& v : e.values) vals += (vals.empty() ? "" : ", ") + sql_string(v);
  return "CREATE TYPE " + enum_ref(e) + " AS ENUM(" + vals + ");";
}

/// drizzle-kit 0.31's alter_type_drop_value: Postgres cannot drop an enum value, so every column
/// of the enum (in the current schema) goes to text, the type is dropped and created with the
/// new values, and the columns come back (defaults cast along).
void recreate_enum(stmts& out, const enum_model& e, const schema_model& cur) {
  std::vector<std::pair<const table_model*, const column_model*>> columns;
  for (const auto& t : cur.tables)
    for (const auto& c : t.columns)
      if (c.type_schema == e.schema && split_array(c.type).first == e.name) columns.emplace_back(&t, &c);
  for (const auto& [t, c] : columns) {
    out.push_back(alter_column(*t, *c) + "SET DATA TYPE text;");
    if (c->default_value) out.push_back(alter_column(*t, *c) + "SET DEFAULT " + *c->default_value + "::text;");
  }
  out.push_back("DROP TYPE " + enum_ref(e) + ";");
  out.push_back(create_enum(e));
  for (const auto& [t, c] : columns) {
    const std::string type = enum_ref(e) + split_array(c->type).second;
    if (c->default_value) out.push_back(alter_column(*t, *c) + "SET DEFAULT " + *c->default_value + "::" + type + ";");
    out.push_back(alter_column(*t, *c) + "SET DATA TYPE " + type + " USING " + quote_ident(c->name) + "::" + type + ";");
  }
}

void enum_statements(stmts& create, stmts& add_values, stmts& recreate, stmts& drop, const schema_model& prev,
                     const schema_model& cur) {
  for (const auto& e : cur.enums) {
    const enum_model* w = prev.find_enum(e.name);
    if (!w) {
      create.push_back(create_enum(e));
      continue;
    }
    if (loses_values(*w, e)) {  // the new values come with the recreated type
      recreate_enum(recreate, e, cur);
      continue;
    }
    for (std::size_t i = 0; i < e.values.size(); ++i) {
      bool known = false;
      for (const auto& v : w->values) known = known || v == e.values[i];
      if (known) continue;
      const std::string before = i + 1 < e.values.size() ? " BEFORE '" + e.values[i + 1] + "'" : "";
      add_values.push_back("ALTER TYPE " + enum_ref(e) + " ADD VALUE '" + e.values[i] + "'" + before + ";");
    }
  }
  for (const auto& e : prev.enums)
    if (!cur.find_enum(e.name)) drop.push_back("DROP TYPE " + enum_ref(e) + ";");
}

void append(stmts& out, const stmts& more) { out.insert(out.end(), more.begin(), more.end()); }

}  // namespace

std::vector<std::string> diff(const schema_model& prev, const schema_model& cur, std::span<const std::string> renames) {
  stmts rename_part(renames.begin(), renames.end());
  stmts create_enums, add_values, recreate_enums, drop_enums, create_tables, drop_tables, new_fks, new_indexes;
  enum_statements(create_enums, add_values, recreate_enums, drop_enums, prev, cur);
  table_phases p;
  for (const auto& t : cur.tables) {
    const table_model* was = prev.find_table(t.name);
    if (was) { alter_table(p, prev, cur, *was, t); continue; }
    create_tables.push_back(create_table(t));
    for (const auto& fk : t.foreign_keys) new_fks.push_back(create_fk(t, fk));
    for (const auto& ix : t.indexes) new_indexes.push_back(create_index(t, ix));
  }
  for (const auto& t : prev.tables)
    if (!cur.find_table(t.name)) drop_tables.push_back("DROP TABLE " + table_ref(t) + " CASCADE;");
  stmts out;
  for (const stmts* part : {&create_enums, &add_values, &create_tables, &drop_tables, &rename_part, &p.drop_uniques, &p.drop_checks, &p.drop_fks,
                            &recreate_enums, &p.drop_indexes, &p.drop_changed_indexes, &p.drop_pks, &p.alter, &p.add_pks, &p.add_columns, &new_fks,
                            &new_indexes, &p.add_fks, &p.add_indexes, &p.add_changed_indexes, &p.drop_columns, &p.add_uniques, &p.add_checks, &drop_enums})
    append(out, *part);
  return out;
}

std::string migration_sql(std::span<const std::string> statements, bool breakpoints) {
  std::string out;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (i) out += breakpoints ? "--> statement-breakpoint\n" : "\n";
    out += statements[i];
  }
  return out;
}

}  // namespace edgefn::db
