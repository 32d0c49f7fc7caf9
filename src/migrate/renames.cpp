#include "migrate/renames.h"

#include <algorithm>
#include <tuple>

#include "db/expr.h"

namespace edgefn::migrate {
namespace {

error bad_flag(const rename_hint& h, std::string what) {
  const std::string flag = h.column.empty() ? h.table + "=" + h.to : h.table + "." + h.column + "=" + h.to;
  return fail(errc::invalid_argument, "--rename " + flag + ": " + std::move(what));
}

// The previous name of the table a column hint names: its own name in the previous snapshot,
// or the new name of a table renamed by another hint.
std::string previous_table(const rename_plan& plan, const db::schema_model& prev, const std::string& named) {
  if (prev.find_table(named)) return named;
  for (const auto& t : plan.tables)
    if (t.to == named) return t.from;
  return {};
}

std::string current_table(const rename_plan& plan, const std::string& previous) {
  for (const auto& t : plan.tables)
    if (t.from == previous) return t.to;
  return previous;
}

status plan_table(rename_plan& plan, const rename_hint& h, const db::schema_model& prev, const db::schema_model& cur) {
  if (!prev.find_table(h.table)) return bad_flag(h, "there is no table " + h.table + " in the previous snapshot");
  if (!cur.find_table(h.to)) return bad_flag(h, "there is no table " + h.to + " in the schema");
  if (cur.find_table(h.table)) return bad_flag(h, "table " + h.table + " is still in the schema");
  if (prev.find_table(h.to)) return bad_flag(h, "table " + h.to + " already exists in the previous snapshot");
  for (const auto& t : plan.tables) {
    if (t.from == h.table) return bad_flag(h, "table " + h.table + " is renamed twice");
    if (t.to == h.to) return bad_flag(h, "two tables are renamed to " + h.to);
  }
  plan.tables.push_back({h.table, h.to});
  return {};
}

status plan_column(rename_plan& plan, const rename_hint& h, const db::schema_model& prev, const db::schema_model& cur) {
  const std::string old_table = previous_table(plan, prev, h.table);
  if (old_table.empty()) return bad_flag(h, "there is no table " + h.table + " in the previous snapshot");
  const std::string new_table = current_table(plan, old_table);
  const db::table_model* was = prev.find_table(old_table);
  const db::table_model* now = cur.find_table(new_table);
  if (!now) return bad_flag(h, "there is no table " + new_table + " in the schema (rename the table too)");
  if (!was->find_column(h.column))
    return bad_flag(h, "there is no column " + old_table + "." + h.column + " in the previous snapshot");
  if (!now->find_column(h.to)) return bad_flag(h, "there is no column " + new_table + "." + h.to + " in the schema");
  if (now->find_column(h.column)) return bad_flag(h, "column " + new_table + "." + h.column + " is still in the schema");
  if (was->find_column(h.to))
    return bad_flag(h, "column " + old_table + "." + h.to + " already exists in the previous snapshot");
  for (const auto& c : plan.columns) {
    if (c.table != new_table) continue;
    if (c.from == h.column) return bad_flag(h, "column " + new_table + "." + h.column + " is renamed twice");
    if (c.to == h.to) return bad_flag(h, "two columns of " + new_table + " are renamed to " + h.to);
  }
  plan.columns.push_back({new_table, h.column, h.to});
  return {};
}

// drizzle-kit's order. Both drizzle-kits keep tables sorted by name (0.31 by its snapshot keys,
// 1.0 in its DDL) and ask about the created tables in that order. Column renames: 0.31 walks the
// previous snapshot's tables (old names, as parsed), 1.0 the current ones (new names); within a
// table, the current schema's column order.
void order_as(rename_plan& plan, const db::schema_model& prev, const db::schema_model& cur, rename_style style) {
  const auto pos = [](const auto& xs, const std::string& name) {
    std::size_t i = 0;
    while (i < xs.size() && xs[i].name != name) ++i;
    return i;
  };
  const auto old_table = [&](const std::string& now) {
    for (const auto& t : plan.tables)
      if (t.to == now) return t.from;
    return now;
  };
  std::stable_sort(plan.tables.begin(), plan.tables.end(), [](const auto& a, const auto& b) { return a.to < b.to; });
  const auto column_key = [&](const rename_plan::column_rename& c) {
    const std::size_t column = pos(cur.tables[pos(cur.tables, c.table)].columns, c.to);
    if (style == rename_style::kit0) return std::tuple{pos(prev.tables, old_table(c.table)), std::string(), column};
    return std::tuple{std::size_t{0}, c.table, column};
  };
  std::stable_sort(plan.columns.begin(), plan.columns.end(),
                   [&](const auto& a, const auto& b) { return column_key(a) < column_key(b); });
}

void rename_in(std::vector<std::string>& names, const std::string& from, const std::string& to) {
  for (auto& n : names)
    if (n == from) n = to;
}

void rename_table(db::schema_model& s, const rename_plan::table_rename& r, bool follow) {
  for (auto& t : s.tables) {
    if (t.name == r.from) t.name = r.to;
    if (!follow) continue;
    for (auto& fk : t.foreign_keys) {
      if (fk.table_from == r.from) fk.table_from = r.to;
      if (fk.table_to == r.from) fk.table_to = r.to;
    }
  }
}

void rename_column(db::schema_model& s, const rename_plan::column_rename& r, bool follow) {
  for (auto& t : s.tables) {
    if (t.name == r.table)
      for (auto& c : t.columns)
        if (c.name == r.from) c.name = r.to;
    if (!follow) continue;
    for (auto& fk : t.foreign_keys)
      if (fk.table_to == r.table) rename_in(fk.columns_to, r.from, r.to);
    if (t.name != r.table) continue;
    for (auto& ix : t.indexes)
      for (auto& c : ix.columns)
        if (!c.is_expression && c.expression == r.from) c.expression = r.to;
    for (auto& fk : t.foreign_keys) rename_in(fk.columns_from, r.from, r.to);
    for (auto& pk : t.composite_primary_keys) rename_in(pk.columns, r.from, r.to);
    for (auto& u : t.unique_constraints) rename_in(u.columns, r.from, r.to);
  }
}

}  // namespace

result<rename_hint> parse_rename(std::string_view text) {
  const auto eq = text.find('=');
  const std::string shown = "--rename " + std::string(text);
  if (eq == std::string_view::npos)
    return fail(errc::invalid_argument, shown + ": expected table.old_column=new_column or old_table=new_table");
  const std::string_view left = text.substr(0, eq), right = text.substr(eq + 1);
  if (right.find('=') != std::string_view::npos || right.find('.') != std::string_view::npos)
    return fail(errc::invalid_argument, shown + ": the new name must be a bare name (no '.' or '=')");
  rename_hint h;
  h.to = std::string(right);
  const auto dot = left.find('.');
  h.table = std::string(left.substr(0, dot));
  if (dot != std::string_view::npos) {
    h.column = std::string(left.substr(dot + 1));
    if (h.column.find('.') != std::string::npos || h.column.empty())
      return fail(errc::invalid_argument, shown + ": expected table.old_column=new_column (one '.')");
  }
  if (h.table.empty() || h.to.empty()) return fail(errc::invalid_argument, shown + ": a name is empty");
  if (h.to == (h.column.empty() ? h.table : h.column))
    return fail(errc::invalid_argument, shown + ": the old and new names are the same");
  return h;
}

result<rename_plan> plan_renames(std::span<const rename_hint> hints, const db::schema_model& prev,
                                 const db::schema_model& cur, rename_style style) {
  rename_plan plan;
  for (const auto& h : hints)
    if (h.column.empty())
      if (auto st = plan_table(plan, h, prev, cur); !st) return st.error();
  for (const auto& h : hints)
    if (!h.column.empty())
      if (auto st = plan_column(plan, h, prev, cur); !st) return st.error();
  order_as(plan, prev, cur, style);
  return plan;
}

db::schema_model apply_renames(const db::schema_model& prev, const rename_plan& plan, rename_style style) {
  db::schema_model out = prev;
  const bool follow = style == rename_style::kit1;
  for (const auto& t : plan.tables) rename_table(out, t, follow);
  for (const auto& c : plan.columns) rename_column(out, c, follow);
  return out;
}

std::vector<std::string> rename_statements(const rename_plan& plan) {
  std::vector<std::string> out;
  for (const auto& t : plan.tables)
    out.push_back("ALTER TABLE " + db::quote_ident(t.from) + " RENAME TO " + db::quote_ident(t.to) + ";");
  for (const auto& c : plan.columns)
    out.push_back("ALTER TABLE " + db::quote_ident(c.table) + " RENAME COLUMN " + db::quote_ident(c.from) + " TO " +
                  db::quote_ident(c.to) + ";");
  return out;
}

}  // namespace edgefn::migrate
