// parse_snapshot: drizzle-kit snapshot JSON -> schema_model (simdjson on-demand, error codes).
#include "db/snapshot.h"

namespace edgefn::db {

namespace {

namespace od = simdjson::ondemand;

bool read_str(od::value v, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s)) return false;
  out = std::string(s);
  return true;
}

bool read_bool(od::value v, bool& out) { return !v.get_bool().get(out); }

template <class F>
bool each_item(od::value v, F&& f) {
  od::array a;
  if (v.get_array().get(a)) return false;
  for (auto x : a) {
    od::value el;
    if (std::move(x).get(el) || !f(el)) return false;
  }
  return true;
}

bool read_strings(od::value v, std::vector<std::string>& out) {
  return each_item(v, [&](od::value el) { return read_str(el, out.emplace_back()); });
}

/// Calls f(key, value) for each member of object `v`, in document order.
template <class F>
bool each_field(od::value v, F&& f) {
  od::object o;
  if (v.get_object().get(o)) return false;
  for (auto m : o) {
    od::field fld;
    std::string_view key;
    if (std::move(m).get(fld) || fld.unescaped_key(false).get(key)) return false;
    if (!f(std::string(key), fld.value())) return false;
  }
  return true;
}

bool read_default(od::value v, column_model& c) {
  od::json_type t;
  if (v.type().get(t)) return false;
  if (t == od::json_type::string) return read_str(v, c.default_value.emplace());
  std::string_view raw;
  if (v.raw_json().get(raw)) return false;
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  c.default_value = std::string(raw);
  c.default_is_literal = true;
  return true;
}

bool read_column(od::value v, column_model& c) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "name") return read_str(x, c.name);
    if (k == "type") return read_str(x, c.type);
    if (k == "typeSchema") return read_str(x, c.type_schema);
    if (k == "primaryKey") return read_bool(x, c.primary_key);
    if (k == "notNull") return read_bool(x, c.not_null);
    if (k == "default") return read_default(x, c);
    return true;
  });
}

bool read_index_column(od::value v, index_column_model& c) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "expression") return read_str(x, c.expression);
    if (k == "isExpression") return read_bool(x, c.is_expression);
    if (k == "asc") return read_bool(x, c.asc);
    if (k == "nulls") return read_str(x, c.nulls);
    return true;
  });
}

bool read_index(od::value v, index_model& ix) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "name") return read_str(x, ix.name);
    if (k == "columns")
      return each_item(x, [&](od::value el) { return read_index_column(el, ix.columns.emplace_back()); });
    if (k == "isUnique") return read_bool(x, ix.is_unique);
    if (k == "concurrently") return read_bool(x, ix.concurrently);
    if (k == "method") return read_str(x, ix.method);
    return true;
  });
}

bool read_fk(od::value v, foreign_key_model& fk) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "name") return read_str(x, fk.name);
    if (k == "tableFrom") return read_str(x, fk.table_from);
    if (k == "tableTo") return read_str(x, fk.table_to);
    if (k == "columnsFrom") return read_strings(x, fk.columns_from);
    if (k == "columnsTo") return read_strings(x, fk.columns_to);
    if (k == "onDelete") return read_str(x, fk.on_delete);
    if (k == "onUpdate") return read_str(x, fk.on_update);
    return true;
  });
}

bool read_constraint(od::value v, constraint_model& c) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "name") return read_str(x, c.name);
    if (k == "columns") return read_strings(x, c.columns);
    if (k == "nullsNotDistinct") return read_bool(x, c.nulls_not_distinct);
    return true;
  });
}

bool read_check(od::value v, check_model& c) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "name") return read_str(x, c.name);
    if (k == "value") return read_str(x, c.value);
    return true;
  });
}

template <class T, class F>
bool read_map(od::value v, std::vector<T>& out, F read_one) {
  return each_field(v, [&](const std::string&, od::value x) { return read_one(x, out.emplace_back()); });
}

bool read_table(od::value v, table_model& t) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "name") return read_str(x, t.name);
    if (k == "schema") return read_str(x, t.schema);
    if (k == "columns") return read_map(x, t.columns, read_column);
    if (k == "indexes") return read_map(x, t.indexes, read_index);
    if (k == "foreignKeys") return read_map(x, t.foreign_keys, read_fk);
    if (k == "compositePrimaryKeys") return read_map(x, t.composite_primary_keys, read_constraint);
    if (k == "uniqueConstraints") return read_map(x, t.unique_constraints, read_constraint);
    if (k == "checkConstraints") return read_map(x, t.check_constraints, read_check);
    return true;
  });
}

bool read_enum(od::value v, enum_model& e) {
  return each_field(v, [&](const std::string& k, od::value x) {
    if (k == "name") return read_str(x, e.name);
    if (k == "schema") return read_str(x, e.schema);
    if (k == "values") return read_strings(x, e.values);
    return true;
  });
}

}  // namespace

result<snapshot> parse_snapshot(const padded_buffer& json) {
  od::parser parser;
  od::document doc;
  od::value root;
  if (parser.iterate(json.padded_view()).get(doc) || doc.get_value().get(root))
    return fail(errc::parse_error, "snapshot: invalid JSON");
  snapshot s;
  std::string version, dialect;
  const bool ok = each_field(root, [&](const std::string& k, od::value x) {
    if (k == "id") return read_str(x, s.id);
    if (k == "prevId") return read_str(x, s.prev_id);
    if (k == "version") return read_str(x, version);
    if (k == "dialect") return read_str(x, dialect);
    if (k == "tables") return read_map(x, s.schema.tables, read_table);
    if (k == "enums") return read_map(x, s.schema.enums, read_enum);
    return true;
  });
  if (!ok || !doc.at_end()) return fail(errc::parse_error, "snapshot: invalid JSON or unexpected value type");
  if (version != "7" || dialect != "postgresql")
    return fail(errc::unsupported, "snapshot: expected version \"7\" and dialect \"postgresql\"");
  return s;
}

}  // namespace edgefn::db
