#include "migrate/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/json_writer.h"
#include "base/text.h"

namespace edgefn::migrate {
namespace {

constexpr std::string_view k_table = "\"drizzle\".\"__drizzle_migrations\"";

std::string lock_sql() {
  return "select pg_advisory_xact_lock(" + json::decimal(k_lock_key) + ")";
}

std::string raise_if_exists(const std::string& cond) {
  return "do $edgefn$ begin if exists (select 1 from " + std::string(k_table) + " where " + cond +
         ") then raise exception using errcode = '" + std::string(k_already_applied_state) +
         "', message = 'edgefn: migration already applied by a concurrent run'; end if; "
         "end $edgefn$";
}

bool row_matches(const migration& m, const applied_row& r, bool match_when) {
  return r.hash == m.hash && (!match_when || r.created_at == m.when);
}

bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return !s.empty();
}

// The re-check under the lock. The hash (lowercase hex) and `when` (an integer) are inlined:
// a DO block takes no parameters.
std::string recheck_sql(const migration& m, bool match_when) {
  std::string cond = "hash = '" + (is_lower_hex(m.hash) ? m.hash : std::string("invalid")) + "'";
  if (match_when) cond += " and created_at = " + json::decimal(m.when);
  return raise_if_exists(cond);
}

// A text as an SQL expression without quoting rules: a DO block takes no parameters.
std::string text_literal(std::string_view s) {
  return "convert_from(decode('" + text::hex_encode(s) + "', 'hex'), 'UTF8')";
}

// drizzle 1.0's upToV1: String(created_at) with its last three digits zeroed.
std::int64_t whole_seconds(std::int64_t ms) { return ms / 1000 * 1000; }

// drizzle 1.0's upToV1 matching of one row without a name: the migrations of the row's second
// (one: it; several: the one with the row's hash), or else the migration with the row's hash.
struct row_matcher {
  std::map<std::int64_t, std::vector<std::size_t>> by_millis;
  std::map<std::string, std::size_t, std::less<>> by_hash;

  explicit row_matcher(std::span<const migration> ms) {
    std::vector<std::size_t> order(ms.size());
    for (std::size_t i = 0; i < ms.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return ms[a].when != ms[b].when ? ms[a].when < ms[b].when : ms[a].name < ms[b].name;
    });
    for (std::size_t i : order) {
      by_millis[ms[i].when].push_back(i);
      by_hash[ms[i].hash] = i;  // the last one wins, as in drizzle's Map
    }
  }

  std::optional<std::size_t> match(std::span<const migration> ms, const applied_row& r) const {
    if (r.created_at) {
      auto it = by_millis.find(whole_seconds(*r.created_at));
      if (it != by_millis.end() && it->second.size() == 1) return it->second.front();
      if (it != by_millis.end()) {
        for (std::size_t i : it->second)
          if (ms[i].hash == r.hash) return i;
        return std::nullopt;
      }
    }
    auto h = by_hash.find(r.hash);
    if (h == by_hash.end()) return std::nullopt;
    return h->second;
  }
};

result<std::vector<name_fill>> fills_for(std::span<const migration> ms, const tracking_state& state,
                                         std::vector<std::string>& warnings) {
  const row_matcher matcher(ms);
  std::vector<name_fill> fills;
  std::string unmatched;
  std::size_t unmatched_count = 0;
  for (const auto& r : state.rows) {
    if (r.name) continue;
    if (auto i = matcher.match(ms, r)) {
      fills.push_back({r.id, ms[*i].name});
      continue;
    }
    ++unmatched_count;
    unmatched += (unmatched.empty() ? "" : ", ") + json::decimal(r.id);
    if (state.has_name)
      warnings.push_back("applied migration with hash " + r.hash + " (id " + json::decimal(r.id) +
                         ", no name) matches no migration");
  }
  if (!state.has_name && unmatched_count > 0)
    return fail(errc::invalid_argument,
                "upgrading the migration table to drizzle 1.0's shape: " + json::decimal(static_cast<std::int64_t>(unmatched_count)) +
                    " recorded migration(s) (ids: " + unmatched +
                    ") match no local migration; restore the missing migrations first");
  return fills;
}

