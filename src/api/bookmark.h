#pragma once
// Edgefn-Bookmark values: "<WAL position>:<transaction id>" ("16/B374D848:7291"), both read
// inside the write's own transaction. The position orders bookmarks (cache floors,
// exchange::sql_call::after_lsn); the transaction id lets a read replica prove it has replayed
// the write's commit (api/replica.h), which the position alone cannot: it is read just before
// the commit record, and other transactions' WAL may come between the two. A bare position
// ("16/B374D848") is accepted too; it proves nothing to a replica.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgefn::api {

struct bookmark {
  std::uint64_t lsn = 0;  ///< the WAL insert position after the write (0 = no bookmark)
  std::uint64_t xid = 0;  ///< the write's transaction id (xid8); 0 = unknown
};

/// Parses "X/Y" or "X/Y:N" (N decimal, 1..2^63). nullopt for anything else.
[[nodiscard]] std::optional<bookmark> parse_bookmark(std::string_view text) noexcept;

/// The header value: "X/Y:N", or "X/Y" when the transaction id is unknown.
[[nodiscard]] std::string format_bookmark(const bookmark& b);

}  // namespace edgefn::api
