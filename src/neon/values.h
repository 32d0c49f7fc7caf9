#pragma once
// C++ types for Postgres values and the parsers of their text output (the raw-text form Neon
// returns with Neon-Raw-Text-Output: true, DateStyle ISO and IntervalStyle postgres, the server
// defaults). Every parser returns an error (kind invalid_value or out_of_range), never UB.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "neon/error.h"

namespace edgefn::neon {

/// Type OIDs of the built-in types the client decodes.
namespace oid {
inline constexpr std::uint32_t boolean = 16, bytea = 17, char_ = 18, name = 19, int8 = 20,
                               int2 = 21, int4 = 23, text = 25, oid = 26, json = 114,
                               float4 = 700, float8 = 701, unknown = 705, bpchar = 1042,
                               varchar = 1043, date = 1082, time = 1083, timestamp = 1114,
                               timestamptz = 1184, interval = 1186, numeric = 1700, uuid = 2950,
                               jsonb = 3802;
}  // namespace oid

/// The element OID of array type `array_oid` (1007 -> 23), or 0 if it is not a known array type.
[[nodiscard]] std::uint32_t array_element_oid(std::uint32_t array_oid) noexcept;

/// An exact decimal, kept as Postgres printed it ("-12.3400", "NaN", "Infinity").
struct numeric {
  std::string text;
  friend bool operator==(const numeric&, const numeric&) = default;
};

/// JSON or JSONB as raw text (parse it with simdjson if needed).
struct json_text {
  std::string text;
  friend bool operator==(const json_text&, const json_text&) = default;
};

/// A UUID as 16 bytes.
struct uuid {
  std::array<std::uint8_t, 16> bytes{};
  /// Canonical lowercase text, 8-4-4-4-12.
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const uuid&, const uuid&) = default;
  friend bool operator<(const uuid& a, const uuid& b) noexcept { return a.bytes < b.bytes; }
};

/// Raw bytes (bytea).
using bytes = std::vector<std::uint8_t>;

/// A calendar date: days since 1970-01-01 (proleptic Gregorian; 1 BC is year 0).
/// 'infinity' and '-infinity' are the largest and smallest int32.
struct date {
  std::int32_t days = 0;
  static constexpr date infinity() noexcept { return {std::numeric_limits<std::int32_t>::max()}; }
  static constexpr date minus_infinity() noexcept { return {std::numeric_limits<std::int32_t>::min()}; }
  [[nodiscard]] constexpr bool is_finite() const noexcept {
    return days != infinity().days && days != minus_infinity().days;
  }
  /// The date of astronomical year `y` (0 = 1 BC), month 1-12, day 1-31 (not validated).
  [[nodiscard]] static date from_ymd(std::int64_t y, int m, int d) noexcept;
  /// Astronomical year (0 = 1 BC), month 1-12 and day 1-31 of a finite date.
  struct ymd {
    std::int64_t year;
    int month, day;
  };
  [[nodiscard]] ymd to_ymd() const noexcept;
  friend auto operator<=>(const date&, const date&) = default;
};

/// A time of day (time without time zone): microseconds since midnight, 0 .. 24:00:00.
struct time_of_day {
  std::int64_t micros = 0;
  friend auto operator<=>(const time_of_day&, const time_of_day&) = default;
};

/// A timestamp without time zone: microseconds since 1970-01-01 00:00:00 (wall clock, no zone).
/// 'infinity'/'-infinity' are the largest/smallest int64.
struct timestamp {
  std::int64_t micros = 0;
  static constexpr timestamp infinity() noexcept { return {std::numeric_limits<std::int64_t>::max()}; }
  static constexpr timestamp minus_infinity() noexcept { return {std::numeric_limits<std::int64_t>::min()}; }
  [[nodiscard]] constexpr bool is_finite() const noexcept {
    return micros != infinity().micros && micros != minus_infinity().micros;
  }
  friend auto operator<=>(const timestamp&, const timestamp&) = default;
};

