#pragma once
// `db generate` in the core: diff the C++ schema against the newest snapshot of a drizzle-kit
// migrations folder and produce the next migration exactly as drizzle-kit would write it
// (NNNN_name.sql, meta/NNNN_snapshot.json, the journal with one more entry). The host supplies
// the clock (`when`) and a random UUID, and writes the files.
//
// In drizzle-kit 1.0's folder layout the migration is `<YYYYMMDDHHmmss>_<name>/migration.sql`
// with its `snapshot.json` (no journal), in drizzle-kit 1.0's format 9 (snapshot9_write.h) as
// drizzle-kit 1.0 writes it; a folder whose snapshots are still in format 7 (awaiting `drizzle-kit
// up`) gets format 7 again. The newest snapshot is read in either format (format 9: snapshot9.h).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "db/model.h"
#include "migrate/migration.h"
#include "migrate/renames.h"

namespace edgefn::migrate {

/// The files of a new migration (names relative to the migrations folder).
struct generated_migration {
  std::string tag;            ///< "0003_add_brand" (folder layout: "20261130061500_add_brand")
  std::string sql_name;       ///< "0003_add_brand.sql" (folder layout: "<tag>/migration.sql")
  std::string sql;            ///< drizzle-kit's statements joined with breakpoints
  std::string snapshot_name;  ///< "meta/0003_snapshot.json" (folder layout: "<tag>/snapshot.json")
  std::string snapshot;
  std::string journal;        ///< the whole new meta/_journal.json ("" in the folder layout)
};

/// The snapshot file of the last journal entry ("meta/<prefix>_snapshot.json", where the prefix
/// is the tag up to its first '_'), or nullopt for an empty journal.
[[nodiscard]] std::optional<std::string> last_snapshot_name(std::span<const source_file> files);

/// The newest snapshot's schema (an empty schema and the origin id for an empty or missing
/// history). Folder layout: the one snapshot no other names as its parent. Errors: a malformed
/// journal/snapshot, a journal whose last snapshot is missing, a folder history with several
/// open branches (invalid_argument), a format 9 history edgefn cannot replay (unsupported).
struct snapshot_head {
  db::schema_model schema;
  std::string id;
};
[[nodiscard]] result<snapshot_head> latest_snapshot(std::span<const source_file> files);

/// The next migration, or nullopt when the C++ schema equals the newest snapshot ("No schema
/// changes, nothing to migrate"). `name` must be a non-empty [A-Za-z0-9_-] word (invalid_argument
/// otherwise); `when` is Date.now() in ms; `new_id` a fresh UUID for the snapshot. The layout is
/// the folder's (detect_layout); `new_folder_layout` only decides for a folder with no migration.
/// `renames` (renames.h) turn what would be a drop + add into renames; a hint that does not fit
/// the newest snapshot and the schema is an error (invalid_argument, one line) and nothing is
/// generated.
[[nodiscard]] result<std::optional<generated_migration>> generate_migration(
    std::span<const source_file> files, const db::schema_model& schema, std::string_view name,
    std::int64_t when, std::string_view new_id, layout new_folder_layout = layout::journal,
    std::span<const rename_hint> renames = {});

}  // namespace edgefn::migrate
