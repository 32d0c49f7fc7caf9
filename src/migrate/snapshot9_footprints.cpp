// The footprints of format 9 snapshots: what drizzle-kit 1.0's commutativity check
// (PostgresCommutativity.buildFootprint) records for each statement its ddlDiff emits, and for
// idempotent ones a hash of drizzle-kit 1.0's SQL for it.

#include "base/sha256.h"
#include "migrate/snapshot9_rows.h"

namespace edgefn::migrate::s9 {
namespace {

struct footprint {
  std::string type;
  strings target, writes, reads, shared, sql;  // sql: drizzle-kit 1.0's, hashed when idempotent
  bool has_reads = true, has_shared = false, idempotent = false;
};

std::string node(char kind, std::string_view k, const strings& path) {
  return std::string(1, kind) + "|" + std::string(k) + "|" + join(path, ".");
}

strings shared_names(std::string_view k, const strings& p) {
  if (k == "tbl") return {node('n', "rel", p), node('n', "type", p)};
  if (k == "idx") return {node('n', "rel", p)};
  if (k == "enum") return {node('n', "type", p)};
  if (k == "uq") return {node('n', "con", p), node('n', "rel", {p[0], p[2]})};
  if (k == "ck" || k == "fk") return {node('n', "con", p)};
  return {};
}

strings& operator+=(strings& a, const strings& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

strings operator+(strings a, const strings& b) { return a += b; }

strings created_nodes(std::string_view k, const strings& p) {
  strings out{node('s', k, p), node('n', k, p), node('e', k, p)};
  return out += shared_names(k, p);
}

strings under_table(const row& r) { return {node('n', "tbl", {r.schema, r.table}), node('n', "sch", {r.schema})}; }

strings column_refs(char kind, const row& r, const strings& columns) {
  strings out;
  for (const auto& c : columns) out.push_back(node(kind, "col", {r.schema, r.table, c}));
  return out;
}

strings enum_ref(const row& column) {
  if (column.type_schema.empty() || column.type_schema == "pg_catalog") return {};
  return {node('n', "enum", {column.type_schema, column.base_type})};
}

std::string uniqueness(const row& r, strings columns) {
  std::sort(columns.begin(), columns.end());
  strings path{r.schema, r.table};
  return node('e', "uniqueness", path += columns);
}

strings index_uniqueness(const row& ix) {
  const bool plain = std::none_of(ix.index->columns.begin(), ix.index->columns.end(),
                                  [](const auto& c) { return c.is_expression; });
  return ix.unique && plain ? strings{uniqueness(ix, ix.columns)} : strings{};
}

// The columns of `table` a check's SQL names, as drizzle-kit's checkColumns finds them.
strings check_columns(std::string_view value, const std::vector<row>& rows, const row& check) {
  const auto is_column = [&](std::string_view id) {
    return std::any_of(rows.begin(), rows.end(), [&](const row& r) {
      return r.type == "columns" && r.schema == check.schema && r.table == check.table && r.name == id;
    });
  };
  const auto ident = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && ((c >= '0' && c <= '9') || c == '$'));
  };
  strings found;
  for (std::size_t i = 0; i < value.size();) {
    std::string_view id;
    if (const auto close = value.find('"', i + 1); value[i] == '"' && close != std::string_view::npos && close > i + 1) {
      id = value.substr(i + 1, close - i - 1);
      i = close + 1;
    } else if (ident(value[i], true)) {
      std::size_t end = i + 1;
      while (end < value.size() && ident(value[end], false)) ++end;
      id = value.substr(i, end - i);
      i = end;
    } else {
      ++i;
      continue;
    }
    if (is_column(id) && std::find(found.begin(), found.end(), id) == found.end()) found.emplace_back(id);
  }
  return found;
}

// ---- drizzle-kit 1.0's SQL for the idempotent statements (their sqlHash) ----

std::string table_key(const row& r) {
  return r.schema != "public" ? "\"" + r.schema + "\".\"" + r.table + "\"" : "\"" + r.table + "\"";
}

std::string quoted_list(const strings& xs) { return "\"" + join(xs, "\",\"") + "\""; }

std::string drop_constraint_sql(const row& r) { return "ALTER TABLE " + table_key(r) + " DROP CONSTRAINT \"" + r.name + "\";"; }

std::string drop_index_sql(const row& ix) {
  return "DROP INDEX " + (ix.schema != "public" ? "\"" + ix.schema + "\"." : std::string()) + "\"" + ix.name + "\";";
}

std::string create_index_sql(const row& ix) {
  std::string cols;
  for (const auto& c : ix.index->columns) {
    if (!cols.empty()) cols += ',';
    cols += c.is_expression ? c.expression : "\"" + c.expression + "\"";
    const bool first = c.nulls == "first";
    if (!c.asc) cols += " DESC";
    if (!((c.asc && !first) || (!c.asc && first))) cols += first ? " NULLS FIRST" : " NULLS LAST";
  }
  return std::string("CREATE ") + (ix.unique ? "UNIQUE INDEX" : "INDEX") + (ix.index->concurrently ? " CONCURRENTLY" : "") +
         " \"" + ix.name + "\" ON " + table_key(ix) + (ix.index->method != "btree" ? " USING " + ix.index->method : "") +
         " (" + cols + ");";
}

std::string add_pk_sql(const row& pk) {
  if (!pk.name_explicit) return "ALTER TABLE " + table_key(pk) + " ADD PRIMARY KEY (" + quoted_list(pk.columns) + ");";
  return "ALTER TABLE " + table_key(pk) + " ADD CONSTRAINT \"" + pk.name + "\" PRIMARY KEY(" + quoted_list(pk.columns) + ");";
}

std::string add_unique_sql(const row& u) {
  return "ALTER TABLE " + table_key(u) + " ADD CONSTRAINT \"" + u.name + "\" UNIQUE" +
         (u.nulls_not_distinct ? " NULLS NOT DISTINCT" : "") + "(" + quoted_list(u.columns) + ");";
}

std::string recreate_fk_sql(const row& fk) {
  const std::string to = fk.schema_to != "public" ? "\"" + fk.schema_to + "\".\"" + fk.table_to + "\"" : "\"" + fk.table_to + "\"";
  return "ALTER TABLE " + table_key(fk) + " DROP CONSTRAINT \"" + fk.name + "\", ADD CONSTRAINT \"" + fk.name +
         "\" FOREIGN KEY (" + join([&] { strings q; for (const auto& c : fk.columns) q.push_back("\"" + c + "\""); return q; }(), ",") +
         ") REFERENCES " + to + "(" + join([&] { strings q; for (const auto& c : fk.columns_to) q.push_back("\"" + c + "\""); return q; }(), ",") +
         ")" + (fk.on_delete != "NO ACTION" ? " ON DELETE " + fk.on_delete : "") +
         (fk.on_update != "NO ACTION" ? " ON UPDATE " + fk.on_update : "") + ";";
}

std::string recreate_check_sql(const row& ck) {
  return "ALTER TABLE " + table_key(ck) + " DROP CONSTRAINT \"" + ck.name + "\", ADD CONSTRAINT \"" + ck.name +
         "\" CHECK (" + ck.value + ");";
}

bool is_serial(std::string_view t) { return t == "serial" || t == "bigserial" || t == "smallserial"; }

std::string serial_int(std::string_view t) { return t == "smallserial" ? "smallint" : t == "serial" ? "int" : "bigint"; }

std::string brackets(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "[]";
  return s;
}

std::string default_sql(const row& c) {
  const std::string v = c.column->default_value.value_or("");
  if (!c.type_schema.empty())
    return v + "::" + (c.type_schema != "public" ? "\"" + c.type_schema + "\"." : "") + "\"" + c.base_type + "\"" +
           (c.dimensions > 0 ? "[]" : "");
  return v + (c.dimensions > 0 ? "::" + c.base_type + "[]" : "");
}

bool has_enum(const std::vector<row>& rows, const std::string& schema, const std::string& name) {
  return std::any_of(rows.begin(), rows.end(), [&](const row& r) { return r.type == "enums" && r.schema == schema && r.name == name; });
}

// The statement list of one ddlDiff, built group by group in drizzle-kit's push order.
struct planner {
  const std::vector<row>& prev;
  const std::vector<row>& cur;
  std::vector<change> created, dropped, altered;
  std::vector<footprint> out;

