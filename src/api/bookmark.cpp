#include "api/bookmark.h"

#include <charconv>

#include "base/json_writer.h"
#include "neon/lsn.h"

namespace edgefn::api {

std::optional<bookmark> parse_bookmark(std::string_view text) noexcept {
  const auto colon = text.find(':');
  const auto lsn = neon::parse_lsn(text.substr(0, colon));
  if (!lsn) return std::nullopt;
  bookmark b{*lsn, 0};
  if (colon == std::string_view::npos) return b;
  const std::string_view digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 19 || digits.front() == '+' || digits.front() == '-') return std::nullopt;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), b.xid);
  if (ec != std::errc() || end != digits.data() + digits.size() || b.xid == 0 || b.xid > (std::uint64_t(1) << 63))
    return std::nullopt;
  return b;
}

std::string format_bookmark(const bookmark& b) {
  std::string out = neon::format_lsn(b.lsn);
  if (b.xid != 0) out += ":" + json::unsigned_decimal(b.xid);
  return out;
}

}  // namespace edgefn::api
