#include "api/object_key.h"

#include "base/text.h"

namespace edgefn::api {

bool is_safe_object_key(std::string_view key) noexcept {
  if (key.empty() || key.front() == '/' || key.find('\0') != std::string_view::npos ||
      key.find('\\') != std::string_view::npos)
    return false;
  while (true) {
    const auto slash = key.find('/');
    const auto seg = key.substr(0, slash);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return true;
    key.remove_prefix(slash + 1);
  }
}

std::string object_key(std::string_view url) {
  auto rest = url;
  const auto scheme = rest.find("://");
  if (scheme != std::string_view::npos) {
    rest = rest.substr(scheme + 3);
    const auto slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  rest = rest.substr(0, rest.find_first_of("?#"));
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  // The URL path is percent-encoded; the object key is not ("a%20b.png" names "a b.png").
  return text::percent_decode(rest, false);
}

}  // namespace edgefn::api