  bool table_created(const row& r) const { return has_table(created, r); }
  bool table_dropped(const row& r) const { return has_table(dropped, r); }
  static bool has_table(const std::vector<change>& cs, const row& r) {
    return std::any_of(cs.begin(), cs.end(), [&](const change& c) {
      const row& t = c.to ? *c.to : *c.from;
      return t.type == "tables" && t.schema == r.schema && t.name == r.table;
    });
  }
  bool column_dropped(const row& r, const std::string& name) const {
    return std::any_of(dropped.begin(), dropped.end(), [&](const change& c) {
      return c.from->type == "columns" && c.from->schema == r.schema && c.from->table == r.table && c.from->name == name;
    });
  }

  footprint& add(std::string type, const row& r, strings writes, strings reads) {
    strings target;
    if (type.ends_with("enum")) target = {"enum", r.schema, r.name};
    else if (type.ends_with("table")) target = {"table", r.schema, r.name};
    else if (type.ends_with("column")) target = {"column", r.schema, r.table, r.name};
    else if (type.ends_with("index")) target = {"index", r.schema, r.table, r.name};
    else target = {"table", r.schema, r.table};
    out.push_back({std::move(type), std::move(target), std::move(writes), std::move(reads), {}, {}});
    return out.back();
  }
  void shared(strings s) {
    out.back().shared = std::move(s);
    out.back().has_shared = true;
  }
  void hash(strings sql) {
    out.back().sql = std::move(sql);
    out.back().idempotent = true;
  }

