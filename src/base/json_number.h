#pragma once
// JSON numbers read from their text, without simdjson's floating-point parser: that parser
// (get_number, get_double) carries ~12 KB of power-of-five tables plus a decimal fallback in the
// Worker's module (issue 9: the bundle's size), and the core only needs integers exactly (ids,
// limits, NumericDates) and, for float columns, the nearest double (strtod, correctly rounded).
// Integers are read exactly from the decimal text, so "1.5e1" is 15 and "1.00000000000000001"
// has a fraction, whatever a double would round them to.

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace edgefn::json {

enum class number_error : std::uint8_t {
  malformed,     ///< not JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  out_of_range,  ///< beyond the type's range (an integer part of 2^63 or more; a double's infinity)
};

/// A number's value truncated toward zero, and whether that dropped a non-zero fraction.
struct truncated_integer {
  std::int64_t value = 0;
  bool had_fraction = false;
};

/// `token` without the whitespace simdjson's raw_json_token() leaves after a number.
[[nodiscard]] std::string_view trim_token(std::string_view token) noexcept;

/// Reads the JSON number `token` (trailing whitespace allowed, as simdjson's raw_json_token()
/// gives it). Errors: malformed; out_of_range when the integer part does not fit an int64.
[[nodiscard]] basic_result<truncated_integer, number_error> read_integer(std::string_view token);

/// Whether the JSON number `token` (trailing whitespace allowed) is smaller than 10^power in
/// magnitude, decided on its digits (no floating point). Errors: malformed.
[[nodiscard]] basic_result<bool, number_error> magnitude_below(std::string_view token, int power);

/// The double nearest to the JSON number `token` (trailing whitespace allowed). Errors:
/// malformed; out_of_range when its magnitude rounds to infinity.
[[nodiscard]] basic_result<double, number_error> read_double(std::string_view token);

}  // namespace edgefn::json
