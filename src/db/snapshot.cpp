#include "db/snapshot.h"

#include "base/json_tree.h"

namespace edgefn::db {

namespace {

using json::jv;

jv strings(const std::vector<std::string>& xs) { return jv::strings(xs); }

jv column_json(const column_model& c) {
  jv o;
  o.add("name", jv::str(c.name)).add("type", jv::str(c.type));
  if (!c.type_schema.empty()) o.add("typeSchema", jv::str(c.type_schema));
  o.add("primaryKey", jv::boolean(c.primary_key)).add("notNull", jv::boolean(c.not_null));
  if (c.default_value)
    o.add("default", c.default_is_literal ? jv::raw(*c.default_value) : jv::str(*c.default_value));
  return o;
}

jv index_json(const index_model& ix) {
  jv cols = jv::array();
  for (const auto& c : ix.columns) {
    jv o;
    o.add("expression", jv::str(c.expression)).add("isExpression", jv::boolean(c.is_expression));
    o.add("asc", jv::boolean(c.asc)).add("nulls", jv::str(c.nulls));
    cols.items.push_back(std::move(o));
  }
  jv o;
  o.add("name", jv::str(ix.name)).add("columns", std::move(cols));
  o.add("isUnique", jv::boolean(ix.is_unique)).add("concurrently", jv::boolean(ix.concurrently));
  o.add("method", jv::str(ix.method)).add("with", jv{});
  return o;
}

jv fk_json(const foreign_key_model& fk) {
  jv o;
  o.add("name", jv::str(fk.name)).add("tableFrom", jv::str(fk.table_from)).add("tableTo", jv::str(fk.table_to));
  o.add("columnsFrom", strings(fk.columns_from)).add("columnsTo", strings(fk.columns_to));
  o.add("onDelete", jv::str(fk.on_delete)).add("onUpdate", jv::str(fk.on_update));
  return o;
}

jv table_json(const table_model& t) {
  jv cols, ixs, fks, pks, uqs, checks;
  for (const auto& c : t.columns) cols.add(c.name, column_json(c));
  for (const auto& ix : t.indexes) ixs.add(ix.name, index_json(ix));
  for (const auto& fk : t.foreign_keys) fks.add(fk.name, fk_json(fk));
  for (const auto& pk : t.composite_primary_keys)
    pks.add(pk.name, jv{}.add("name", jv::str(pk.name)).add("columns", strings(pk.columns)));
  for (const auto& u : t.unique_constraints)
    uqs.add(u.name, jv{}.add("name", jv::str(u.name)).add("nullsNotDistinct", jv::boolean(u.nulls_not_distinct))
                        .add("columns", strings(u.columns)));
  for (const auto& c : t.check_constraints)
    checks.add(c.name, jv{}.add("name", jv::str(c.name)).add("value", jv::str(c.value)));
  jv o;
  o.add("name", jv::str(t.name)).add("schema", jv::str(t.schema)).add("columns", std::move(cols));
  o.add("indexes", std::move(ixs)).add("foreignKeys", std::move(fks));
  o.add("compositePrimaryKeys", std::move(pks)).add("uniqueConstraints", std::move(uqs));
  o.add("policies", jv{}).add("checkConstraints", std::move(checks)).add("isRLSEnabled", jv::boolean(false));
  return o;
}

}  // namespace

std::string snapshot_json(const schema_model& schema, std::string_view id, std::string_view prev_id) {
  jv tables, enums;
  for (const auto& t : schema.tables)
    tables.add((t.schema.empty() ? std::string("public") : t.schema) + "." + t.name, table_json(t));
  for (const auto& e : schema.enums)
    enums.add(e.schema + "." + e.name,
              jv{}.add("name", jv::str(e.name)).add("schema", jv::str(e.schema)).add("values", strings(e.values)));
  jv meta;
  meta.add("columns", jv{}).add("schemas", jv{}).add("tables", jv{});  // drizzle-kit's order
  jv root;
  root.add("id", jv::str(id)).add("prevId", jv::str(prev_id)).add("version", jv::str("7"));
  root.add("dialect", jv::str("postgresql")).add("tables", std::move(tables)).add("enums", std::move(enums));
  root.add("schemas", jv{}).add("sequences", jv{}).add("roles", jv{}).add("policies", jv{});
  root.add("views", jv{}).add("_meta", std::move(meta));
  std::string out;
  json::print_pretty(root, out);
  return out;
}

}  // namespace edgefn::db
