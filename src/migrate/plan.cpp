#include "migrate/plan.h"

#include "base/json_writer.h"

namespace edgefn::migrate {
namespace {

constexpr std::string_view k_table = "\"drizzle\".\"__drizzle_migrations\"";

std::string lock_sql() {
  return "select pg_advisory_xact_lock(" + json::decimal(k_lock_key) + ")";
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
  return "do $edgefn$ begin if exists (select 1 from " + std::string(k_table) + " where " + cond +
         ") then raise exception using errcode = '" + std::string(k_already_applied_state) +
         "', message = 'edgefn: migration already applied by a concurrent run'; end if; "
         "end $edgefn$";
}

}  // namespace

std::string create_schema_sql() { return "CREATE SCHEMA IF NOT EXISTS \"drizzle\""; }

std::string create_table_sql() {
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

std::vector<neon::query> bootstrap_batch() {
  std::vector<neon::query> q;
  q.push_back({lock_sql(), {}});
  q.push_back({create_schema_sql(), {}});
  q.push_back({create_table_sql(), {}});
  q.push_back({"select hash, created_at from " + std::string(k_table) + " order by id", {}});
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
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<neon::query> migration_batch(const migration& m, bool match_when) {
  std::vector<neon::query> q = bootstrap_batch();
  q.pop_back();  // no select
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
