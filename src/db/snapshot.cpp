#include "db/snapshot.h"

#include "base/json_writer.h"

namespace edgefn::db {

namespace {

// ---- writing: a small ordered JSON tree printed like JSON.stringify(v, null, 2) ----

// Members are a struct, not std::pair<std::string, jv>, and the functions that create a jv are
// defined below jv_member: libstdc++ under clang (the fuzz build) requires complete types there.
struct jv_member;

struct jv {
  enum class kind : std::uint8_t { object, array, string, raw } k = kind::object;
  std::string text;
  std::vector<jv_member> members;
  std::vector<jv> items;

  static jv str(std::string_view s);
  static jv raw(std::string_view s);
  static jv boolean(bool b);
  static jv array();
  jv& add(std::string key, jv value);
};

struct jv_member {
  std::string first;
  jv second;
};

jv jv::str(std::string_view s) { jv v; v.k = kind::string; v.text = s; return v; }
jv jv::raw(std::string_view s) { jv v; v.k = kind::raw; v.text = s; return v; }
jv jv::boolean(bool b) { return raw(b ? "true" : "false"); }
jv jv::array() { jv v; v.k = kind::array; return v; }

jv& jv::add(std::string key, jv value) {
  members.push_back(jv_member{std::move(key), std::move(value)});
  return *this;
}

void indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }

void print(const jv& v, std::string& out, int depth) {
  switch (v.k) {
    case jv::kind::string: json::append_string(out, v.text); return;
    case jv::kind::raw: out += v.text; return;
    case jv::kind::array:
      if (v.items.empty()) { out += "[]"; return; }
      out += "[\n";
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        indent(out, depth + 1);
        print(v.items[i], out, depth + 1);
        out += i + 1 < v.items.size() ? ",\n" : "\n";
      }
      indent(out, depth);
      out += ']';
      return;
    case jv::kind::object:
      if (v.members.empty()) { out += "{}"; return; }
      out += "{\n";
      for (std::size_t i = 0; i < v.members.size(); ++i) {
        indent(out, depth + 1);
        json::append_string(out, v.members[i].first);
        out += ": ";
        print(v.members[i].second, out, depth + 1);
        out += i + 1 < v.members.size() ? ",\n" : "\n";
      }
      indent(out, depth);
      out += '}';
      return;
  }
}

jv strings(const std::vector<std::string>& xs) {
  jv a = jv::array();
  for (const auto& x : xs) a.items.push_back(jv::str(x));
  return a;
}

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
  print(root, out, 0);
  return out;
}

}  // namespace edgefn::db
