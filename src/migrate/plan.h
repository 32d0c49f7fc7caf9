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
// drizzle-orm 1.0 ("version 1" of the table) adds `name text` and `applied_at timestamptz
// default now()`, decides pending by the SET of names, and upgrades a version-0 table by
// back-filling each row's name (matched by created_at truncated to seconds, hash as tiebreaker
// or fallback; applied_at = NULL for back-filled rows), refusing when a row matches nothing.
// plan_run follows the same rules so neither migrator re-applies the other's work:
//  - a table with `name` (any layout): pending = migrations whose name is not recorded; rows
//    without a name (written by drizzle 0.x or an older edgefn) get theirs back-filled;
//  - a table without `name` and the folder layout: upgrade it exactly as drizzle 1.0 would;
//  - a table without `name` and the journal layout: drizzle 0.x's table, kept as is (hashes).
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

/// drizzle's exact bootstrap DDL: drizzle-orm 0.45's table for the journal layout, 1.0's
/// (with name, applied_at) for the folder layout.
[[nodiscard]] std::string create_schema_sql();
[[nodiscard]] std::string create_table_sql(layout l = layout::journal);

/// A row of the tracking table.
struct applied_row {
  std::string hash;
  std::optional<std::int64_t> created_at;
  std::optional<std::string> name;  ///< NULL, or no such column (version 0)
  std::int64_t id = 0;
};

/// The tracking table as the bootstrap batch read it.
struct tracking_state {
  bool has_name = false;  ///< drizzle 1.0's "version 1" (a `name` column)
  std::vector<applied_row> rows;
};

/// A name to write into a row that has none.
struct name_fill {
  std::int64_t id = 0;
  std::string name;
};

/// What plan_run decided: plan_migrations' fields plus the table upgrade.
struct run_plan {
  std::vector<std::size_t> pending;   ///< indexes into the migrations, in order
  std::vector<std::size_t> applied;
  std::vector<std::string> warnings;
  bool by_name = false;               ///< pending decided by names; inserts record the name
  bool add_columns = false;           ///< add name/applied_at first (version 0 -> 1)
  std::vector<name_fill> fills;       ///< rows to back-fill (applied_at set to NULL, as drizzle)
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

/// Plans a run against the table `state` (see the top of this file). Errors (invalid_argument):
/// plan_migrations' errors on a version-0 table with the journal layout; on an upgrade, rows
/// that match no migration (drizzle 1.0 refuses the same upgrade), naming their ids.
[[nodiscard]] result<run_plan> plan_run(std::span<const migration> migrations, const tracking_state& state,
                                        layout l);

/// The first request of a run: lock, create the tracking schema/table if missing (the DDL of
/// `l`), then whether it has a `name` column and its rows (read both with read_tracking_state).
[[nodiscard]] std::vector<neon::query> bootstrap_batch(layout l = layout::journal);

/// The read-only queries of bootstrap_batch (the last two), for a table known to exist.
[[nodiscard]] std::vector<neon::query> tracking_queries();

/// Decodes the last result of tracking_queries: `select hash, created_at[, name, id]`. Errors:
/// a row with a NULL hash is kept as "", a non-integer created_at is an error (parse_error).
[[nodiscard]] result<std::vector<applied_row>> read_applied_rows(const neon::result_set& rs);

/// Decodes the last two results of tracking_queries (has-name flag, rows).
[[nodiscard]] result<tracking_state> read_tracking_state(const neon::result_set& has_name,
                                                         const neon::result_set& rows);

/// The batch upgrading/back-filling the table for `p` (lock, ALTERs when p.add_columns, one
/// UPDATE per fill), or an empty batch when there is nothing to do.
[[nodiscard]] std::vector<neon::query> upgrade_batch(const run_plan& p, layout l);

/// The batch applying `m`: lock, bootstrap DDL, the already-applied re-check, every statement
/// chunk verbatim, then the tracking insert (hash, created_at = when). `match_when` adds
/// `created_at = when` to the re-check (for migrations whose hash is not unique).
[[nodiscard]] std::vector<neon::query> migration_batch(const migration& m, bool match_when = false);

/// The batch applying `m` to a version-1 table: as migration_batch, but the re-check is by name
/// and the insert records hash, created_at = when, name and applied_at = now().
[[nodiscard]] std::vector<neon::query> named_migration_batch(const migration& m, layout l);

/// Batch options for both batches: READ COMMITTED, so the re-check after the lock sees what
/// concurrent runs committed (a REPEATABLE READ snapshot would be taken before the lock).
[[nodiscard]] neon::batch_options migration_batch_options();

/// True when the hash appears more than once among `migrations` (use match_when then).
[[nodiscard]] bool hash_is_shared(std::span<const migration> migrations, std::size_t index);

}  // namespace edgefn::migrate
