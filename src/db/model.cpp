#include "db/model.h"

#include "base/json_writer.h"

namespace edgefn::db {

const column_model* table_model::find_column(std::string_view n) const noexcept {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

const table_model* schema_model::find_table(std::string_view n) const noexcept {
  for (const auto& t : tables)
    if (t.name == n) return &t;
  return nullptr;
}

const enum_model* schema_model::find_enum(std::string_view n) const noexcept {
  for (const auto& e : enums)
    if (e.name == n) return &e;
  return nullptr;
}

std::string type_text(const column_info& c) {
  switch (c.type) {
    case col_type::serial: return "serial";
    case col_type::integer: return "integer";
    case col_type::bigint: return "bigint";
    case col_type::text: return "text";
    case col_type::varchar:
      return c.length > 0 ? "varchar(" + json::decimal(c.length) + ")" : "varchar";
    case col_type::boolean: return "boolean";
    case col_type::numeric:
      if (c.precision <= 0) return "numeric";
      return "numeric(" + json::decimal(c.precision) + ", " + json::decimal(c.scale) + ")";
    case col_type::real: return "real";
    case col_type::double_precision: return "double precision";
    case col_type::timestamp: return "timestamp";
    case col_type::timestamptz: return "timestamp with time zone";
    case col_type::date: return "date";
    case col_type::uuid: return "uuid";
    case col_type::jsonb: return "jsonb";
    case col_type::enumeration: return c.enumeration ? std::string(c.enumeration->name) : "text";
  }
  return "text";
}

column_model column_model_of(const column_info& c) {
  column_model m;
  m.name = std::string(c.name);
  m.type = type_text(c);
  if (c.type == col_type::enumeration) m.type_schema = "public";
  m.primary_key = c.primary_key;
  m.not_null = c.not_null;
  if (c.default_type != default_kind::none) {
    m.default_value = std::string(c.default_text);
    m.default_is_literal = c.default_type == default_kind::literal;
  }
  return m;
}

namespace {

std::vector<std::string> names_of(const index_def& d) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < d.count; ++i) out.emplace_back(d.columns[i]);
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "_") + p;
  return out;
}

index_model index_of(const index_def& d) {
  index_model m;
  m.name = std::string(d.name);
  m.is_unique = d.unique;
  m.name_explicit = true;  // index("name") always names it
  for (auto& n : names_of(d)) m.columns.push_back(index_column_model{std::move(n)});
  return m;
}

foreign_key_model fk_of(std::string_view table, const column_info& c) {
  foreign_key_model fk;
  fk.table_from = std::string(table);
  fk.table_to = std::string(c.ref_table);
  fk.columns_from = {std::string(c.name)};
  fk.columns_to = {std::string(c.ref_column)};
  // drizzle's default name: <table>_<columns>_<foreign table>_<foreign columns>_fk
  fk.name = fk.table_from + "_" + std::string(c.name) + "_" + fk.table_to + "_" +
            std::string(c.ref_column) + "_fk";
  fk.on_delete = std::string(to_sql(c.on_delete));
  fk.on_update = std::string(to_sql(c.on_update));
  fk.name_explicit = false;
  return fk;
}

}  // namespace

table_model table_model_of(std::string_view name, std::span<const column_info* const> columns,
                           std::span<const index_def> indexes,
                           std::span<const constraint_def> primary_keys,
                           std::span<const constraint_def> uniques,
                           std::span<const check_def> checks) {
  table_model t;
  t.name = std::string(name);
  for (const column_info* c : columns) {
    t.columns.push_back(column_model_of(*c));
    if (c->unique)  // drizzle: <table>_<column>_unique
      t.unique_constraints.push_back({t.name + "_" + std::string(c->name) + "_unique", {std::string(c->name)}, false, false});
    if (!c->ref_table.empty()) t.foreign_keys.push_back(fk_of(name, *c));
  }
  for (const auto& d : indexes) t.indexes.push_back(index_of(d));
  for (const auto& d : primary_keys) {  // drizzle: <table>_<columns>_pk
    auto cols = names_of(d);
    std::string n = d.name.empty() ? t.name + "_" + joined(cols) + "_pk" : std::string(d.name);
    t.composite_primary_keys.push_back({std::move(n), std::move(cols), false, !d.name.empty()});
  }
  for (const auto& d : uniques) {
    auto cols = names_of(d);
    std::string n = d.name.empty() ? t.name + "_" + joined(cols) + "_unique" : std::string(d.name);
    t.unique_constraints.push_back({std::move(n), std::move(cols), false, !d.name.empty()});
  }
  for (const auto& c : checks) t.check_constraints.push_back({std::string(c.name), std::string(c.value)});
  return t;
}

void detail::add_enum(schema_model& s, const enum_def& e) {
  if (s.find_enum(e.name)) return;
  enum_model m;
  m.name = std::string(e.name);
  for (auto v : e.values) m.values.emplace_back(v);
  s.enums.push_back(std::move(m));
}

}  // namespace edgefn::db
