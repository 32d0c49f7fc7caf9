#pragma once
// drizzle-kit's migration journal (`meta/_journal.json`, 0.x "v2 folders" layout):
//   {"version":"7","dialect":"postgresql","entries":[
//     {"idx":0,"version":"7","when":1795324614139,"tag":"0000_initial","breakpoints":true}, ...]}
// The runtime only needs `when` (stored as created_at in the tracking table) and `tag` (the file
// stem: the migration's SQL lives in `<tag>.sql`).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace edgefn::migrate {

/// One journal entry, in journal order.
struct journal_entry {
  std::int64_t idx = 0;
  std::string version;       ///< snapshot format version ("7")
  std::int64_t when = 0;     ///< Date.now() in ms when drizzle-kit generated it
  std::string tag;           ///< file stem, e.g. "0000_initial"
  bool breakpoints = true;   ///< informative only: files are always split on the marker
};

struct journal {
  std::string version;   ///< "7"
  std::string dialect;   ///< "postgresql"
  std::vector<journal_entry> entries;
};

/// Parses the journal text. Errors (parse_error): malformed JSON, a missing/mistyped required
/// field (`dialect`, `entries`, and per entry `when` as an integer and a non-empty `tag`), a
/// dialect other than "postgresql", a tag that is not a plain file stem (contains '/', '\\' or
/// starts with '.'), or a duplicated tag. Missing `version`/`idx`/`breakpoints` get defaults.
[[nodiscard]] result<journal> parse_journal(std::string_view json_text);

/// The journal text exactly as drizzle-kit writes it (JSON.stringify(journal, null, 2), no
/// trailing newline): parse_journal then journal_json gives back drizzle-kit's bytes.
[[nodiscard]] std::string journal_json(const journal& j);

}  // namespace edgefn::migrate
