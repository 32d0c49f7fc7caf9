#include "base/json_number.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace edgefn::json {
namespace {

/// The parts of a number's text: digits before and after the point, the exponent's value
/// (saturated: exponents beyond +-10^9 make every value 0 or out of range anyway).
struct number_text {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  std::int64_t exponent = 0;
  std::string_view text;  ///< the whole number, whitespace removed
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view digits_at(std::string_view s, std::size_t& at) {
  const std::size_t from = at;
  while (at < s.size() && is_digit(s[at])) ++at;
  return s.substr(from, at - from);
}

basic_result<number_text, number_error> split(std::string_view token) {
  token = trim_token(token);
  number_text n;
  n.text = token;
  std::size_t at = 0;
  if (at < token.size() && token[at] == '-') n.negative = true, ++at;
  n.int_digits = digits_at(token, at);
  if (n.int_digits.empty() || (n.int_digits.size() > 1 && n.int_digits[0] == '0')) return number_error::malformed;
  if (at < token.size() && token[at] == '.') {
    ++at;
    n.frac_digits = digits_at(token, at);
    if (n.frac_digits.empty()) return number_error::malformed;
  }
  if (at < token.size() && (token[at] == 'e' || token[at] == 'E')) {
    ++at;
    bool negative_exponent = false;
    if (at < token.size() && (token[at] == '+' || token[at] == '-')) negative_exponent = token[at++] == '-';
    const std::string_view e = digits_at(token, at);
    if (e.empty()) return number_error::malformed;
    for (char c : e) n.exponent = std::min<std::int64_t>(n.exponent * 10 + (c - '0'), 1'000'000'000);
    if (negative_exponent) n.exponent = -n.exponent;
  }
  if (at != token.size()) return number_error::malformed;
  return n;
}

}  // namespace

std::string_view trim_token(std::string_view token) noexcept {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r'))
    token.remove_suffix(1);
  return token;
}

basic_result<truncated_integer, number_error> read_integer(std::string_view token) {
  auto parts = split(token);
  if (!parts) return parts.error();
  // The value is digits x 10^scale, digits = int_digits frac_digits without leading zeros.
  std::string digits(parts->int_digits);
  digits += parts->frac_digits;
  const std::size_t lead = std::min(digits.find_first_not_of('0'), digits.size());
  digits.erase(0, lead);
  if (digits.empty()) return truncated_integer{};
  std::int64_t scale = parts->exponent - static_cast<std::int64_t>(parts->frac_digits.size());
  while (digits.back() == '0') digits.pop_back(), ++scale;  // digits is not all zeros
  truncated_integer out;
  // Integer part: the first size + scale digits (all of them and scale zeros when scale >= 0).
  const std::int64_t int_len = static_cast<std::int64_t>(digits.size()) + scale;
  out.had_fraction = scale < 0;
  if (int_len <= 0) return out;
  if (int_len > 19) return number_error::out_of_range;
  std::uint64_t magnitude = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(int_len); ++i) {
    const int d = i < digits.size() ? digits[i] - '0' : 0;
    magnitude = magnitude * 10 + static_cast<std::uint64_t>(d);  // <= 19 digits: fits a uint64
  }
  const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (parts->negative ? 1 : 0);
  if (magnitude > limit) return number_error::out_of_range;
  out.value = parts->negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return out;
}

basic_result<bool, number_error> magnitude_below(std::string_view token, int power) {
  auto parts = split(token);
  if (!parts) return parts.error();
  const std::string_view in = parts->int_digits, frac = parts->frac_digits;
  // The leading non-zero digit's power of ten: |value| is in [10^lead, 10^(lead + 1)).
  std::int64_t lead = 0;
  if (const std::size_t k = in.find_first_not_of('0'); k != std::string_view::npos) {
    lead = static_cast<std::int64_t>(in.size() - 1 - k);
  } else if (const std::size_t f = frac.find_first_not_of('0'); f != std::string_view::npos) {
    lead = -1 - static_cast<std::int64_t>(f);
  } else {
    return true;  // zero
  }
  return lead + parts->exponent < power;
}

basic_result<double, number_error> read_double(std::string_view token) {
  auto parts = split(token);
  if (!parts) return parts.error();
  const std::string text(parts->text);  // strtod needs a terminated string
  const double v = std::strtod(text.c_str(), nullptr);
  if (std::isinf(v)) return number_error::out_of_range;
  return v;
}

}  // namespace edgefn::json
