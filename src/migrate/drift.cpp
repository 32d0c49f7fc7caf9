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
  for (const auto& c : i.columns)
    cols.push_back(c.expression + (c.asc ? "" : " desc") + (c.nulls == (c.asc ? "last" : "first") ? "" : " nulls " + c.nulls));
  return std::string(i.is_unique ? "unique " : "") + i.method + " " + list(cols);
}

template <class T>
const T* find_named(const std::vector<T>& xs, std::string_view name) {
  for (const auto& x : xs)
    if (x.name == name) return &x;
  return nullptr;
}

/// Reports objects of one kind ("foreign key", ...) missing or extra by name; `differences`
/// appends the sentences for two same-named objects that differ.
template <class T, class F>
void compare_named(std::string_view kind, const db::table_model& want, const std::vector<T>& wanted,
                   const std::vector<T>& had, std::vector<std::string>& out, F differences) {
  for (const auto& w : wanted) {
    const std::string what = std::string(kind) + " " + w.name + " on " + want.name;
    if (const T* h = find_named(had, w.name)) differences(what, w, *h);
    else out.push_back(what + " is missing in the database");
  }
  for (const auto& h : had)
    if (!find_named(wanted, h.name))
      out.push_back(std::string(kind) + " " + h.name + " on " + want.name + " exists in the database but not in the schema");
}

std::string fk_target(const db::foreign_key_model& fk) {
  return list(fk.columns_from) + " -> " + fk.table_to + list(fk.columns_to);
}

void compare_constraints(const db::table_model& want, const db::table_model& have, std::vector<std::string>& out) {
  auto in_words = [&out](const std::string& what, std::string_view aspect, const std::string& db_value,
                         const std::string& schema_value) {
    if (db_value != schema_value)
      out.push_back(what + " " + std::string(aspect) + " " + db_value + " in the database, " + schema_value + " in the schema");
  };
  compare_named("foreign key", want, want.foreign_keys, have.foreign_keys, out,
                [&](const std::string& what, const db::foreign_key_model& w, const db::foreign_key_model& h) {
                  in_words(what, "is", fk_target(h), fk_target(w));
                  in_words(what, "has ON DELETE", h.on_delete, w.on_delete);
                  in_words(what, "has ON UPDATE", h.on_update, w.on_update);
                });
  auto columns_and_nulls = [&](const std::string& what, const db::constraint_model& w, const db::constraint_model& h) {
    in_words(what, "is on", list(h.columns), list(w.columns));
    in_words(what, "has", h.nulls_not_distinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT",
             w.nulls_not_distinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT");
  };
  compare_named("unique constraint", want, want.unique_constraints, have.unique_constraints, out, columns_and_nulls);
  compare_named("primary key", want, want.composite_primary_keys, have.composite_primary_keys, out,
                columns_and_nulls);
  // Conditions are compared by name only: Postgres stores its own rendering of the expression
  // ("(price > (0)::numeric)" for `"price" > 0`), which no text comparison can match reliably.
  compare_named("check constraint", want, want.check_constraints, have.check_constraints, out,
                [](const std::string&, const db::check_model&, const db::check_model&) {});
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

void compare_indexes(const db::table_model& want, const db::table_model& have,
                     std::vector<std::string>& out) {
  compare_named("index", want, want.indexes, have.indexes, out,
                [&](const std::string& what, const db::index_model& w, const db::index_model& h) {
                  if (index_shape(h) != index_shape(w))
                    out.push_back(what + " is " + index_shape(h) + " in the database, " + index_shape(w) + " in the schema");
                });
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
    compare_constraints(t, *h, out);
  }
  for (const auto& h : actual.tables)
    if (!expected.find_table(h.name)) out.push_back("table " + h.name + " exists in the database but not in the schema");
  compare_enums(expected, actual, out);
  return out;
}

}  // namespace edgefn::migrate
