#include "neon/values.h"

#include "base/text.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

namespace edgefn::neon {
namespace {

constexpr std::int64_t k_usec_per_sec = 1'000'000;
constexpr std::int64_t k_usec_per_day = 86'400 * k_usec_per_sec;

EDGEFN_COLD error invalid(std::string_view type, std::string_view text) {
  std::string msg = "invalid ";
  msg.append(type);
  msg += " value '";
  msg.append(text.substr(0, 64));
  if (text.size() > 64) msg += "...";
  msg += '\'';
  return make_error(error_kind::invalid_value, std::move(msg));
}

EDGEFN_COLD error out_of_range(std::string_view type, std::string_view text) {
  error e = invalid(type, text);
  e.kind = error_kind::out_of_range;
  e.message += " (out of range)";
  return e;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

template <class I>
result<I> parse_integer(std::string_view type, std::string_view text) {
  const auto v = text::parse_signed_decimal(text, std::numeric_limits<I>::max());
  if (!v && v.error() == text::decimal_error::out_of_range) return out_of_range(type, text);
  if (!v) return invalid(type, text);
  return static_cast<I>(*v);
}

// A small cursor over the text of a date/time value.
struct cursor {
  std::string_view s;
  std::size_t i = 0;
  [[nodiscard]] bool done() const { return i >= s.size(); }
  [[nodiscard]] char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  bool eat(std::string_view word) {
    if (s.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
  }
  // Reads 1..max_digits decimal digits (exactly `exact` when non-zero) into v.
  bool digits(std::int64_t& v, std::size_t min_digits, std::size_t max_digits) {
    std::size_t n = 0;
    v = 0;
    while (!done() && is_digit(s[i]) && n < max_digits) {
      v = v * 10 + (s[i] - '0');
      ++i, ++n;
    }
    return n >= min_digits;
  }
  // Reads ".ffffff" (1-6 digits, more are rejected) as microseconds; nothing if no '.'.
  bool fraction(std::int64_t& usec) {
    usec = 0;
    if (!eat('.')) return true;
    std::int64_t v = 0;
    const std::size_t start = i;
    if (!digits(v, 1, 6)) return false;
    for (std::size_t n = i - start; n < 6; ++n) v *= 10;
    usec = v;
    return done() || !is_digit(peek());
  }
};

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, std::int64_t m) {
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : k_days[m - 1];
}

std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "YYYY-MM-DD" at the cursor -> days since 1970 (year as printed; BC is applied by the caller).
bool read_ymd(cursor& c, std::int64_t& year, std::int64_t& month, std::int64_t& day) {
  return c.digits(year, 4, 9) && c.eat('-') && c.digits(month, 2, 2) && c.eat('-') &&
         c.digits(day, 2, 2);
}

bool ymd_to_days(std::int64_t year, std::int64_t month, std::int64_t day, bool bc,
                 std::int64_t& days) {
  if (year == 0 || month < 1 || month > 12) return false;
  const std::int64_t astro = bc ? 1 - year : year;
  if (day < 1 || day > days_in_month(astro, month)) return false;
  days = days_from_civil(astro, month, day);
  return true;
}

// "HH:MM:SS[.ffffff]" -> microseconds since midnight (24:00:00 allowed).
bool read_clock(cursor& c, std::int64_t& usec) {
  std::int64_t h = 0, m = 0, s = 0, f = 0;
  if (!c.digits(h, 2, 2) || !c.eat(':') || !c.digits(m, 2, 2) || !c.eat(':') ||
      !c.digits(s, 2, 2) || !c.fraction(f))
    return false;
  if (h > 24 || m > 59 || s > 60) return false;
  usec = ((h * 60 + m) * 60 + s) * k_usec_per_sec + f;
  return usec <= k_usec_per_day;
}

// "+HH[:MM[:SS]]" -> seconds east of UTC.
bool read_offset(cursor& c, std::int64_t& seconds) {
  const bool neg = c.peek() == '-';
  if (!c.eat('+') && !c.eat('-')) return false;
  std::int64_t h = 0, m = 0, s = 0;
  if (!c.digits(h, 2, 2)) return false;
  if (c.eat(':') && !c.digits(m, 2, 2)) return false;
  if (c.eat(':') && !c.digits(s, 2, 2)) return false;
  if (m > 59 || s > 59) return false;
  seconds = (h * 3600 + m * 60 + s) * (neg ? -1 : 1);
  return true;
}

bool checked_timestamp(std::int64_t days, std::int64_t usec, std::int64_t& out) {
  std::int64_t day_us = 0;
  if (__builtin_mul_overflow(days, k_usec_per_day, &day_us)) return false;
  if (__builtin_add_overflow(day_us, usec, &out)) return false;
  return out != std::numeric_limits<std::int64_t>::max() &&
         out != std::numeric_limits<std::int64_t>::min();
}

// The shared grammar of timestamp and timestamptz: date ' ' clock [offset] [' BC'].
result<std::int64_t> parse_timestamp_text(std::string_view type, std::string_view text,
                                          bool with_zone) {
  if (text == "infinity") return std::numeric_limits<std::int64_t>::max();
  if (text == "-infinity") return std::numeric_limits<std::int64_t>::min();
  cursor c{text};
  std::int64_t y = 0, mo = 0, d = 0, usec = 0, offset = 0;
  if (!read_ymd(c, y, mo, d) || !(c.eat(' ') || c.eat('T')) || !read_clock(c, usec))
    return invalid(type, text);
  if (with_zone && !read_offset(c, offset)) return invalid(type, text);
  const bool bc = c.eat(" BC");
  std::int64_t days = 0;
  if (!c.done() || !ymd_to_days(y, mo, d, bc, days)) return invalid(type, text);
  std::int64_t micros = 0;
  if (!checked_timestamp(days, usec, micros) ||
      __builtin_sub_overflow(micros, offset * k_usec_per_sec, &micros))
    return out_of_range(type, text);
  return micros;
}

// acc += v * mul, false on overflow.
bool add_scaled(std::int64_t& acc, std::int64_t v, std::int64_t mul) {
  std::int64_t t = 0;
  return !__builtin_mul_overflow(v, mul, &t) && !__builtin_add_overflow(acc, t, &acc);
}

bool fits_int32(std::int64_t v) {
  return v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max();
}

// One signed number at the cursor: [+-]digits.
bool read_signed(cursor& c, std::int64_t& v) {
  const bool neg = c.peek() == '-';
  if (!c.eat('-')) c.eat('+');
  if (!c.digits(v, 1, 18)) return false;
  if (neg) v = -v;
  return true;
}

// The postgres-style time part: [+-]H+:MM:SS[.ffffff] (hours unbounded).
bool read_interval_clock(cursor& c, std::int64_t& usec) {
  const bool neg = c.peek() == '-';
  if (!c.eat('-')) c.eat('+');
  std::int64_t h = 0, m = 0, s = 0, f = 0;
  if (!c.digits(h, 1, 12) || !c.eat(':') || !c.digits(m, 2, 2) || !c.eat(':') ||
      !c.digits(s, 2, 2) || !c.fraction(f) || m > 59 || s > 59)
    return false;
  usec = (m * 60 + s) * k_usec_per_sec + f;
  if (!add_scaled(usec, h, 3600 * k_usec_per_sec)) return false;
  if (neg) usec = -usec;
  return true;
}

bool add_unit(std::int64_t v, std::string_view unit, std::int64_t& months, std::int64_t& days) {
  if (unit == "year" || unit == "years") return add_scaled(months, v, 12);
  if (unit == "mon" || unit == "mons") return add_scaled(months, v, 1);
  if (unit == "day" || unit == "days") return add_scaled(days, v, 1);
  return false;
}

result<interval> parse_postgres_interval(std::string_view text) {
  cursor c{text};
  std::int64_t months = 0, days = 0, usec = 0;
  bool any = false;
  while (!c.done()) {
    if (any && !c.eat(' ')) return invalid("interval", text);
    const std::size_t start = c.i;
    std::int64_t v = 0;
    if (!read_signed(c, v)) return invalid("interval", text);
    if (c.peek() == ':') {  // the clock part, always last
      c.i = start;
      if (!read_interval_clock(c, usec) || !c.done()) return invalid("interval", text);
      break;
    }
    const std::size_t unit_start = c.i + 1;
    if (!c.eat(' ')) return invalid("interval", text);
    while (!c.done() && c.peek() != ' ') ++c.i;
    if (!add_unit(v, text.substr(unit_start, c.i - unit_start), months, days))
      return invalid("interval", text);
    any = true;
  }
  if (text.empty()) return invalid("interval", text);
  if (!fits_int32(months) || !fits_int32(days)) return out_of_range("interval", text);
  return interval{static_cast<std::int32_t>(months), static_cast<std::int32_t>(days), usec};
}

// ISO 8601 "P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]" with signed components (IntervalStyle iso_8601).
result<interval> parse_iso_interval(std::string_view text) {
  cursor c{text};
  c.eat('P');
  std::int64_t months = 0, days = 0, usec = 0;
  bool in_time = false;
  while (!c.done()) {
    if (!in_time && c.eat('T')) { in_time = true; continue; }
    std::int64_t v = 0, frac = 0;
    const bool neg = c.peek() == '-';
    if (!read_signed(c, v) || (in_time && !c.fraction(frac))) return invalid("interval", text);
    if (neg) frac = -frac;
    const char unit = c.peek();
    ++c.i;
    bool ok = false;
    if (!in_time && unit == 'Y') ok = add_scaled(months, v, 12);
    else if (!in_time && unit == 'M') ok = add_scaled(months, v, 1);
    else if (!in_time && unit == 'W') ok = add_scaled(days, v, 7);
    else if (!in_time && unit == 'D') ok = add_scaled(days, v, 1);
    else if (in_time && unit == 'H' && frac == 0) ok = add_scaled(usec, v, 3600 * k_usec_per_sec);
    else if (in_time && unit == 'M' && frac == 0) ok = add_scaled(usec, v, 60 * k_usec_per_sec);
    else if (in_time && unit == 'S') ok = add_scaled(usec, v, k_usec_per_sec) && add_scaled(usec, frac, 1);
    if (!ok) return invalid("interval", text);
  }
  if (!fits_int32(months) || !fits_int32(days)) return out_of_range("interval", text);
  return interval{static_cast<std::int32_t>(months), static_cast<std::int32_t>(days), usec};
}

bool float_syntax_ok(std::string_view text) {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity") return true;
  if (text.empty() || text.size() > 63) return false;
  for (const char ch : text)
    if (!is_digit(ch) && ch != '-' && ch != '+' && ch != '.' && ch != 'e' && ch != 'E') return false;
  return true;
}


result<bytes> parse_bytea_escape(std::string_view text) {
  bytes out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(static_cast<std::uint8_t>(text[i]));
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' &&
               text[i + 2] >= '0' && text[i + 2] <= '7' && text[i + 3] >= '0' && text[i + 3] <= '7') {
      out.push_back(static_cast<std::uint8_t>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                                              (text[i + 3] - '0')));
      i += 3;
    } else {
      return invalid("bytea", text);
    }
  }
  return out;
}

}  // namespace

