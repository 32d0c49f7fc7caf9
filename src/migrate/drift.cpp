// describe_drift (declared in migrate/introspect.h): two schema models compared in words.
#include <string>

#include "migrate/introspect.h"

namespace edgefn::migrate {
namespace {

std::string default_text(const db::column_model& c) {
  return c.default_value ? *c.default_value : std::string("no default");
}

std::string list(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x;
  return "(" + out + ")";
}

std::string index_shape(const db::index_model& i) {
  std::vector<std::string> cols;
  for (const auto& c : i.columns) cols.push_back(c.expression);
  return std::string(i.is_unique ? "unique " : "") + i.method + " " + list(cols);
}

void compare_columns(const db::table_model& want, const db::table_model& have,
                     std::vector<std::string>& out) {
  for (const auto& c : want.columns) {
    const std::string what = "column " + want.name + "." + c.name;
    const db::column_model* h = have.find_column(c.name);
    if (!h) { out.push_back(what + " is missing in the database"); continue; }
    if (h->type != c.type)
      out.push_back(what + " has type " + h->type + " in the database, " + c.type + " in the schema");
    if (h->not_null != c.not_null)
      out.push_back(what + " is " + (h->not_null ? "NOT NULL" : "nullable") + " in the database, " +
                    (c.not_null ? "NOT NULL" : "nullable") + " in the schema");
    if (h->default_value != c.default_value)
      out.push_back(what + " has default " + default_text(*h) + " in the database, " + default_text(c) +
                    " in the schema");
    if (h->primary_key != c.primary_key)
      out.push_back(what + (c.primary_key ? " is not" : " is") + " the primary key in the database");
  }
  for (const auto& h : have.columns)
    if (!want.find_column(h.name))
      out.push_back("column " + want.name + "." + h.name + " exists in the database but not in the schema");
}

const db::index_model* find_index(const db::table_model& t, std::string_view name) {
  for (const auto& i : t.indexes)
    if (i.name == name) return &i;
  return nullptr;
}

void compare_indexes(const db::table_model& want, const db::table_model& have,
                     std::vector<std::string>& out) {
  for (const auto& i : want.indexes) {
    const std::string what = "index " + i.name + " on " + want.name;
    const db::index_model* h = find_index(have, i.name);
    if (!h) out.push_back(what + " is missing in the database");
    else if (index_shape(*h) != index_shape(i))
      out.push_back(what + " is " + index_shape(*h) + " in the database, " + index_shape(i) + " in the schema");
  }
  for (const auto& h : have.indexes)
    if (!find_index(want, h.name))
      out.push_back("index " + h.name + " on " + want.name + " exists in the database but not in the schema");
}

void compare_enums(const db::schema_model& want, const db::schema_model& have, std::vector<std::string>& out) {
  for (const auto& e : want.enums) {
    const db::enum_model* h = have.find_enum(e.name);
    if (!h) out.push_back("enum " + e.name + " is missing in the database");
    else if (h->values != e.values)
      out.push_back("enum " + e.name + " has values " + list(h->values) + " in the database, " +
                    list(e.values) + " in the schema");
  }
  for (const auto& h : have.enums)
    if (!want.find_enum(h.name)) out.push_back("enum " + h.name + " exists in the database but not in the schema");
}

}  // namespace

std::vector<std::string> describe_drift(const db::schema_model& expected, const db::schema_model& actual) {
  std::vector<std::string> out;
  for (const auto& t : expected.tables) {
    const db::table_model* h = actual.find_table(t.name);
    if (!h) { out.push_back("table " + t.name + " is missing in the database"); continue; }
    compare_columns(t, *h, out);
    compare_indexes(t, *h, out);
  }
  for (const auto& h : actual.tables)
    if (!expected.find_table(h.name)) out.push_back("table " + h.name + " exists in the database but not in the schema");
  compare_enums(expected, actual, out);
  return out;
}

}  // namespace edgefn::migrate