  template <class F>
  void each(const std::vector<change>& cs, std::string_view type, F f) {
    for (const auto& c : cs)
      if ((c.to ? c.to : c.from)->type == type) f(c);
  }

  void enums_and_tables() {
    each(created, "enums", [&](const change& c) {
      add("create_enum", *c.to, created_of("enum", *c.to), {node('n', "sch", {c.to->schema})});
    });
    each(altered, "enums", [&](const change& c) {
      if (loses_values(c)) return;  // recreate_enum, later
      add("alter_enum", *c.to, {node('s', "enum", {c.to->schema, c.to->name})}, {node('n', "sch", {c.to->schema})});
    });
    each(created, "tables", [&](const change& c) {
      const row& t = *c.to;
      strings writes = created_of("tbl", t), reads{node('n', "sch", {t.schema})};
      for (const auto& r : cur) {
        const bool mine = r.schema == t.schema && r.table == t.name;
        if (mine && r.type == "pks") writes.push_back(node('n', "rel", {t.schema, r.name}));
      }
      for (const auto& r : cur)
        if (r.schema == t.schema && r.table == t.name && r.type == "uniques") writes.push_back(node('n', "rel", {t.schema, r.name}));
      for (const auto& r : cur)
        if (r.schema == t.schema && r.table == t.name && r.type == "columns") reads += enum_ref(r);
      add("create_table", t, std::move(writes), std::move(reads));
    });
  }
  static strings created_of(std::string_view k, const row& r) { return created_nodes(k, {r.schema, r.name}); }

  // drizzle-kit 1.0 renames tables after creating tables and columns after dropping them.
  void rename_tables(const std::vector<renamed>& renames) {
    for (const auto& r : renames) {
      if (!r.table.empty()) continue;
      const strings from{r.schema, r.from}, to{r.schema, r.to};
      strings writes = strings{node('s', "tbl", from), node('n', "tbl", from)} + shared_names("tbl", from);
      writes += strings{node('s', "tbl", to), node('n', "tbl", to)} + shared_names("tbl", to);
      out.push_back({"rename_table", {"table", r.schema, r.from}, std::move(writes), {node('n', "sch", {r.schema})}, {}, {}});
    }
  }
  void rename_columns(const std::vector<renamed>& renames) {
    for (const auto& r : renames) {
      if (r.table.empty()) continue;
      const strings from{r.schema, r.table, r.from}, to{r.schema, r.table, r.to};
      out.push_back({"rename_column", {"column", r.schema, r.table, r.from},
                     {node('s', "col", from), node('n', "col", from), node('s', "col", to), node('n', "col", to)},
                     {node('n', "tbl", {r.schema, r.table}), node('n', "sch", {r.schema})}, {}, {}});
    }
  }