// Days since 1970-01-01 -> proleptic Gregorian date (H. Hinnant's civil_from_days).
date::ymd date::to_ymd() const noexcept {
  std::int64_t z = static_cast<std::int64_t>(days) + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

date date::from_ymd(std::int64_t y, int m, int d) noexcept {
  return {static_cast<std::int32_t>(days_from_civil(y, m, d))};
}

std::uint32_t array_element_oid(std::uint32_t array_oid) noexcept {
  switch (array_oid) {
    case 1000: return oid::boolean;
    case 1001: return oid::bytea;
    case 1002: return oid::char_;
    case 1003: return oid::name;
    case 1005: return oid::int2;
    case 1007: return oid::int4;
    case 1009: return oid::text;
    case 1014: return oid::bpchar;
    case 1015: return oid::varchar;
    case 1016: return oid::int8;
    case 1021: return oid::float4;
    case 1022: return oid::float8;
    case 1028: return oid::oid;
    case 1115: return oid::timestamp;
    case 1182: return oid::date;
    case 1183: return oid::time;
    case 1185: return oid::timestamptz;
    case 1187: return oid::interval;
    case 1231: return oid::numeric;
    case 199: return oid::json;
    case 2951: return oid::uuid;
    case 3807: return oid::jsonb;
    default: return 0;
  }
}

std::string uuid::to_string() const {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += k_digits[bytes[i] >> 4];
    out += k_digits[bytes[i] & 0x0f];
  }
  return out;
}

