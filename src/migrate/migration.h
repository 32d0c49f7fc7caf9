#pragma once
// A migration as the runtime sees it: the journal entry joined with its SQL file, the
// statement chunks, and the hash drizzle records for it.

#include <cstdint>
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

/// A journal entry with its file.
struct migration {
  std::string tag;
  std::int64_t when = 0;
  std::string sql;                      ///< the whole file, byte for byte
  std::string hash;                     ///< sha256_hex(sql), as drizzle stores it
  std::vector<std::string> statements;  ///< split_statements(sql)
};

/// Builds a migration from a tag, `when` and the file text.
[[nodiscard]] migration make_migration(std::string tag, std::int64_t when, std::string sql);

/// Reads "meta/_journal.json" from `files` and joins every entry with "<tag>.sql", in journal
/// order. Errors: parse_error from parse_journal; invalid_argument when the journal or an
/// entry's file is missing (the message names the file).
[[nodiscard]] result<std::vector<migration>> load_migrations(std::span<const source_file> files);

}  // namespace edgefn::migrate
