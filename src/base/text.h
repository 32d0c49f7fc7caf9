#pragma once
// Small ASCII text helpers shared by every layer (one copy each): hex digits, percent-decoding
// and case folding. Bytes outside ASCII pass through unchanged.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace edgefn::text {

/// The value of hex digit `c` (0..15), or -1.
[[nodiscard]] constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `bytes` as lowercase hex, two digits per byte.
[[nodiscard]] std::string hex_encode(std::string_view bytes);

/// Decodes %XX escapes leniently: a malformed escape keeps the '%' literally ('+' becomes a space
/// only when `plus_as_space`, as in query strings).
[[nodiscard]] std::string percent_decode(std::string_view s, bool plus_as_space);

/// Decodes %XX escapes strictly. Errors: invalid_argument for a '%' not followed by two hex digits.
[[nodiscard]] result<std::string> percent_decode_strict(std::string_view s);

/// Why parse_decimal refused its text.
enum class decimal_error : std::uint8_t {
  invalid,       ///< empty, or something other than ASCII digits
  out_of_range,  ///< digits only (up to the first non-digit), but above the maximum
};

/// `s` as ASCII decimal digits (no sign, no spaces; leading zeros allowed) of at most `max`,
/// judged as std::from_chars and a check for unread text would: a digit run above `max` is
/// out_of_range even when other text follows. One loop for every integer the core reads:
/// std::from_chars instantiates its code per integer type in the wasm module.
[[nodiscard]] basic_result<std::uint64_t, decimal_error> parse_decimal(std::string_view s,
                                                                       std::uint64_t max = UINT64_MAX) noexcept;

/// `s` as an optional '-' then ASCII decimal digits, between -(max + 1) and `max` (the range of
/// a two's complement type whose largest value is `max`, at most INT64_MAX); errors as
/// parse_decimal's. The one sign rule for the signed integers the core reads (int2/int4/int8
/// cells, small_doc integers).
[[nodiscard]] basic_result<std::int64_t, decimal_error> parse_signed_decimal(std::string_view s,
                                                                             std::int64_t max = INT64_MAX) noexcept;

/// `s` with ASCII letters lower-cased.
[[nodiscard]] std::string ascii_lower(std::string_view s);

}  // namespace edgefn::text