result<std::int16_t> parse_int2(std::string_view text) { return parse_integer<std::int16_t>("int2", text); }
result<std::int32_t> parse_int4(std::string_view text) { return parse_integer<std::int32_t>("int4", text); }
result<std::int64_t> parse_int8(std::string_view text) { return parse_integer<std::int64_t>("int8", text); }

result<float> parse_float4(std::string_view text) {
  if (!float_syntax_ok(text)) return invalid("float4", text);
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  char* end = nullptr;
  const float v = std::strtof(buf, &end);
  if (end != buf + text.size()) return invalid("float4", text);
  return v;
}

result<double> parse_float8(std::string_view text) {
  if (!float_syntax_ok(text)) return invalid("float8", text);
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  char* end = nullptr;
  const double v = std::strtod(buf, &end);
  if (end != buf + text.size()) return invalid("float8", text);
  return v;
}

result<numeric> parse_numeric(std::string_view text) {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity") return numeric{std::string(text)};
  cursor c{text};
  c.eat('-');
  std::size_t int_digits = 0, frac_digits = 0;
  while (!c.done() && is_digit(c.peek())) ++c.i, ++int_digits;
  if (c.eat('.'))
    while (!c.done() && is_digit(c.peek())) ++c.i, ++frac_digits;
  if (!c.done() || int_digits == 0 || (c.s.find('.') != std::string_view::npos && frac_digits == 0))
    return invalid("numeric", text);
  return numeric{std::string(text)};
}