result<run_plan> plan_by_name(std::span<const migration> ms, const tracking_state& state) {
  run_plan out;
  out.by_name = true;
  out.add_columns = !state.has_name;
  auto fills = fills_for(ms, state, out.warnings);
  if (!fills) return std::move(fills).error();
  out.fills = std::move(*fills);
  std::set<std::string, std::less<>> names;
  for (const auto& r : state.rows)
    if (r.name) names.insert(*r.name);
  for (const auto& f : out.fills) names.insert(f.name);
  std::set<std::string, std::less<>> local;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    local.insert(ms[i].name);
    (names.contains(ms[i].name) ? out.applied : out.pending).push_back(i);
  }
  for (const auto& r : state.rows)
    if (r.name && !local.contains(*r.name))
      out.warnings.push_back("applied migration " + *r.name + " matches no migration file");
  return out;
}

}  // namespace

std::string create_schema_sql() { return "CREATE SCHEMA IF NOT EXISTS \"drizzle\""; }

std::string create_table_sql(layout l) {
  if (l == layout::folders)
    return "\n\t\tCREATE TABLE IF NOT EXISTS \"drizzle\".\"__drizzle_migrations\" (\n"
           "\t\t\tid SERIAL PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at bigint,\n"
           "\t\t\tname text,\n\t\t\tapplied_at timestamp with time zone DEFAULT now()\n\t\t)\n\t";
  return "\n\t\tCREATE TABLE IF NOT EXISTS \"drizzle\".\"__drizzle_migrations\" (\n"
         "\t\t\tid SERIAL PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at bigint\n\t\t)\n\t";
}

bool hash_is_shared(std::span<const migration> migrations, std::size_t index) {
  for (std::size_t i = 0; i < migrations.size(); ++i)
    if (i != index && migrations[i].hash == migrations[index].hash) return true;
  return false;
}

result<plan> plan_migrations(std::span<const migration> migrations,
                             std::span<const applied_row> rows) {
  plan out;
  std::vector<bool> row_used(rows.size(), false);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const bool match_when = hash_is_shared(migrations, i);
    bool applied = false;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (!row_matches(migrations[i], rows[r], match_when)) continue;
      applied = true;
      row_used[r] = true;
    }
    (applied ? out.applied : out.pending).push_back(i);
  }
  auto hash_known = [&](std::string_view h) {
    for (const auto& m : migrations)
      if (m.hash == h) return true;
    return false;
  };
  for (std::size_t i : out.pending) {
    const migration& m = migrations[i];
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].created_at != m.when || hash_known(rows[r].hash)) continue;
      return fail(errc::invalid_argument,
                  "migration " + m.tag + " was edited after it was applied (recorded hash " +
                      rows[r].hash + ", file hash " + m.hash +
                      "); restore the file or write a new migration");
    }
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (row_used[r]) continue;
    std::string when = rows[r].created_at ? json::decimal(*rows[r].created_at) : "null";
    out.warnings.push_back("applied migration with hash " + rows[r].hash + " (created_at " + when +
                           ") matches no migration file");
  }
  return out;
}

result<run_plan> plan_run(std::span<const migration> migrations, const tracking_state& state, layout l) {
  if (state.has_name || l == layout::folders) return plan_by_name(migrations, state);
  auto p = plan_migrations(migrations, state.rows);
  if (!p) return std::move(p).error();
  run_plan out;
  out.pending = std::move(p->pending);
  out.applied = std::move(p->applied);
  out.warnings = std::move(p->warnings);
  return out;
}

std::vector<neon::query> tracking_queries() {
  std::vector<neon::query> q;
  q.push_back({"select exists (select 1 from pg_catalog.pg_attribute a join pg_catalog.pg_class c on "
               "c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace where "
               "a.attnum > 0 and not a.attisdropped and n.nspname = 'drizzle' and "
               "c.relname = '__drizzle_migrations' and a.attname = 'name')",
               {}});
  // to_jsonb reads `name` whether or not the column exists (NULL on drizzle 0.x's table).
  q.push_back({"select hash, created_at, to_jsonb(m) ->> 'name' as name, id from " + std::string(k_table) +
                   " m order by id",
               {}});
  return q;
}

