#include "db/row.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace edgefn::db {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

/// A fixed-capacity text buffer on the stack: dates and timestamps are formatted here, so
/// writing one into a JSON document allocates nothing (wasm32's std::string keeps only 10
/// characters inline).
struct small_text {
  char data[48];
  std::size_t size = 0;
  void put(char c) noexcept { data[size++] = c; }
  void put_2(std::int64_t v) noexcept {
    put(static_cast<char>('0' + v / 10));
    put(static_cast<char>('0' + v % 10));
  }
  [[nodiscard]] std::string_view view() const noexcept { return {data, size}; }
};

/// ISO 8601 year: 4 digits for 0..9999, else a sign and at least 6 digits (no printf: the
/// wasm module carries no stdio).
void put_year(small_text& out, std::int64_t y) {
  const bool expanded = y < 0 || y > 9999;
  if (expanded) out.put(y < 0 ? '-' : '+');
  const std::uint64_t magnitude = y < 0 ? 0 - static_cast<std::uint64_t>(y) : static_cast<std::uint64_t>(y);
  char buf[24];
  char* const end = buf + sizeof buf;
  const char* p = json::decimal_before(end, magnitude);
  const std::size_t n = static_cast<std::size_t>(end - p);
  const std::size_t width = expanded ? 6 : 4;
  for (std::size_t k = n; k < width; ++k) out.put('0');
  for (std::size_t k = 0; k < n; ++k) out.put(p[k]);
}

/// `d` as "2024-01-02" (finite dates only).
void put_date(small_text& out, neon::date d) {
  const neon::date::ymd c = d.to_ymd();
  put_year(out, c.year);
  out.put('-');
  out.put_2(c.month);
  out.put('-');
  out.put_2(c.day);
}

/// `micros` as "2024-01-02T03:04:05.678Z"; nothing for the infinities.
void put_iso8601_utc(small_text& out, std::int64_t micros) {
  if (micros == neon::timestamp::infinity().micros || micros == neon::timestamp::minus_infinity().micros)
    return;
  const std::int64_t millis = floor_div(micros, 1000);
  const std::int64_t days = floor_div(millis, 86'400'000);
  std::int64_t ms_of_day = millis - days * 86'400'000;
  put_date(out, neon::date{static_cast<std::int32_t>(days)});
  out.put('T');
  out.put_2(ms_of_day / 3'600'000);
  out.put(':');
  out.put_2(ms_of_day / 60'000 % 60);
  out.put(':');
  out.put_2(ms_of_day / 1000 % 60);
  out.put('.');
  const std::int64_t ms = ms_of_day % 1000;
  out.put(static_cast<char>('0' + ms / 100));
  out.put_2(ms % 100);
  out.put('Z');
}

/// Writes a timestamp as a JSON string (null for the infinities). Its text needs no escaping.
void write_timestamp(json::writer& w, std::int64_t micros) {
  small_text t;
  t.put('"');
  put_iso8601_utc(t, micros);
  if (t.size == 1) {
    w.null();
    return;
  }
  t.put('"');
  w.raw(t.view());
}

}  // namespace

std::string iso_date(neon::date d) {
  if (!d.is_finite()) return {};
  small_text t;
  put_date(t, d);
  return std::string(t.view());
}

std::string iso8601_utc(std::int64_t micros) {
  small_text t;
  put_iso8601_utc(t, micros);
  return std::string(t.view());
}

void write_json_value(json::writer& w, std::int32_t v) { w.integer(v); }
void write_json_value(json::writer& w, std::int64_t v) { w.integer(v); }
void write_json_value(json::writer& w, float v) {
  // JS reads a float4 as the shortest decimal of the float, then as a double.
  char buf[32];
#if defined(__EMSCRIPTEN__)  // its libc++ lacks floating-point to_chars
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  for (int prec = 1; prec <= 9; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
#else
  *std::to_chars(buf, buf + sizeof buf - 1, v).ptr = '\0';
#endif
  w.number(std::strtod(buf, nullptr));
}
void write_json_value(json::writer& w, double v) { w.number(v); }
void write_json_value(json::writer& w, bool v) { w.boolean(v); }
void write_json_value(json::writer& w, const std::string& v) { w.string(v); }
void write_json_value(json::writer& w, const neon::numeric& v) { w.string(v.text); }
void write_json_value(json::writer& w, neon::timestamp v) { write_timestamp(w, v.micros); }
void write_json_value(json::writer& w, neon::timestamptz v) { write_timestamp(w, v.micros); }
void write_json_value(json::writer& w, neon::date v) {
  if (!v.is_finite()) w.string(v.days > 0 ? "infinity" : "-infinity");
  else w.string(iso_date(v));
}
void write_json_value(json::writer& w, const neon::uuid& v) { w.string(v.to_string()); }
void write_json_value(json::writer& w, const neon::json_text& v) { w.raw(v.text); }

EDGEFN_COLD neon::error detail::missing_column(std::string_view name) {
  return neon::make_error(neon::error_kind::protocol,
                          "result has no column named \"" + std::string(name) + "\"");
}

}  // namespace edgefn::db