  void drops(const std::vector<renamed>& renames) {
    each(dropped, "fks", [&](const change& c) {
      const row& fk = *c.from;
      const bool from_dropped = table_dropped(fk);
      const bool to_dropped = fk.table != fk.table_to && std::any_of(dropped.begin(), dropped.end(), [&](const change& d) {
        return d.from->type == "tables" && d.from->schema == fk.schema_to && d.from->name == fk.table_to;
      });
      if (from_dropped && !to_dropped) return;
      add("drop_fk", fk, created_nodes("fk", {fk.schema, fk.table, fk.name}), under_table(fk) + column_refs('e', fk, fk.columns));
    });
    each(dropped, "tables", [&](const change& c) {
      add("drop_table", *c.from, created_of("tbl", *c.from), {node('n', "sch", {c.from->schema})});
    });
    rename_columns(renames);
    each(dropped, "uniques", [&](const change& c) {
      const row& u = *c.from;
      if (table_dropped(u)) return;
      add("drop_unique", u, created_nodes("uq", {u.schema, u.table, u.name}), under_table(u) + column_refs('e', u, u.columns));
      shared({uniqueness(u, u.columns)});
    });
    each(dropped, "checks", [&](const change& c) {
      const row& ck = *c.from;
      if (table_dropped(ck)) return;
      add("drop_check", ck, created_nodes("ck", {ck.schema, ck.table, ck.name}),
          under_table(ck) + column_refs('e', ck, check_columns(ck.value, prev, ck)));
    });
    each(dropped, "indexes", [&](const change& c) {
      const row& ix = *c.from;
      if (table_dropped(ix)) return;
      strings key = index_uniqueness(ix);
      strings reads = key.empty() ? strings{node('e', "tbl", {ix.schema, ix.table}), node('n', "sch", {ix.schema})} : under_table(ix);
      add("drop_index", ix, created_of("idx", ix), reads += column_refs('e', ix, ix.columns));
      shared(std::move(key));
    });
    each(dropped, "pks", [&](const change& c) {
      const row& pk = *c.from;
      if (table_dropped(pk)) return;
      add("drop_pk", pk, created_nodes("pk", {pk.schema, pk.table}) + shared_names("uq", {pk.schema, pk.table, pk.name}),
          under_table(pk) + column_refs('e', pk, pk.columns));
      shared({uniqueness(pk, pk.columns)});
    });
  }

  void columns() {
    each(created, "columns", [&](const change& c) {
      const row& col = *c.to;
      if (table_created(col)) return;
      add("add_column", col, created_nodes("col", {col.schema, col.table, col.name}), under_table(col) + enum_ref(col));
    });
    each(created, "pks", [&](const change& c) {
      const row& pk = *c.to;
      if (table_created(pk)) return;
      add("add_pk", pk, created_nodes("pk", {pk.schema, pk.table}) + shared_names("uq", {pk.schema, pk.table, pk.name}),
          under_table(pk) + column_refs('n', pk, pk.columns));
    });
    each(altered, "enums", [&](const change& c) {
      if (loses_values(c)) recreate_enum(*c.to);
    });
    each(dropped, "columns", [&](const change& c) {
      const row& col = *c.from;
      if (table_dropped(col)) return;
      add("drop_column", col, created_nodes("col", {col.schema, col.table, col.name}), under_table(col));
    });
    each(altered, "pks", [&](const change& c) {
      if (!changed(c, "columns")) return;
      const row& pk = *c.to;
      bool deleted = false;
      for (const auto& d : dropped)
        if (d.from->type == "columns")
          deleted = deleted || std::find(c.from->columns.begin(), c.from->columns.end(), d.from->name) != c.from->columns.end();
      add("alter_pk", pk, {node('s', "pk", {pk.schema, pk.table})}, under_table(pk) + column_refs('n', pk, pk.columns));
      shared({uniqueness(pk, c.from->columns)});
      if (!deleted) hash({drop_constraint_sql(pk), add_pk_sql(pk)});
    });
    each(altered, "columns", [&](const change& c) { alter_column(c); });
  }

  static bool loses_values(const change& c) {
    return std::any_of(c.from->values.begin(), c.from->values.end(), [&](const std::string& v) {
      return std::find(c.to->values.begin(), c.to->values.end(), v) == c.to->values.end();
    });
  }

