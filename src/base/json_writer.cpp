#include "base/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace edgefn::json {
namespace {

constexpr char k_hex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  std::uint32_t min = 0;
  std::uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) { len = 2; min = 0x80; cp = b0 & 0x1Fu; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; min = 0x800; cp = b0 & 0x0Fu; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; min = 0x10000; cp = b0 & 0x07u; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/// Writes the escape of `c` (a control character, '"' or '\\') into `buf`; returns its length.
/// One table instead of a branch per escape keeps the writer small; escapes are rare in text.
std::size_t escape_ascii(unsigned char c, char* buf) noexcept {
  // JSON's two-character escapes of the control characters 0x08..0x0d ('\v' has none).
  constexpr char k_short[] = "btn\0fr";
  buf[0] = '\\';
  if (c == '"' || c == '\\') { buf[1] = static_cast<char>(c); return 2; }
  if (c >= '\b' && c <= '\r' && k_short[c - '\b'] != '\0') { buf[1] = k_short[c - '\b']; return 2; }
  buf[1] = 'u'; buf[2] = '0'; buf[3] = '0';
  buf[4] = k_hex[c >> 4];
  buf[5] = k_hex[c & 0xF];
  return 6;
}

/// True when none of the 8 bytes at `p` needs escaping or UTF-8 checking: each is in
/// 0x20..0x7f and is neither '"' nor '\\' (SWAR: one 64-bit word, no per-byte branches).
bool plain_ascii8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t highs = 0x8080808080808080ull;
  const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  const std::uint64_t control = (w - ones * 0x20) & ~w;  // high bit set for bytes < 0x20
  const std::uint64_t special = control | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\')) | w;
  return (special & highs) == 0;
}

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void append_string(std::string& out, std::string_view s) {
  // No reserve(size() + n): libc++ reserves exactly that (rounded to 16 bytes), so it only
  // moved the geometric growth to the writer's next comma, for 242 B of the wasm module.
  out.push_back('"');
  const char* p = s.data();
  const char* const end = p + s.size();
  const char* run = p;  // start of the bytes copied unchanged
  while (p != end) {
    // Most text is plain ASCII: skip 8 such bytes at a time.
    while (end - p >= 8 && plain_ascii8(p)) p += 8;
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence_length(s, static_cast<std::size_t>(p - s.data()));
      if (n != 0) { p += n; continue; }
    } else if (c >= 0x20 && c != '"' && c != '\\') {
      ++p;
      continue;
    }
    // Every replacement goes through one append: std::string's inline appends are large.
    out.append(run, static_cast<std::size_t>(p - run));
    char buf[6];
    if (c >= 0x80) out.append("\xEF\xBF\xBD", 3);  // invalid UTF-8: U+FFFD
    else out.append(buf, escape_ascii(c, buf));
    run = ++p;
  }
  out.append(run, static_cast<std::size_t>(p - run));
  out.push_back('"');
}

char* decimal_before(char* end, std::uint64_t v) noexcept {
  do {
    *--end = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return end;
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  char* const end = buf + sizeof buf;
  char* p = decimal_before(end, v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v));
  if (v < 0) *--p = '-';
  out.append(p, static_cast<std::size_t>(end - p));
}

std::string decimal(std::int64_t v) {
  std::string out;
  append_int(out, v);
  return out;
}

std::string unsigned_decimal(std::uint64_t v) {
  char buf[24];
  char* const end = buf + sizeof buf;
  const char* p = decimal_before(end, v);
  return std::string(p, static_cast<std::size_t>(end - p));
}

std::string js_number_to_string(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return "0";  // also -0, as JavaScript prints it
  // Shortest round-tripping digits, in printf's %e form. std::to_chars keeps stdio out of the
  // wasm module; Emscripten 3.1.6's libc++ lacks floating-point to_chars, so it keeps printf.
  char buf[40];
#if defined(__EMSCRIPTEN__)
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string_view sci(buf);
#else
  const auto written = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(written.ptr - buf));
#endif
  // sci = [-]d[.ddd]e[+-]XX ; split into sign, digits, exponent.
  const bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // ECMA-262 Number::toString: value = 0.digits * 10^n
  std::string out = negative ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) { out += '.'; out += digits.substr(1); }
    out += 'e';
    out += (n - 1 >= 0) ? '+' : '-';
    append_int(out, std::abs(n - 1));
  }
  return out;
}

void append_double(std::string& out, double v) {
  if (std::isfinite(v)) { out += js_number_to_string(v); return; }
  out += '"';
  out += js_number_to_string(v);
  out += '"';
}

writer& writer::key(std::string_view k) {
  before_value();
  append_string(out_, k);
  out_ += ':';
  need_comma_ = false;
  return *this;
}

void writer::before_value() {
  if (need_comma_) out_ += ',';
  need_comma_ = true;
}

writer& writer::open(char c) {
  before_value();
  out_ += c;
  need_comma_ = false;
  return *this;
}

writer& writer::close(char c) {
  out_ += c;
  need_comma_ = true;
  return *this;
}

writer& writer::string(std::string_view s) { before_value(); append_string(out_, s); return *this; }
writer& writer::integer(std::int64_t v) { before_value(); append_int(out_, v); return *this; }
writer& writer::number(double v) { before_value(); append_double(out_, v); return *this; }
// Literals go through raw: one copy of the comma-then-append code (inlined per method, it was
// hundreds of bytes of the wasm module each).
writer& writer::boolean(bool b) { return raw(b ? "true" : "false"); }
writer& writer::null() { return raw("null"); }
writer& writer::raw(std::string_view json) { before_value(); out_ += json; return *this; }

}  // namespace edgefn::json
