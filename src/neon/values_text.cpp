// Date/time values as Postgres input text (the bind parameters of a statement). Not in
// values.cpp: that file is compiled for speed in the wasm module (it parses every row's cells,
// src/CMakeLists.txt); these run once per parameter and are compiled for size.
#include "neon/values.h"

#include <cstdint>
#include <limits>
#include <string>

namespace edgefn::neon {
namespace {

constexpr std::int64_t k_usec_per_sec = 1'000'000;
constexpr std::int64_t k_usec_per_day = 86'400 * k_usec_per_sec;

void append_padded(std::string& out, std::int64_t v, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 || n < width);
  while (n > 0) out += buf[--n];
}

// Appends "YYYY-MM-DD" for the days' civil date; returns true when the year is BC.
bool append_ymd(std::string& out, std::int64_t days) {
  const date::ymd c = date{static_cast<std::int32_t>(days)}.to_ymd();
  const bool bc = c.year <= 0;
  append_padded(out, bc ? 1 - c.year : c.year, 4);
  out += '-';
  append_padded(out, c.month, 2);
  out += '-';
  append_padded(out, c.day, 2);
  return bc;
}

void append_clock(std::string& out, std::int64_t usec) {
  const std::int64_t secs = usec / k_usec_per_sec;
  std::int64_t frac = usec % k_usec_per_sec;
  append_padded(out, secs / 3600, 2);
  out += ':';
  append_padded(out, secs / 60 % 60, 2);
  out += ':';
  append_padded(out, secs % 60, 2);
  if (frac == 0) return;
  int width = 6;
  while (frac % 10 == 0) frac /= 10, --width;
  out += '.';
  append_padded(out, frac, width);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

std::string format_timestamp(std::int64_t micros, bool with_zone) {
  if (micros == std::numeric_limits<std::int64_t>::max()) return "infinity";
  if (micros == std::numeric_limits<std::int64_t>::min()) return "-infinity";
  const std::int64_t days = floor_div(micros, k_usec_per_day);
  std::string out;
  const bool bc = append_ymd(out, days);
  out += ' ';
  append_clock(out, micros - days * k_usec_per_day);
  if (with_zone) out += "+00";
  if (bc) out += " BC";
  return out;
}

void append_signed(std::string& out, std::int64_t v) {
  if (v < 0) out += '-';
  append_padded(out, v < 0 ? -v : v, 1);
}

}  // namespace

std::string to_postgres_text(date v) {
  if (v == date::infinity()) return "infinity";
  if (v == date::minus_infinity()) return "-infinity";
  std::string out;
  if (append_ymd(out, v.days)) out += " BC";
  return out;
}

std::string to_postgres_text(time_of_day v) {
  std::string out;
  append_clock(out, v.micros < 0 ? 0 : v.micros);
  return out;
}

std::string to_postgres_text(timestamp v) { return format_timestamp(v.micros, false); }

std::string to_postgres_text(timestamptz v) { return format_timestamp(v.micros, true); }

std::string to_postgres_text(const interval& v) {
  std::string out = "P";
  if (v.months != 0) append_signed(out, v.months), out += 'M';
  if (v.days != 0) append_signed(out, v.days), out += 'D';
  if (v.micros != 0 || out.size() == 1) {
    out += 'T';
    const std::uint64_t mag = v.micros < 0 ? 0 - static_cast<std::uint64_t>(v.micros)
                                           : static_cast<std::uint64_t>(v.micros);
    if (v.micros < 0) out += '-';
    append_padded(out, static_cast<std::int64_t>(mag / k_usec_per_sec), 1);
    std::int64_t frac = static_cast<std::int64_t>(mag % k_usec_per_sec);
    if (frac != 0) {
      int width = 6;
      while (frac % 10 == 0) frac /= 10, --width;
      out += '.';
      append_padded(out, frac, width);
    }
    out += 'S';
  }
  return out;
}

}  // namespace edgefn::neon
