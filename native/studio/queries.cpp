#include "studio/queries.h"

#include <array>
#include <variant>

#include "db/expr.h"

namespace edgefn::studio {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> k_comparisons{{
    {"eq", " = "}, {"ne", " <> "}, {"lt", " < "}, {"le", " <= "}, {"gt", " > "}, {"ge", " >= "}}};

std::string placeholder(const std::vector<neon::param>& params) {
  return "$" + std::to_string(params.size());
}

/// " where a and b ..." for the page's filters ("" without any), appending their values.
std::string where_clause(const page_request& r, std::vector<neon::param>& params) {
  std::string out;
  for (const filter& f : r.filters) {
    out += out.empty() ? " where " : " and ";
    const std::string col = db::quote_ident(f.column->name);
    if (f.op == "null") { out += col + " is null"; continue; }
    if (f.op == "notnull") { out += col + " is not null"; continue; }
    params.emplace_back(std::string_view(f.value));
    if (f.op == "contains") {
      out += "strpos(lower(" + col + "::text), lower(" + placeholder(params) + "::text)) > 0";
      continue;
    }
    for (const auto& [name, sql] : k_comparisons)
      if (name == f.op) out += col + std::string(sql) + placeholder(params);
  }
  return out;
}

std::string column_list(const db::table_info& t) {
  std::string out;
  for (const db::column_info* c : t.columns) {
    if (!out.empty()) out += ", ";
    out += db::quote_ident(c->name);
  }
  return out;
}

std::string key_clause(std::span<const key_value> key, std::vector<neon::param>& params) {
  std::string out;
  for (const key_value& k : key) {
    out += out.empty() ? " where " : " and ";
    params.emplace_back(std::string_view(k.value));
    out += db::quote_ident(k.column->name) + " = " + placeholder(params);
  }
  return out;
}

bool given(const db::cell& c) { return !std::holds_alternative<std::monostate>(c); }

}  // namespace

bool known_op(std::string_view op) noexcept {
  if (op == "contains" || op == "null" || op == "notnull") return true;
  for (const auto& [name, sql] : k_comparisons)
    if (name == op) return true;
  return false;
}

std::vector<const db::column_info*> key_columns(const db::table_info& t) {
  std::vector<const db::column_info*> out;
  for (const db::column_info* c : t.columns)
    if (c->primary_key) out.push_back(c);
  return out;
}

neon::query select_page(const page_request& r) {
  neon::query q;
  q.text = "select " + column_list(*r.table) + " from " + db::quote_ident(r.table->name);
  q.text += where_clause(r, q.params);
  // The key last, so that pages are stable when the sort column has ties.
  std::vector<std::string> order;
  if (r.sort) order.push_back(db::quote_ident(r.sort->name) + (r.descending ? " desc" : " asc"));
  for (const db::column_info* k : key_columns(*r.table))
    if (k != r.sort) order.push_back(db::quote_ident(k->name) + (r.sort ? "" : r.descending ? " desc" : " asc"));
  for (std::size_t i = 0; i < order.size(); ++i) q.text += (i == 0 ? " order by " : ", ") + order[i];
  q.params.emplace_back(r.limit);
  q.text += " limit " + placeholder(q.params);
  q.params.emplace_back(r.offset);
  q.text += " offset " + placeholder(q.params);
  return q;
}

neon::query count_rows(const page_request& r) {
  neon::query q;
  q.text = "select count(*) from " + db::quote_ident(r.table->name);
  q.text += where_clause(r, q.params);
  return q;
}

neon::query insert_row(const db::table_info& t, const std::vector<db::cell>& cells) {
  neon::query q;
  std::string names, values;
  for (std::size_t i = 0; i < cells.size() && i < t.columns.size(); ++i) {
    if (!given(cells[i])) continue;
    q.params.push_back(db::cell_param(cells[i]));
    names += (names.empty() ? "" : ", ") + db::quote_ident(t.columns[i]->name);
    values += (values.empty() ? "" : ", ") + placeholder(q.params);
  }
  q.text = "insert into " + db::quote_ident(t.name);
  q.text += names.empty() ? " default values" : " (" + names + ") values (" + values + ")";
  q.text += " returning " + column_list(t);
  return q;
}

result<neon::query> update_row(const db::table_info& t, const std::vector<db::cell>& cells,
                               std::span<const key_value> key) {
  neon::query q;
  std::string sets;
  for (std::size_t i = 0; i < cells.size() && i < t.columns.size(); ++i) {
    if (!given(cells[i])) continue;
    q.params.push_back(db::cell_param(cells[i]));
    sets += (sets.empty() ? "" : ", ") + db::quote_ident(t.columns[i]->name) + " = " + placeholder(q.params);
  }
  if (sets.empty()) return error{errc::invalid_argument, "no fields to update"};
  if (key.empty()) return error{errc::invalid_argument, "the row's key is missing"};
  q.text = "update " + db::quote_ident(t.name) + " set " + sets + key_clause(key, q.params);
  q.text += " returning " + column_list(t);
  return q;
}

result<neon::query> delete_row(const db::table_info& t, std::span<const key_value> key) {
  if (key.empty()) return error{errc::invalid_argument, "the row's key is missing"};
  neon::query q;
  q.text = "delete from " + db::quote_ident(t.name) + key_clause(key, q.params) + " returning " + column_list(t);
  return q;
}

}  // namespace edgefn::studio