/// A timestamp with time zone, normalized to UTC: microseconds since the Unix epoch.
/// 'infinity'/'-infinity' are the largest/smallest int64.
struct timestamptz {
  std::int64_t micros = 0;
  static constexpr timestamptz infinity() noexcept { return {std::numeric_limits<std::int64_t>::max()}; }
  static constexpr timestamptz minus_infinity() noexcept { return {std::numeric_limits<std::int64_t>::min()}; }
  [[nodiscard]] constexpr bool is_finite() const noexcept {
    return micros != infinity().micros && micros != minus_infinity().micros;
  }
  friend auto operator<=>(const timestamptz&, const timestamptz&) = default;
};

/// An interval as Postgres stores it: months, days and microseconds, each with its own sign.
struct interval {
  std::int32_t months = 0;
  std::int32_t days = 0;
  std::int64_t micros = 0;
  friend bool operator==(const interval&, const interval&) = default;
};

/// A decoded array: `dims` as pg::array_literal (empty for "{}"), elements in row-major order,
/// NULL elements as std::nullopt.
template <class T>
struct array {
  std::vector<std::size_t> dims;
  std::vector<std::optional<T>> elements;
};

// Parsers of Postgres text output. `text` is the cell's text; results own their data.
[[nodiscard]] result<std::int16_t> parse_int2(std::string_view text);
[[nodiscard]] result<std::int32_t> parse_int4(std::string_view text);
[[nodiscard]] result<std::int64_t> parse_int8(std::string_view text);
/// float4: strtof; accepts "NaN", "Infinity", "-Infinity".
[[nodiscard]] result<float> parse_float4(std::string_view text);
/// float8: strtod; accepts "NaN", "Infinity", "-Infinity".
[[nodiscard]] result<double> parse_float8(std::string_view text);
/// Validates [-]digits[.digits] or NaN/Infinity/-Infinity and keeps the text exactly.
[[nodiscard]] result<numeric> parse_numeric(std::string_view text);
/// "t" or "f".
[[nodiscard]] result<bool> parse_bool(std::string_view text);
/// 8-4-4-4-12 hex digits (either case).
[[nodiscard]] result<uuid> parse_uuid(std::string_view text);
/// "\x" + hex (bytea_output=hex, the default) or the escape format.
[[nodiscard]] result<bytes> parse_bytea(std::string_view text);
/// "2024-01-02", "0044-03-15 BC", "infinity", "-infinity".
[[nodiscard]] result<date> parse_date(std::string_view text);
/// "04:05:06", "04:05:06.789", "24:00:00".
[[nodiscard]] result<time_of_day> parse_time(std::string_view text);
/// "2024-01-02 04:05:06.789", with " BC", "infinity", "-infinity".
[[nodiscard]] result<timestamp> parse_timestamp(std::string_view text);
/// "2024-01-02 04:05:06.789+05:30" (offsets +HH, +HH:MM, +HH:MM:SS), with " BC", infinities.
[[nodiscard]] result<timestamptz> parse_timestamptz(std::string_view text);
/// IntervalStyle postgres: "1 year 2 mons 3 days 04:05:06.789", "-00:00:01",
/// "-1 years +2 mons -3 days +04:05:06", "00:00:00"; and iso_8601 "P1Y2M3DT4H5M6.5S".
[[nodiscard]] result<interval> parse_interval(std::string_view text);

// Formatting as Postgres input text (used for query parameters; each parses back with the
// matching parse_* above, and Postgres accepts it for the corresponding type).
/// "2024-01-02", "0044-03-15 BC", "infinity", "-infinity".
[[nodiscard]] std::string to_postgres_text(date v);
/// "04:05:06" or "04:05:06.789" (trailing zeros of the fraction dropped).
[[nodiscard]] std::string to_postgres_text(time_of_day v);
/// "2024-01-02 04:05:06.789" (" BC" for years before 1 AD), or the infinities.
[[nodiscard]] std::string to_postgres_text(timestamp v);
/// UTC with an explicit offset: "2024-01-02 04:05:06.789+00", or the infinities.
[[nodiscard]] std::string to_postgres_text(timestamptz v);
/// ISO 8601 with signed components, as IntervalStyle iso_8601: "P14M3DT14706.789S", "PT0S".
[[nodiscard]] std::string to_postgres_text(const interval& v);

}  // namespace edgefn::neon
