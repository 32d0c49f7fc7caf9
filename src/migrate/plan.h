#pragma once
// Deciding which migrations to apply, and the Neon batches that apply them safely.
//
// Tracking table: drizzle's own `"drizzle"."__drizzle_migrations"(id serial, hash text,
// created_at bigint)`, one row per applied migration with hash = sha256 of the file and
// created_at = the journal `when`, so drizzle's migrator and ours read each other's history.
//
// Pending is decided by the SET of applied hashes (not drizzle's high-water mark on
// created_at): a migration merged from another branch with an older `when` is still applied.
//
// Concurrency: every batch starts with pg_advisory_xact_lock(k_lock_key), which serialises all
// edgefn migrators on the database until that batch's transaction ends (a transaction-level
// lock: session locks do not survive between Neon HTTP requests). A migration batch re-checks
// under the lock, with a fresh READ COMMITTED snapshot, that its hash is not recorded yet; if a
// concurrent run recorded it meanwhile, the check raises SQLSTATE k_already_applied_state, the
// batch rolls back having changed nothing, and the runner counts the migration as applied by
// someone else. So two concurrent runs apply each migration exactly once and neither fails.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "migrate/migration.h"
#include "neon/request.h"
#include "neon/result_set.h"

namespace edgefn::migrate {

/// The advisory lock key every edgefn migration/seed batch takes ("edgefnMG" as a big-endian
/// int64).
inline constexpr std::int64_t k_lock_key = 7306078180709649735;
/// The SQLSTATE the in-batch re-check raises when the migration is already recorded.
inline constexpr std::string_view k_already_applied_state = "EFM01";

/// drizzle's exact bootstrap DDL (drizzle-orm 0.45 pg-core/neon-http migrators).
[[nodiscard]] std::string create_schema_sql();
[[nodiscard]] std::string create_table_sql();

/// A row of the tracking table.
struct applied_row {
  std::string hash;
  std::optional<std::int64_t> created_at;
};

/// What plan_migrations decided.
struct plan {
  std::vector<std::size_t> pending;   ///< indexes into the migrations, in journal order
  std::vector<std::size_t> applied;   ///< indexes of migrations already recorded
  std::vector<std::string> warnings;  ///< tracking rows that match no migration file
};

/// Plans a run. A migration is applied iff a row carries its hash (when two migrations have
/// identical files, and so the same hash, the row's created_at must also equal its `when`).
/// Errors (invalid_argument), naming the migration: a migration that is not applied while a
/// row has created_at == its `when` and a hash that matches no migration: its file was edited
/// after it was applied. Rows matching nothing else produce warnings (a deleted migration, or
/// one from another branch).
[[nodiscard]] result<plan> plan_migrations(std::span<const migration> migrations,
                                           std::span<const applied_row> rows);

/// The first request of a run: lock, create the tracking schema/table if missing, then
/// `select hash, created_at` from it (the last result set; read it with read_applied_rows).
[[nodiscard]] std::vector<neon::query> bootstrap_batch();

/// Decodes the last result of bootstrap_batch. Errors: a row with a NULL hash is kept as "",
/// a non-integer created_at is an error (parse_error).
[[nodiscard]] result<std::vector<applied_row>> read_applied_rows(const neon::result_set& rs);

/// The batch applying `m`: lock, bootstrap DDL, the already-applied re-check, every statement
/// chunk verbatim, then the tracking insert (hash, created_at = when). `match_when` adds
/// `created_at = when` to the re-check (for migrations whose hash is not unique).
[[nodiscard]] std::vector<neon::query> migration_batch(const migration& m, bool match_when = false);

/// Batch options for both batches: READ COMMITTED, so the re-check after the lock sees what
/// concurrent runs committed (a REPEATABLE READ snapshot would be taken before the lock).
[[nodiscard]] neon::batch_options migration_batch_options();

/// True when the hash appears more than once among `migrations` (use match_when then).
[[nodiscard]] bool hash_is_shared(std::span<const migration> migrations, std::size_t index);

}  // namespace edgefn::migrate