result<bool> parse_bool(std::string_view text) {
  if (text == "t") return true;
  if (text == "f") return false;
  return invalid("bool", text);
}

result<uuid> parse_uuid(std::string_view text) {
  if (text.size() != 36) return invalid("uuid", text);
  uuid u;
  std::size_t b = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i++] != '-') return invalid("uuid", text);
      continue;
    }
    const int hi = text::hex_value(text[i]), lo = text::hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return invalid("uuid", text);
    u.bytes[b++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return u;
}

result<bytes> parse_bytea(std::string_view text) {
  if (text.substr(0, 2) != "\\x") return parse_bytea_escape(text);
  const std::string_view hex = text.substr(2);
  if (hex.size() % 2 != 0) return invalid("bytea", text);
  bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = text::hex_value(hex[2 * i]), lo = text::hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return invalid("bytea", text);
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

result<date> parse_date(std::string_view text) {
  if (text == "infinity") return date::infinity();
  if (text == "-infinity") return date::minus_infinity();
  cursor c{text};
  std::int64_t y = 0, m = 0, d = 0, days = 0;
  if (!read_ymd(c, y, m, d)) return invalid("date", text);
  const bool bc = c.eat(" BC");
  if (!c.done() || !ymd_to_days(y, m, d, bc, days)) return invalid("date", text);
  if (!fits_int32(days) || !date{static_cast<std::int32_t>(days)}.is_finite())
    return out_of_range("date", text);
  return date{static_cast<std::int32_t>(days)};
}

result<time_of_day> parse_time(std::string_view text) {
  cursor c{text};
  std::int64_t usec = 0;
  if (!read_clock(c, usec) || !c.done()) return invalid("time", text);
  return time_of_day{usec};
}

result<timestamp> parse_timestamp(std::string_view text) {
  auto v = parse_timestamp_text("timestamp", text, false);
  if (!v) return std::move(v).error();
  return timestamp{*v};
}

result<timestamptz> parse_timestamptz(std::string_view text) {
  auto v = parse_timestamp_text("timestamptz", text, true);
  if (!v) return std::move(v).error();
  return timestamptz{*v};
}

result<interval> parse_interval(std::string_view text) {
  if (!text.empty() && text.front() == 'P') return parse_iso_interval(text);
  return parse_postgres_interval(text);
}

}  // namespace edgefn::neon