  // The previous state's columns of `e` still in the current one: (before, after).
  std::vector<std::pair<const row*, const row*>> enum_columns(const row& e) const {
    std::vector<std::pair<const row*, const row*>> found;
    for (const auto& was : prev) {
      if (was.type != "columns" || was.base_type != e.name || was.type_schema != e.schema) continue;
      for (const auto& now : cur)
        if (now.type == "columns" && now.schema == was.schema && now.table == was.table && now.name == was.name)
          found.emplace_back(&was, &now);
    }
    return found;
  }
  bool in_recreated_enum(const row& column) const {
    for (const auto& c : altered)
      if (c.to->type == "enums" && loses_values(c))
        for (const auto& [was, now] : enum_columns(*c.to))
          if (now == &column) return true;
    return false;
  }

  // drizzle-kit 1.0's recreate_enum (values removed): its columns through text and back.
  void recreate_enum(const row& e) {
    const auto columns = enum_columns(e);
    strings writes = created_of("enum", e), reads{node('n', "sch", {e.schema})}, sql;
    for (const auto& [was, now] : columns) {
      for (const char* p : {"type", "default"}) writes.push_back(node('s', "colprop", {now->schema, now->table, now->name, p}));
      reads += under_table(*now);
      reads.push_back(node('n', "col", {now->schema, now->table, now->name}));
    }
    const std::string type = (e.schema != "public" ? "\"" + e.schema + "\"." : std::string()) + "\"" + e.name + "\"";
    const auto prefix = [](const row& c) { return "ALTER TABLE " + table_key(c) + " ALTER COLUMN \"" + c.name + "\" "; };
    for (const auto& [was, now] : columns) {
      sql.push_back(prefix(*now) + "SET DATA TYPE text" + brackets(was->dimensions) + ";");
      if (was->column->default_value) sql.push_back(prefix(*now) + "DROP DEFAULT;");
    }
    std::string values;
    for (const auto& v : e.values) values += (values.empty() ? "'" : ", '") + v + "'";
    sql.push_back("DROP TYPE " + type + ";");
    sql.push_back("CREATE TYPE " + type + " AS ENUM(" + values + ");");
    for (const auto& [was, now] : columns) {
      const std::string t = type + brackets(was->dimensions);
      sql.push_back(prefix(*now) + "SET DATA TYPE " + t + " USING \"" + now->name + "\"::" + t + ";");
      if (now->column->default_value) sql.push_back(prefix(*now) + "SET DEFAULT " + default_sql(*now) + ";");
    }
    add("recreate_enum", e, std::move(writes), std::move(reads));
    hash(std::move(sql));
  }

  void alter_column(const change& c) {
    const row &from = *c.from, &to = *c.to;
    strings f = c.fields;
    const auto drop = [&](std::string_view k) { f.erase(std::remove(f.begin(), f.end(), k), f.end()); };
    const auto has = [&](std::string_view k) { return std::find(f.begin(), f.end(), k) != f.end(); };
    if (in_recreated_enum(to)) drop("default");  // recreate_enum sets it
    const std::string dfrom = from.column->default_value.value_or(""), dto = to.column->default_value.value_or("");
    if (!has("type") && has("default") && from.column->default_value && to.column->default_value &&
        (dfrom == "(" + dto + ")" || dto == "(" + dfrom + ")"))
      drop("default");
    if (has("type")) {
      const auto replaced = [](std::string s, std::string_view a, std::string_view b) {
        if (auto at = s.find(a); at != std::string::npos) s.replace(at, a.size(), b);
        return s;
      };
      if (from.base_type == replaced(to.base_type, "numeric", "decimal") || to.base_type == replaced(from.base_type, "numeric", "decimal") ||
          replaced(from.base_type, ",0)", ")") == to.base_type)
        drop("type");
    }
    if (!has("type") && has("typeSchema") && (from.type_schema.empty() || to.type_schema.empty())) drop("typeSchema");
    if (has("notNull") && std::any_of(cur.begin(), cur.end(), [&](const row& r) {
          return r.type == "pks" && r.schema == to.schema && r.table == to.table &&
                 std::find(r.columns.begin(), r.columns.end(), to.name) != r.columns.end();
        }))
      drop("notNull");
    if (f.empty()) return;
    const bool new_type = has("type") || has("typeSchema") || has("dimensions");
    strings props;
    const auto prop = [&](std::string p) {
      if (std::find(props.begin(), props.end(), p) == props.end()) props.push_back(std::move(p));
    };
    if (has("notNull")) prop("notNull");
    if (has("default")) prop("default");
    if (new_type) prop("type"), prop("default");
    strings writes;
    for (const auto& p : props) writes.push_back(node('s', "colprop", {to.schema, to.table, to.name, p}));
    strings reads = under_table(to);
    reads.push_back(node('n', "col", {to.schema, to.table, to.name}));
    if (has("default") || new_type) reads += enum_ref(to);
    add("alter_column", to, std::move(writes), std::move(reads));
    const bool drops_sequence = is_serial(from.base_type) && !is_serial(to.base_type);
    const bool to_serial = !is_serial(from.base_type) && is_serial(to.base_type);
    const bool array_conversion = has("dimensions") && (from.dimensions == 0 || to.dimensions == 0);
    if (!drops_sequence && !to_serial && !array_conversion) hash(alter_column_sql(from, to, f));
  }

