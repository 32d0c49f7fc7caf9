#pragma once
// Postgres WAL positions (pg_lsn): "16/B374D848" is 0x16B374D848. Bookmarks carry them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgefn::neon {

/// Parses the text form "X/Y" (each 1..8 hex digits). nullopt for anything else.
[[nodiscard]] std::optional<std::uint64_t> parse_lsn(std::string_view text) noexcept;

/// The text form of `lsn` (uppercase hex, as Postgres prints it).
[[nodiscard]] std::string format_lsn(std::uint64_t lsn);

}  // namespace edgefn::neon