std::vector<neon::query> bootstrap_batch(layout l) {
  std::vector<neon::query> q;
  q.push_back({lock_sql(), {}});
  q.push_back({create_schema_sql(), {}});
  q.push_back({create_table_sql(l), {}});
  for (auto& t : tracking_queries()) q.push_back(std::move(t));
  return q;
}

result<std::vector<applied_row>> read_applied_rows(const neon::result_set& rs) {
  std::vector<applied_row> out;
  if (rs.columns() < 2) return fail(errc::parse_error, "tracking table query returned no columns");
  for (std::size_t r = 0; r < rs.rows(); ++r) {
    applied_row row;
    if (!rs.is_null(r, 0)) row.hash = std::string(rs.text(r, 0));
    if (!rs.is_null(r, 1)) {
      auto v = rs.get<std::int64_t>(r, 1);
      if (!v) return fail(errc::parse_error, "tracking table: created_at is not an integer");
      row.created_at = *v;
    }
    if (rs.columns() >= 4) {
      if (!rs.is_null(r, 2)) row.name = std::string(rs.text(r, 2));
      auto id = rs.get<std::int64_t>(r, 3);
      if (!id) return fail(errc::parse_error, "tracking table: id is not an integer");
      row.id = *id;
    }
    out.push_back(std::move(row));
  }
  return out;
}

result<tracking_state> read_tracking_state(const neon::result_set& has_name, const neon::result_set& rows) {
  if (has_name.rows() != 1 || has_name.columns() != 1)
    return fail(errc::parse_error, "tracking table: the column check returned no row");
  tracking_state out;
  out.has_name = has_name.text(0, 0) == "t";
  auto r = read_applied_rows(rows);
  if (!r) return std::move(r).error();
  out.rows = std::move(*r);
  return out;
}

std::vector<neon::query> upgrade_batch(const run_plan& p, layout l) {
  std::vector<neon::query> q;
  if (!p.add_columns && p.fills.empty()) return q;
  q.push_back({lock_sql(), {}});
  q.push_back({create_schema_sql(), {}});
  q.push_back({create_table_sql(l), {}});
  if (p.add_columns) {
    q.push_back({"ALTER TABLE " + std::string(k_table) + " ADD COLUMN IF NOT EXISTS \"name\" text", {}});
    q.push_back({"ALTER TABLE " + std::string(k_table) +
                     " ADD COLUMN IF NOT EXISTS \"applied_at\" timestamp with time zone DEFAULT now()",
                 {}});
  }
  for (const auto& f : p.fills)
    q.push_back({"UPDATE " + std::string(k_table) +
                     " SET \"name\" = $1, \"applied_at\" = NULL WHERE \"id\" = $2 AND \"name\" IS NULL",
                 {neon::param(f.name), neon::param(f.id)}});
  return q;
}

std::vector<neon::query> named_migration_batch(const migration& m, layout l) {
  std::vector<neon::query> q;
  q.push_back({lock_sql(), {}});
  q.push_back({create_schema_sql(), {}});
  q.push_back({create_table_sql(l), {}});
  q.push_back({raise_if_exists("name = " + text_literal(m.name)), {}});
  for (const auto& s : m.statements) q.push_back({s, {}});
  q.push_back({"insert into " + std::string(k_table) +
                   " (\"hash\", \"created_at\", \"name\", \"applied_at\") values ($1, $2, $3, now())",
               {neon::param(m.hash), neon::param(m.when), neon::param(m.name)}});
  return q;
}

std::vector<neon::query> migration_batch(const migration& m, bool match_when) {
  std::vector<neon::query> q = bootstrap_batch();
  q.resize(3);  // lock, schema, table: no reads
  q.push_back({recheck_sql(m, match_when), {}});
  for (const auto& s : m.statements) q.push_back({s, {}});
  q.push_back({"insert into " + std::string(k_table) + " (\"hash\", \"created_at\") values ($1, $2)",
               {neon::param(m.hash), neon::param(m.when)}});
  return q;
}

neon::batch_options migration_batch_options() {
  neon::batch_options o;
  o.isolation = neon::isolation_level::read_committed;
  return o;
}

}  // namespace edgefn::migrate