  strings alter_column_sql(const row& from, const row& to, const strings& f) const {
    const auto has = [&](std::string_view k) { return std::find(f.begin(), f.end(), k) != f.end(); };
    const std::string prefix = "ALTER TABLE " + table_key(to) + " ALTER COLUMN \"" + to.name + "\" ";
    const bool new_type = has("type") || has("typeSchema") || has("dimensions");
    const bool is_enum = has_enum(cur, to.type_schema.empty() ? "public" : to.type_schema, to.base_type);
    const bool was_enum = new_type && has_enum(prev, from.type_schema.empty() ? "public" : from.type_schema, from.base_type);
    const bool recreate_default = new_type && (is_enum || was_enum || has("dimensions")) && from.column->default_value;
    strings sql;
    if (recreate_default) sql.push_back(prefix + "DROP DEFAULT;");
    if (new_type) {
      const std::string schema = !to.type_schema.empty() && to.type_schema != "public" ? "\"" + to.type_schema + "\"." : "";
      const bool serial = is_serial(to.base_type);
      const std::string plain = serial ? serial_int(to.base_type) : to.base_type;
      const std::string suffix = is_enum ? " USING \"" + to.name + "\"::" + (was_enum ? "text::" : "") + schema + "\"" + to.base_type + "\"" + brackets(to.dimensions)
                                         : " USING \"" + to.name + "\"::" + plain + brackets(to.dimensions);
      const std::string type = !schema.empty() ? schema + "\"" + to.base_type + "\"" : is_enum ? "\"" + to.base_type + "\"" : plain;
      sql.push_back(prefix + "SET DATA TYPE " + type + brackets(to.dimensions) + suffix + ";");
      if (recreate_default && to.column->default_value) sql.push_back(prefix + "SET DEFAULT " + default_sql(to) + ";");
    }
    if (has("default") && !recreate_default)
      sql.push_back(to.column->default_value ? prefix + "SET DEFAULT " + default_sql(to) + ";" : prefix + "DROP DEFAULT;");
    if (has("notNull")) sql.push_back(prefix + (to.column->not_null ? "SET NOT NULL;" : "DROP NOT NULL;"));
    return sql;
  }

