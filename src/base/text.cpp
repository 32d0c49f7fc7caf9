#include "base/text.h"

namespace edgefn::text {

std::string hex_encode(std::string_view bytes) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_as_space) {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

result<std::string> percent_decode_strict(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return fail(errc::invalid_argument, "malformed percent-encoding");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

basic_result<std::uint64_t, decimal_error> parse_decimal(std::string_view s, std::uint64_t max) noexcept {
  // v * 10 + d > max exactly when v > max / 10, or v == max / 10 and d > max % 10 (the
  // divisions once, not per digit: this runs for every integer cell of a /sql response).
  const std::uint64_t max_tens = max / 10;
  const std::uint64_t max_last = max % 10;
  std::uint64_t v = 0;
  bool over = false;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    const auto d = static_cast<std::uint64_t>(s[i] - '0');
    over = over || v > max_tens || (v == max_tens && d > max_last);
    v = v * 10 + d;
  }
  if (i == 0) return decimal_error::invalid;
  if (over) return decimal_error::out_of_range;
  if (i != s.size()) return decimal_error::invalid;
  return v;
}

basic_result<std::int64_t, decimal_error> parse_signed_decimal(std::string_view s, std::int64_t max) noexcept {
  const bool negative = !s.empty() && s.front() == '-';
  // |min| = max + 1 in two's complement; the negation is done on the unsigned magnitude.
  const auto limit = static_cast<std::uint64_t>(max) + (negative ? 1 : 0);
  const auto m = parse_decimal(s.substr(negative ? 1 : 0), limit);
  if (!m) return m.error();
  return static_cast<std::int64_t>(negative ? 0 - *m : *m);
}

}  // namespace edgefn::text
