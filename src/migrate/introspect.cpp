#include "migrate/introspect.h"

#include <algorithm>

namespace edgefn::migrate {
namespace {

constexpr const char* k_columns_sql =
    "select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,\n"
    "       pg_get_expr(d.adbin, d.adrelid), t.typtype = 'e',\n"
    "       exists (select 1 from pg_index p where p.indrelid = c.oid and p.indisprimary\n"
    "               and p.indnatts = 1 and p.indkey[0] = a.attnum)\n"
    "from pg_attribute a\n"
    "join pg_class c on c.oid = a.attrelid\n"
    "join pg_namespace n on n.oid = c.relnamespace\n"
    "join pg_type t on t.oid = a.atttypid\n"
    "left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum\n"
    "where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0\n"
    "  and not a.attisdropped\n"
    "order by c.relname, a.attnum";

constexpr const char* k_indexes_sql =
    "select t.relname, i.relname, ix.indisunique, am.amname,\n"
    "       array_to_string(array(select pg_get_indexdef(ix.indexrelid, k, true)\n"
    "                             from generate_series(1, ix.indnkeyatts) k order by k), ',')\n"
    "from pg_index ix\n"
    "join pg_class i on i.oid = ix.indexrelid\n"
    "join pg_class t on t.oid = ix.indrelid\n"
    "join pg_namespace n on n.oid = t.relnamespace\n"
    "join pg_am am on am.oid = i.relam\n"
    "where n.nspname = 'public' and not ix.indisprimary\n"
    "  and not exists (select 1 from pg_constraint con where con.conindid = ix.indexrelid)\n"
    "order by t.relname, i.relname";

constexpr const char* k_enums_sql =
    "select t.typname, e.enumlabel\n"
    "from pg_enum e join pg_type t on t.oid = e.enumtypid\n"
    "join pg_namespace n on n.oid = t.typnamespace\n"
    "where n.nspname = 'public'\n"
    "order by t.typname, e.enumsortorder";

std::string drizzle_type(std::string_view pg) {
  auto with_suffix = [&](std::string_view prefix, std::string_view replacement) -> std::string {
    return std::string(replacement) + std::string(pg.substr(prefix.size()));
  };
  if (pg.starts_with("character varying")) return with_suffix("character varying", "varchar");
  if (pg.starts_with("character(")) return with_suffix("character", "char");
  if (pg == "timestamp without time zone") return "timestamp";
  if (pg == "time without time zone") return "time";
  if (pg.starts_with("numeric(")) {
    std::string out(pg);
    const auto comma = out.find(',');
    if (comma != std::string::npos && out[comma + 1] != ' ') out.insert(comma + 1, " ");
    return out;
  }
  if (pg.size() >= 2 && pg.front() == '"' && pg.back() == '"') return std::string(pg.substr(1, pg.size() - 2));
  return std::string(pg);
}

// "'x'::text" -> "'x'", "'{}'::jsonb" kept only when the cast is not on a plain quoted literal.
std::string drizzle_default(std::string_view d) {
  if (d.starts_with("'")) {
    const auto close = d.rfind('\'');
    if (close > 0 && d.substr(close + 1).starts_with("::")) return std::string(d.substr(0, close + 1));
  }
  return std::string(d);
}

bool is_literal(std::string_view d) {
  if (d == "true" || d == "false") return true;
  if (d.empty()) return false;
  for (char c : d)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  return true;
}

db::table_model& table_named(db::schema_model& s, std::string_view name) {
  for (auto& t : s.tables)
    if (t.name == name) return t;
  s.tables.push_back(db::table_model{std::string(name), "", {}, {}, {}, {}, {}});
  return s.tables.back();
}

db::column_model column_from(const neon::result_set& rs, std::size_t r) {
  db::column_model c;
  c.name = std::string(rs.text(r, 1));
  c.type = drizzle_type(rs.text(r, 2));
  c.not_null = rs.text(r, 3) == "t";
  c.primary_key = rs.text(r, 6) == "t";
  if (rs.text(r, 5) == "t") c.type_schema = "public";
  if (!rs.is_null(r, 4)) {
    const std::string_view d = rs.text(r, 4);
    if (d.starts_with("nextval(") && c.type == "integer") c.type = "serial";
    else if (d.starts_with("nextval(") && c.type == "bigint") c.type = "bigserial";
    else {
      c.default_value = drizzle_default(d);
      c.default_is_literal = is_literal(*c.default_value);
    }
  }
  return c;
}

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  for (;;) {
    const auto at = s.find(',');
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

}  // namespace

std::vector<neon::query> introspect_batch() {
  return {{k_columns_sql, {}}, {k_indexes_sql, {}}, {k_enums_sql, {}}};
}

result<db::schema_model> live_model(std::span<const neon::result_set> results) {
  if (results.size() < 3 || results[0].columns() < 7 || results[1].columns() < 5 ||
      results[2].columns() < 2)
    return fail(errc::parse_error, "introspection: unexpected result shape");
  db::schema_model s;
  const auto& cols = results[0];
  for (std::size_t r = 0; r < cols.rows(); ++r)
    table_named(s, cols.text(r, 0)).columns.push_back(column_from(cols, r));
  const auto& idx = results[1];
  for (std::size_t r = 0; r < idx.rows(); ++r) {
    db::index_model m;
    m.name = std::string(idx.text(r, 1));
    m.is_unique = idx.text(r, 2) == "t";
    m.method = std::string(idx.text(r, 3));
    for (auto& col : split_commas(idx.text(r, 4))) m.columns.push_back(db::index_column_model{std::move(col)});
    table_named(s, idx.text(r, 0)).indexes.push_back(std::move(m));
  }
  const auto& en = results[2];
  for (std::size_t r = 0; r < en.rows(); ++r) {
    const std::string_view name = en.text(r, 0);
    if (s.enums.empty() || s.enums.back().name != name) s.enums.push_back(db::enum_model{std::string(name), "public", {}});
    s.enums.back().values.emplace_back(en.text(r, 1));
  }
  return s;
}

}  // namespace edgefn::migrate