  void indexes_and_constraints() {
    std::vector<const row*> create_indexes;
    each(created, "indexes", [&](const change& c) { create_indexes.push_back(c.to); });
    each(altered, "indexes", [&](const change& c) {
      if (changed(c, "table")) return;
      if (!(changed(c, "isUnique") || changed(c, "method") || changed(c, "with") || changed(c, "columns") || changed(c, "where"))) return;
      const row& ix = *c.to;
      const bool lost_column = std::any_of(c.from->columns.begin(), c.from->columns.end(),
                                           [&](const std::string& col) { return column_dropped(ix, col); });
      if (lost_column) {
        create_indexes.push_back(&ix);
        return;
      }
      add("recreate_index", ix, created_of("idx", ix), under_table(ix) + column_refs('n', ix, ix.columns));
      shared(index_uniqueness(*c.from));
      hash({drop_index_sql(ix), create_index_sql(ix)});
    });
    each(created, "uniques", [&](const change& c) {
      const row& u = *c.to;
      if (table_created(u)) return;
      add("add_unique", u, created_nodes("uq", {u.schema, u.table, u.name}), under_table(u) + column_refs('n', u, u.columns));
    });
    each(altered, "uniques", [&](const change& c) {
      if (c.fields.size() == 1 && c.fields.front() == "nameExplicit") return;
      const row &u = *c.to, &was = *c.from;
      add("alter_unique", u, {node('s', "uq", {u.schema, u.table, u.name})},
          under_table(u) + column_refs('n', u, u.columns) + column_refs('e', u, was.columns));
      shared({uniqueness(u, was.columns)});
      hash({drop_constraint_sql(was), add_unique_sql(u)});
    });
    for (const row* ix : create_indexes)
      add("create_index", *ix, created_of("idx", *ix), under_table(*ix) + column_refs('n', *ix, ix->columns));
    each(created, "fks", [&](const change& c) { fk_statement("create_fk", *c.to); });
    each(altered, "fks", [&](const change& c) {
      if (c.fields.size() == 1 && c.fields.front() == "nameExplicit") return;
      fk_statement("recreate_fk", *c.to);
      hash({recreate_fk_sql(*c.to)});
    });
    each(created, "checks", [&](const change& c) {
      const row& ck = *c.to;
      if (table_created(ck)) return;
      add("add_check", ck, created_nodes("ck", {ck.schema, ck.table, ck.name}),
          under_table(ck) + column_refs('n', ck, check_columns(ck.value, cur, ck)));
    });
    each(altered, "checks", [&](const change& c) {
      if (!changed(c, "value")) return;
      const row& ck = *c.to;
      add("alter_check", ck, {node('s', "ck", {ck.schema, ck.table, ck.name})},
          under_table(ck) + column_refs('n', ck, check_columns(ck.value, cur, ck)) +
          column_refs('e', ck, check_columns(c.from->value, cur, ck)));
      hash({recreate_check_sql(ck)});
    });
    each(dropped, "enums", [&](const change& c) {
      add("drop_enum", *c.from, created_of("enum", *c.from), {node('n', "sch", {c.from->schema})});
    });
  }

  void fk_statement(std::string type, const row& fk) {
    strings reads = under_table(fk);
    reads.push_back(node('n', "tbl", {fk.schema_to, fk.table_to}));
    reads.push_back(node('n', "sch", {fk.schema_to}));
    reads += column_refs('n', fk, fk.columns);
    for (const auto& c : fk.columns_to) reads.push_back(node('n', "col", {fk.schema_to, fk.table_to, c}));
    row target = fk;
    target.schema = fk.schema_to, target.table = fk.table_to;
    reads.push_back(uniqueness(target, fk.columns_to));
    add(std::move(type), fk, created_nodes("fk", {fk.schema, fk.table, fk.name}), std::move(reads));
  }
};

jv footprint_json(const footprint& f) {
  jv o;
  o.add("statementType", jv::str(f.type)).add("statementTarget", jv::strings(f.target)).add("writes", jv::strings(f.writes));
  if (f.has_reads) o.add("reads", jv::strings(f.reads));
  if (f.has_shared) o.add("sharedWrites", jv::strings(f.shared));
  if (f.idempotent) o.add("sqlHash", jv::str(sha256_hex(join(f.sql, "\n")).substr(0, 16)));
  return o;
}

}  // namespace

jv footprints_json(const std::vector<row>& prev, const std::vector<row>& cur, const std::vector<change>& changes,
                   const std::vector<renamed>& renames) {
  planner p{prev, cur, {}, {}, {}, {}};
  for (const auto& c : changes) (!c.from ? p.created : !c.to ? p.dropped : p.altered).push_back(c);
  p.enums_and_tables();
  p.rename_tables(renames);
  p.drops(renames);
  p.columns();
  p.indexes_and_constraints();
  jv out = jv::array();
  for (const auto& f : p.out) out.push(footprint_json(f));
  return out;
}

}  // namespace edgefn::migrate::s9
