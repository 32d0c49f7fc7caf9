#include "migrate/introspect.h"

#include <algorithm>
#include <charconv>

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

// Per key column, joined by chr(31): the column name (or the expression), whether it is an
// expression (indkey 0) and its indoption bits (1: DESC, 2: NULLS FIRST).
constexpr const char* k_indexes_sql =
    "select t.relname, i.relname, ix.indisunique, am.amname,\n"
    "       array_to_string(array(select case when ix.indkey[k - 1] = 0\n"
    "                                      then pg_get_indexdef(ix.indexrelid, k, true)\n"
    "                                      else (select attname from pg_attribute\n"
    "                                            where attrelid = ix.indrelid and attnum = ix.indkey[k - 1]) end\n"
    "                             from generate_series(1, ix.indnkeyatts) k order by k), chr(31)),\n"
    "       array_to_string(array(select (ix.indkey[k - 1] = 0)::text || ':' || ix.indoption[k - 1]::int\n"
    "                             from generate_series(1, ix.indnkeyatts) k order by k), chr(31))\n"
    "from pg_index ix\n"
    "join pg_class i on i.oid = ix.indexrelid\n"
    "join pg_class t on t.oid = ix.indrelid\n"
    "join pg_namespace n on n.oid = t.relnamespace\n"
    "join pg_am am on am.oid = i.relam\n"
    "where n.nspname = 'public' and not ix.indisprimary\n"
    "  and not exists (select 1 from pg_constraint con where con.conindid = ix.indexrelid)\n"
    "order by t.relname, i.relname";

// Foreign keys, unique, check and primary-key constraints of public tables. Column lists are
// in key order, joined by chr(31) (names may hold commas).
constexpr const char* k_constraints_sql =
    "select c.relname, con.conname, con.contype,\n"
    "       array_to_string(array(select a.attname from unnest(con.conkey) with ordinality k(n, o)\n"
    "                             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n\n"
    "                             order by k.o), chr(31)),\n"
    "       coalesce(f.relname, ''),\n"
    "       array_to_string(array(select a.attname from unnest(con.confkey) with ordinality k(n, o)\n"
    "                             join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n\n"
    "                             order by k.o), chr(31)),\n"
    "       con.confdeltype, con.confupdtype, pg_get_constraintdef(con.oid)\n"
    "from pg_constraint con\n"
    "join pg_class c on c.oid = con.conrelid\n"
    "join pg_namespace n on n.oid = c.relnamespace\n"
    "left join pg_class f on f.oid = con.confrelid\n"
    "where n.nspname = 'public' and con.contype in ('f', 'u', 'c', 'p')\n"
    "order by c.relname, con.conname";

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
  s.tables.push_back(db::table_model{std::string(name), "", {}, {}, {}, {}, {}, {}});
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

std::vector<std::string> split_units(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (;;) {
    const auto at = s.find('\x1f');
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// pg_constraint's confdeltype/confupdtype letter in drizzle-kit's spelling.
std::string fk_action(std::string_view letter) {
  if (letter == "c") return "cascade";
  if (letter == "n") return "set null";
  if (letter == "d") return "set default";
  if (letter == "r") return "restrict";
  return "no action";
}

// "CHECK ((price > 0))" -> "(price > 0)": the condition as Postgres renders it.
std::string check_value(std::string_view def) {
  constexpr std::string_view head = "CHECK (";
  if (def.starts_with(head) && def.ends_with(")")) def = def.substr(head.size(), def.size() - head.size() - 1);
  if (def.ends_with(" NOT VALID")) def.remove_suffix(10);
  return std::string(def);
}

db::index_model index_from(const neon::result_set& rs, std::size_t r) {
  db::index_model m;
  m.name = std::string(rs.text(r, 1));
  m.is_unique = rs.text(r, 2) == "t";
  m.method = std::string(rs.text(r, 3));
  const auto names = split_units(rs.text(r, 4));
  const auto flags = split_units(rs.text(r, 5));
  for (std::size_t i = 0; i < names.size(); ++i) {
    db::index_column_model c{names[i]};
    if (i < flags.size()) {
      const std::string_view f = flags[i];
      const std::string_view digits = f.substr(f.find(':') + 1);
      int option = 0;
      std::from_chars(digits.data(), digits.data() + digits.size(), option);
      c.is_expression = f.starts_with("true");
      c.asc = (option & 1) == 0;
      c.nulls = (option & 2) != 0 ? "first" : "last";
    }
    m.columns.push_back(std::move(c));
  }
  return m;
}

void add_constraint(db::table_model& t, const neon::result_set& rs, std::size_t r) {
  const std::string_view kind = rs.text(r, 2);
  std::string name(rs.text(r, 1));
  auto columns = split_units(rs.text(r, 3));
  if (kind == "f") {
    db::foreign_key_model fk;
    fk.name = std::move(name);
    fk.table_from = t.name;
    fk.table_to = std::string(rs.text(r, 4));
    fk.columns_from = std::move(columns);
    fk.columns_to = split_units(rs.text(r, 5));
    fk.on_delete = fk_action(rs.text(r, 6));
    fk.on_update = fk_action(rs.text(r, 7));
    t.foreign_keys.push_back(std::move(fk));
  } else if (kind == "u") {
    const bool nnd = rs.text(r, 8).find("NULLS NOT DISTINCT") != std::string_view::npos;
    t.unique_constraints.push_back({std::move(name), std::move(columns), nnd});
  } else if (kind == "c") {
    t.check_constraints.push_back({std::move(name), check_value(rs.text(r, 8))});
  } else if (kind == "p" && columns.size() > 1) {  // one-column keys are the column's primaryKey
    t.composite_primary_keys.push_back({std::move(name), std::move(columns)});
  }
}

}  // namespace

std::vector<neon::query> introspect_batch() {
  return {{k_columns_sql, {}}, {k_indexes_sql, {}}, {k_enums_sql, {}}, {k_constraints_sql, {}}};
}

result<db::schema_model> live_model(std::span<const neon::result_set> results) {
  if (results.size() < 4 || results[0].columns() < 7 || results[1].columns() < 6 ||
      results[2].columns() < 2 || results[3].columns() < 9)
    return fail(errc::parse_error, "introspection: unexpected result shape");
  db::schema_model s;
  const auto& cols = results[0];
  for (std::size_t r = 0; r < cols.rows(); ++r)
    table_named(s, cols.text(r, 0)).columns.push_back(column_from(cols, r));
  const auto& idx = results[1];
  for (std::size_t r = 0; r < idx.rows(); ++r) table_named(s, idx.text(r, 0)).indexes.push_back(index_from(idx, r));
  const auto& cons = results[3];
  for (std::size_t r = 0; r < cons.rows(); ++r) add_constraint(table_named(s, cons.text(r, 0)), cons, r);
  const auto& en = results[2];
  for (std::size_t r = 0; r < en.rows(); ++r) {
    const std::string_view name = en.text(r, 0);
    if (s.enums.empty() || s.enums.back().name != name) s.enums.push_back(db::enum_model{std::string(name), "public", {}});
    s.enums.back().values.emplace_back(en.text(r, 1));
  }
  return s;
}

}  // namespace edgefn::migrate
