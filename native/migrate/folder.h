#pragma once
// Reading a drizzle-kit migrations folder from disk (what `edgefn migrate --dir` uses instead
// of the embedded copy).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "migrate/migration.h"

namespace edgefn::native {

/// The files of one folder, owning their bytes; files() views into them.
struct migration_folder {
  std::vector<std::string> names;
  std::vector<std::string> texts;
  /// Views valid while this object lives and is not modified.
  [[nodiscard]] std::vector<migrate::source_file> files() const;
};

/// Reads a migrations folder byte for byte, its files named relative to `dir`. drizzle-kit 0.x
/// layout: `dir`/meta/_journal.json, every `dir`/meta/*.json (snapshots) and every `dir`/*.sql.
/// drizzle-kit 1.0 layout (no journal): every `dir`/<folder>/migration.sql and its snapshot.json.
/// Errors (invalid_argument): the directory or a file cannot be read, or it holds neither layout.
[[nodiscard]] result<migration_folder> read_migration_folder(const std::string& dir);

/// The migration files a command works from, and where they came from.
struct migration_source {
  migration_folder folder;                    ///< owns the bytes when read from disk
  std::vector<migrate::source_file> files;   ///< views into `folder` or the embedded copy
  std::string origin;                         ///< "apps/x/migrations" or "embedded"
  std::string note;                           ///< one line when disk and binary differ, else ""
};

/// `flag_dir` (--dir) when given; else `app_dir` when that folder exists (the files on disk win,
/// `note` says so when they differ from `embedded`); else `embedded`. Errors: a folder that
/// cannot be read (see read_migration_folder).
[[nodiscard]] result<migration_source> choose_migrations(const std::string& flag_dir, std::string_view app_dir,
                                                         std::span<const migrate::source_file> embedded);

/// Writes `text` to `path` (creating parent folders). Errors (invalid_argument) name the path.
[[nodiscard]] status write_text_file(const std::string& path, std::string_view text);

}  // namespace edgefn::native
