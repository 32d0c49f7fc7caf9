#include "migrate/snapshot9_write.h"

#include "base/json_writer.h"
#include "db/snapshot.h"
#include "migrate/snapshot9_rows.h"

namespace edgefn::migrate {
namespace {

using namespace s9;

std::string schema_of(const db::table_model& t) { return t.schema.empty() ? "public" : t.schema; }

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

jv str_or_null(const std::string& s) { return s.empty() ? jv::null() : jv::str(s); }

row child(std::string type, const db::table_model& t, std::string name) {
  row r;
  r.type = std::move(type);
  r.schema = schema_of(t);
  r.table = t.name;
  r.name = std::move(name);
  r.owner = &t;
  r.fields.add("schema", jv::str(r.schema)).add("table", jv::str(r.table)).add("name", jv::str(r.name));
  return r;
}

row column_row(const db::table_model& t, const db::column_model& c) {
  row r = child("columns", t, c.name);
  r.column = &c;
  r.base_type = c.type;
  while (r.base_type.ends_with("[]")) {
    r.base_type.resize(r.base_type.size() - 2);
    ++r.dimensions;
  }
  if (r.base_type.starts_with("numeric("))  // format 9 writes "numeric(10,2)", format 7 "numeric(10, 2)"
    if (auto sep = r.base_type.find(", "); sep != std::string::npos) r.base_type.erase(sep + 1, 1);
  r.type_schema = c.type_schema;
  r.fields.add("type", jv::str(r.base_type)).add("typeSchema", str_or_null(r.type_schema));
  r.fields.add("notNull", jv::boolean(c.not_null)).add("dimensions", jv::raw(json::decimal(r.dimensions)));
  r.fields.add("default", c.default_value ? jv::str(*c.default_value) : jv::null());
  r.fields.add("generated", jv::null()).add("identity", jv::null());
  return r;
}

row index_row(const db::table_model& t, const db::index_model& ix) {
  row r = child("indexes", t, ix.name);
  r.index = &ix;
  r.unique = ix.is_unique;
  jv cols = jv::array();
  for (const auto& c : ix.columns) {
    cols.push(jv{}.add("value", jv::str(c.expression)).add("isExpression", jv::boolean(c.is_expression))
                  .add("asc", jv::boolean(c.asc)).add("nullsFirst", jv::boolean(c.nulls == "first"))
                  .add("opclass", jv::null()));
    if (!c.is_expression) r.columns.push_back(c.expression);
  }
  // A name is implicit when it is drizzle's default: 1.0's <table>_<columns>_idx or 0.x's _index.
  const std::string generated = t.name + "_" + join(r.columns, "_");
  r.name_explicit = ix.name_explicit.value_or(r.columns.size() != ix.columns.size() ||
                                              (ix.name != generated + "_idx" && ix.name != generated + "_index"));
  r.fields.add("nameExplicit", jv::boolean(r.name_explicit)).add("columns", std::move(cols));
  r.fields.add("isUnique", jv::boolean(ix.is_unique)).add("where", jv::null()).add("with", jv::str(""));
  r.fields.add("method", jv::str(ix.method)).add("concurrently", jv::boolean(ix.concurrently));
  return r;
}

row fk_row(const db::schema_model& m, const db::table_model& t, const db::foreign_key_model& fk) {
  row r = child("fks", t, fk.name);
  r.columns = fk.columns_from;
  r.columns_to = fk.columns_to;
  r.table_to = fk.table_to;
  const db::table_model* to = m.find_table(fk.table_to);
  r.schema_to = to ? schema_of(*to) : "public";
  r.on_delete = upper(fk.on_delete);
  r.on_update = upper(fk.on_update);
  // drizzle's default name: <table>_<columns>_<tableTo>_<columnsTo>_fkey (1.0) or _fk (0.x)
  const std::string generated = t.name + "_" + join(r.columns, "_") + "_" + r.table_to + "_" + join(r.columns_to, "_");
  r.name_explicit = fk.name_explicit.value_or(fk.name != generated + "_fkey" && fk.name != generated + "_fk");
  r.fields.add("nameExplicit", jv::boolean(r.name_explicit)).add("columns", jv::strings(r.columns));
  r.fields.add("schemaTo", jv::str(r.schema_to)).add("tableTo", jv::str(r.table_to));
  r.fields.add("columnsTo", jv::strings(r.columns_to)).add("onUpdate", jv::str(r.on_update));
  r.fields.add("onDelete", jv::str(r.on_delete));
  return r;
}

row pk_row(const db::table_model& t, std::string name, strings columns, std::optional<bool> name_explicit) {
  row r = child("pks", t, std::move(name));
  r.columns = std::move(columns);
  r.name_explicit = name_explicit.value_or(r.name != t.name + "_pkey" &&
                                           r.name != t.name + "_" + join(r.columns, "_") + "_pk");  // 1.0, 0.x defaults
  r.fields.add("columns", jv::strings(r.columns)).add("nameExplicit", jv::boolean(r.name_explicit));
  return r;
}

row unique_row(const db::table_model& t, const db::constraint_model& u) {
  row r = child("uniques", t, u.name);
  r.columns = u.columns;
  r.nulls_not_distinct = u.nulls_not_distinct;
  const std::string generated = t.name + "_" + join(u.columns, "_");
  r.name_explicit = u.name_explicit.value_or(u.name != generated + "_key" && u.name != generated + "_unique");  // 1.0, 0.x defaults
  r.fields.add("nameExplicit", jv::boolean(r.name_explicit)).add("columns", jv::strings(r.columns));
  r.fields.add("nullsNotDistinct", jv::boolean(u.nulls_not_distinct));
  return r;
}

row check_row(const db::table_model& t, const db::check_model& c) {
  row r = child("checks", t, c.name);
  r.value = c.value;
  r.fields.add("value", jv::str(c.value));
  return r;
}

// The entities in drizzle-kit's list order: by entity type, then as the schema declares them.
std::vector<row> rows_of(const db::schema_model& m) {
  std::vector<row> rows;
  for (const auto& t : m.tables) {
    row r;
    r.type = "tables", r.schema = schema_of(t), r.name = t.name, r.owner = &t;
    r.fields.add("schema", jv::str(r.schema)).add("name", jv::str(r.name)).add("isRlsEnabled", jv::boolean(false));
    rows.push_back(std::move(r));
  }
  for (const auto& e : m.enums) {
    row r;
    r.type = "enums", r.schema = e.schema, r.name = e.name, r.values = e.values;
    r.fields.add("schema", jv::str(e.schema)).add("name", jv::str(e.name)).add("values", jv::strings(e.values));
    rows.push_back(std::move(r));
  }
  for (const auto& t : m.tables)
    for (const auto& c : t.columns) rows.push_back(column_row(t, c));
  for (const auto& t : m.tables)
    for (const auto& ix : t.indexes) rows.push_back(index_row(t, ix));
  for (const auto& t : m.tables)
    for (const auto& fk : t.foreign_keys) rows.push_back(fk_row(m, t, fk));
  // Table-level keys first, then the columns' `primaryKey` flags (named <table>_pkey), as
  // drizzle-kit's schema reader pushes them.
  for (const auto& t : m.tables)
    for (const auto& pk : t.composite_primary_keys) rows.push_back(pk_row(t, pk.name, pk.columns, pk.name_explicit));
  for (const auto& t : m.tables) {
    strings key;
    for (const auto& c : t.columns)
      if (c.primary_key) key.push_back(c.name);
    if (!key.empty()) rows.push_back(pk_row(t, t.name + "_pkey", std::move(key), std::nullopt));
  }
  for (const auto& t : m.tables)
    for (const auto& u : t.unique_constraints) rows.push_back(unique_row(t, u));
  for (const auto& t : m.tables)
    for (const auto& c : t.check_constraints) rows.push_back(check_row(t, c));
  for (auto& r : rows) r.fields.add("entityType", jv::str(r.type));
  return rows;
}


// ---- deltas: drizzle-kit's delta(): creates (new order), drops, alters (old order) ----

const jv* field(const row& r, std::string_view key) {
  for (const auto& m : r.fields.members)
    if (m.first == key) return &m.second;
  return nullptr;
}

const row* find_key(const std::vector<row>& rows, const std::string& key) {
  for (const auto& r : rows)
    if (r.key() == key) return &r;
  return nullptr;
}

std::vector<change> changes_of(const std::vector<row>& prev, const std::vector<row>& cur) {
  std::vector<change> created, dropped, altered;
  for (const auto& r : cur)
    if (!find_key(prev, r.key())) created.push_back({nullptr, &r, {}});
  for (const auto& r : prev) {
    const row* now = find_key(cur, r.key());
    if (!now) {
      dropped.push_back({&r, nullptr, {}});
      continue;
    }
    change c{&r, now, {}};
    for (const auto& m : r.fields.members) {
      const jv* other = field(*now, m.first);
      if (m.first != "entityType" && (!other || json::compact(*other) != json::compact(m.second))) c.fields.push_back(m.first);
    }
    if (!c.fields.empty()) altered.push_back(std::move(c));
  }
  created.insert(created.end(), dropped.begin(), dropped.end());
  created.insert(created.end(), altered.begin(), altered.end());
  return created;
}

jv deltas_json(const std::vector<change>& changes) {
  jv out = jv::array();
  for (const auto& c : changes) {
    if (!c.from) {
      out.push(jv{}.add("op", jv::str("create")).add("row", c.to->fields));
    } else if (!c.to) {
      out.push(jv{}.add("op", jv::str("drop")).add("key", jv::str(c.from->key())));
    } else {
      jv set;
      for (const auto& f : c.fields) set.add(f, *field(*c.to, f));
      out.push(jv{}.add("op", jv::str("alter")).add("key", jv::str(c.to->key())).add("set", std::move(set)));
    }
  }
  return out;
}

// The plan's renames with their schema (of the renamed table in `cur`).
std::vector<renamed> renamed_of(const rename_plan& plan, const db::schema_model& cur) {
  const auto schema = [&](const std::string& table) {
    const db::table_model* t = cur.find_table(table);
    return t ? schema_of(*t) : std::string("public");
  };
  std::vector<renamed> out;
  for (const auto& t : plan.tables) out.push_back({schema(t.to), "", t.from, t.to});
  for (const auto& c : plan.columns) out.push_back({schema(c.table), c.table, c.from, c.to});
  return out;
}

// drizzle-kit's `rename` deltas (ddl.rename), before every other delta: a table by its old key,
// a column by its key once its table has its new name.
jv rename_deltas(const std::vector<renamed>& renames) {
  jv out = jv::array();
  for (const auto& r : renames) {
    const strings id = r.table.empty() ? strings{r.schema, r.from} : strings{r.schema, r.table, r.from};
    const std::string key = std::string(r.table.empty() ? "tables" : "columns") + '\0' + json::compact(jv::strings(id));
    out.push(jv{}.add("op", jv::str("rename")).add("key", jv::str(key)).add("set", jv{}.add("name", jv::str(r.to))));
  }
  return out;
}

std::string document(jv header, std::string_view list, jv rows) {
  header.add(std::string(list), std::move(rows));
  std::string out;
  json::print_pretty(header, out);
  return out;
}

jv header(std::string_view type, std::string_view id, std::string_view prev_id) {
  jv h;
  h.add("type", jv::str(type)).add("version", jv::str("9")).add("dialect", jv::str("postgres"));
  h.add("id", jv::str(id)).add("prevIds", jv::array().push(jv::str(prev_id)));
  return h;
}

}  // namespace

std::string base_snapshot9_json(const db::schema_model& schema, std::string_view id) {
  const std::vector<row> cur = rows_of(schema);
  const std::vector<row> none;
  jv h = header("base", id, db::origin_uuid);
  h.add("footprints", footprints_json(none, cur, changes_of(none, cur)));
  jv ddl = jv::array();
  for (const auto& r : cur) ddl.push(r.fields);
  return document(std::move(h), "ddl", std::move(ddl));
}

std::string diff_snapshot9_json(const db::schema_model& prev, const db::schema_model& cur,
                                std::string_view id, std::string_view prev_id, const rename_plan& renames) {
  const std::vector<row> before = rows_of(prev), after = rows_of(cur);
  const auto changes = changes_of(before, after);
  const auto renamed = renamed_of(renames, cur);
  jv h = header("diff", id, prev_id);
  h.add("footprints", footprints_json(before, after, changes, renamed));
  jv deltas = rename_deltas(renamed);
  for (auto& d : deltas_json(changes).items) deltas.push(std::move(d));
  return document(std::move(h), "deltas", std::move(deltas));
}

}  // namespace edgefn::migrate
