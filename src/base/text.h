#pragma once
// Small ASCII text helpers shared by every layer (one copy each): hex digits, percent-decoding
// and case folding. Bytes outside ASCII pass through unchanged.

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

/// `s` with ASCII letters lower-cased.
[[nodiscard]] std::string ascii_lower(std::string_view s);

}  // namespace edgefn::text
