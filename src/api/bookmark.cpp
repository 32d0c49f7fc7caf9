#include "api/bookmark.h"

#include "base/json_writer.h"
#include "base/text.h"
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
  const auto xid = text::parse_decimal(digits);
  if (!xid || *xid == 0 || *xid > (std::uint64_t(1) << 63)) return std::nullopt;
  b.xid = *xid;
  return b;
}

std::string format_bookmark(const bookmark& b) {
  std::string out = neon::format_lsn(b.lsn);
  if (b.xid != 0) out += ":" + json::unsigned_decimal(b.xid);
  return out;
}

}  // namespace edgefn::api
