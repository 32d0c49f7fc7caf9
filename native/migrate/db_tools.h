#pragma once
// The drizzle-kit style schema commands over the native transport: generate (files on disk),
// check (live database vs C++ schema vs migration history) and push (apply the diff directly).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "db/model.h"
#include "migrate/generate.h"
#include "migrate/migration.h"
#include "transport/neon_exec.h"

namespace edgefn::native {

/// A random RFC 4122 version-4 UUID (std::random_device).
[[nodiscard]] std::string random_uuid();

/// Milliseconds since the Unix epoch (Date.now()).
[[nodiscard]] std::int64_t now_millis();

/// Generates the next migration of the folder `dir` for `schema` and writes its .sql, snapshot
/// and the updated journal (journal last; none in drizzle-kit 1.0's folder layout). The layout
/// is the folder's; `new_folder_layout` chooses it for a folder without migrations. Returns
/// nullopt, writing nothing, when the schema has no changes. `renames`: migrate/renames.h.
/// Errors (nothing written): reading/parsing the folder, an invalid name, a rename hint that
/// does not fit; a write failure.
[[nodiscard]] result<std::optional<migrate::generated_migration>> generate_to_folder(
    const std::string& dir, const db::schema_model& schema, const std::string& name,
    std::int64_t when, const std::string& uuid,
    migrate::layout new_folder_layout = migrate::layout::journal,
    std::span<const migrate::rename_hint> renames = {});

/// The live database's `public` schema (introspect.h), read in one read-only batch. Errors:
/// database or transport failures (no connection string in messages).
[[nodiscard]] result<db::schema_model> read_live_schema(curl_transport& transport, neon::client& client);

struct check_report {
  std::vector<std::string> drift;     ///< one sentence per difference (empty: clean)
  std::vector<std::string> warnings;  ///< tracking rows matching no migration file
};

/// Compares (1) the migration history in `files` with the database's tracking table (pending
/// or edited migrations), (2) `schema` with the folder's newest snapshot (changes without a
/// migration), (3) the live `public` schema with `schema`. Read-only. Errors: database or
/// transport failures (no connection string in messages), malformed migration files.
[[nodiscard]] result<check_report> check_database(curl_transport& transport, neon::client& client,
                                                  const db::schema_model& schema,
                                                  std::span<const migrate::source_file> files);

/// Diffs the live database against `schema` and applies the statements in one batch (a
/// single transaction behind the migration advisory lock). Returns the statements (empty:
/// nothing to do). No migration files or tracking rows are written.
[[nodiscard]] result<std::vector<std::string>> push_schema(curl_transport& transport, neon::client& client,
                                                           const db::schema_model& schema);

}  // namespace edgefn::native
