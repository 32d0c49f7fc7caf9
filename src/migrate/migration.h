#pragma once
// A migration as the runtime sees it: the journal entry (or the migration folder) joined with
// its SQL file, the statement chunks, and the hash and name drizzle records for it.
//
// Two layouts of a migrations folder are read:
//  - drizzle-kit 0.x ("journal"): `NNNN_tag.sql` + `meta/_journal.json` + `meta/NNNN_snapshot.json`;
//  - drizzle-kit 1.0 ("folders"): `<YYYYMMDDHHmmss>_<name>/migration.sql` + `snapshot.json`, no
//    journal: the folder name is the migration's name and its UTC time is `when` (drizzle-orm
//    1.0's readMigrationFiles: folders sorted by name, created_at = Date.UTC of the 14 digits).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "migrate/journal.h"

namespace edgefn::migrate {

/// The marker drizzle-kit writes between statements.
inline constexpr std::string_view k_breakpoint = "--> statement-breakpoint";

/// Splits a migration file like drizzle's readMigrationFiles: `text.split(k_breakpoint)`, no
/// trimming, so every chunk after the first keeps the newline that followed the marker. A text
/// without the marker is one chunk; an empty text is one empty chunk.
[[nodiscard]] std::vector<std::string> split_statements(std::string_view text);

/// One file of a migrations folder, by its path relative to the folder ("0000_x.sql",
/// "meta/_journal.json"). The views must outlive the call that receives them.
struct source_file {
  std::string_view name;
  std::string_view text;
};

/// The two folder layouts (see the top of this file).
enum class layout { journal, folders };

/// `folders` when `files` has a "<dir>/migration.sql" and no "meta/_journal.json"; else
/// `journal` (the default, also for an empty folder).
[[nodiscard]] layout detect_layout(std::span<const source_file> files);

/// drizzle-kit's folder time stamp of `millis` (UTC "YYYYMMDDHHmmss", what `drizzle-kit up`
/// and `generate` put before the name).
[[nodiscard]] std::string folder_stamp(std::int64_t millis);

/// The UTC milliseconds of a folder name's first 14 digits (drizzle's formatToMillis), or
/// nullopt when the name does not start with 14 digits forming a valid date and time.
[[nodiscard]] std::optional<std::int64_t> folder_millis(std::string_view folder);

/// A journal entry with its file.
struct migration {
  std::string tag;          ///< journal tag ("0000_initial") or folder name
  std::string name;         ///< drizzle 1.0's name: the folder name, or for a journal entry the
                            ///< folder `drizzle-kit up` moves it to ("<folder_stamp(when)>_initial")
  std::int64_t when = 0;
  std::string sql;                      ///< the whole file, byte for byte
  std::string hash;                     ///< sha256_hex(sql), as drizzle stores it
  std::vector<std::string> statements;  ///< split_statements(sql)
};

/// Builds a migration from a journal tag, `when` and the file text (name as `drizzle-kit up`
/// would give it).
[[nodiscard]] migration make_migration(std::string tag, std::int64_t when, std::string sql);

/// Builds a migration of the folder layout: tag = name = `folder`, `when` = folder_millis.
/// Errors (invalid_argument): a folder name without a valid 14-digit UTC time stamp.
[[nodiscard]] result<migration> make_folder_migration(std::string folder, std::string sql);

/// The migrations of `files` in the order drizzle applies them. Journal layout: every entry of
/// "meta/_journal.json" joined with "<tag>.sql", in journal order. Folder layout: every
/// "<folder>/migration.sql", sorted by folder name. Errors: parse_error from parse_journal;
/// invalid_argument when the journal or an entry's file is missing (the message names the
/// file), or a folder name has no valid time stamp.
[[nodiscard]] result<std::vector<migration>> load_migrations(std::span<const source_file> files);

}  // namespace edgefn::migrate
