#include "neon/lsn.h"

namespace edgefn::neon {
namespace {

/// 1..8 hex digits as a 32-bit value.
std::optional<std::uint32_t> hex32(std::string_view s) noexcept {
  if (s.empty() || s.size() > 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) return std::nullopt;
    v = (v << 4) | static_cast<std::uint32_t>(d);
  }
  return v;
}

void put_hex(std::string& out, std::uint32_t v) {
  static constexpr char digits[] = "0123456789ABCDEF";
  char buf[8];
  int n = 0;
  do {
    buf[n++] = digits[v & 15];
    v >>= 4;
  } while (v != 0);
  while (n > 0) out += buf[--n];
}

}  // namespace

std::optional<std::uint64_t> parse_lsn(std::string_view text) noexcept {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto hi = hex32(text.substr(0, slash));
  const auto lo = hex32(text.substr(slash + 1));
  if (!hi || !lo) return std::nullopt;
  return (std::uint64_t(*hi) << 32) | *lo;
}

std::string format_lsn(std::uint64_t lsn) {
  std::string out;
  put_hex(out, static_cast<std::uint32_t>(lsn >> 32));
  out += '/';
  put_hex(out, static_cast<std::uint32_t>(lsn));
  return out;
}

}  // namespace edgefn::neon
