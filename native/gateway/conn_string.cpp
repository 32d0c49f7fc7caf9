#include "gateway/conn_string.h"

#include <cctype>

#include "base/text.h"

// The proxy-exact parser (its error messages are Neon's, which the conformance tests check);
// the URL decoding and case folding are the shared ones (base/text.h).
namespace edgefn::gateway {
namespace {


error invalid(std::string_view why) {
  return fail(errc::invalid_argument, "invalid connection string: " + std::string(why));
}

bool valid_scheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}


/// Splits "host:port" or "[v6]:port".
bool split_host_port(std::string_view hp, conn_info& info) {
  if (!hp.empty() && hp.front() == '[') {
    const auto close = hp.find(']');
    if (close == std::string_view::npos) return false;
    info.host = std::string(hp.substr(1, close - 1));
    hp.remove_prefix(close + 1);
    if (!hp.empty() && hp.front() != ':') return false;
    if (!hp.empty()) info.port = std::string(hp.substr(1));
    return true;
  }
  const auto colon = hp.rfind(':');
  info.host = std::string(hp.substr(0, colon));
  if (colon != std::string_view::npos) info.port = std::string(hp.substr(colon + 1));
  for (char c : info.port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace


result<conn_info> parse_conn_string(std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos || !valid_scheme(value.substr(0, colon))) {
    return invalid("relative URL without a base");
  }
  const std::string scheme = text::ascii_lower(value.substr(0, colon));
  std::string_view rest = value.substr(colon + 1);
  if (rest.substr(0, 2) != "//") {
    if (scheme == "postgres" || scheme == "postgresql") return invalid("empty host");
    return fail(errc::invalid_argument, "incorrect scheme");
  }
  rest.remove_prefix(2);
  const auto frag = rest.find('#');
  if (frag != std::string_view::npos) rest = rest.substr(0, frag);
  const auto auth_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, auth_end);
  std::string_view path = auth_end == std::string_view::npos ? std::string_view{}
                                                              : rest.substr(auth_end);
  if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);

  conn_info info;
  const auto at = authority.rfind('@');
  const std::string_view userinfo = at == std::string_view::npos ? std::string_view{}
                                                                  : authority.substr(0, at);
  const std::string_view hostport = at == std::string_view::npos ? authority
                                                                  : authority.substr(at + 1);
  if (hostport.empty()) return invalid("empty host");
  if (!split_host_port(hostport, info)) return invalid("invalid port number");
  if (scheme != "postgres" && scheme != "postgresql") {
    return fail(errc::invalid_argument, "incorrect scheme");
  }
  std::string_view segment = path.empty() ? path : path.substr(1);
  segment = segment.substr(0, segment.find('/'));
  if (path.empty()) return fail(errc::invalid_argument, "missing database name");
  // Lenient decoding, like the url crate Neon uses: a malformed escape is kept verbatim.
  info.database = text::percent_decode(segment, false);
  if (info.database.empty()) {
    return fail(errc::invalid_argument, "missing database name");
  }
  const auto pw_colon = userinfo.find(':');
  info.user = text::percent_decode(userinfo.substr(0, pw_colon), false);
  if (info.user.empty()) return fail(errc::invalid_argument, "missing username");
  if (pw_colon != std::string_view::npos) {
    info.password = text::percent_decode(userinfo.substr(pw_colon + 1), false);
  }
  if (info.password.empty()) {
    return fail(errc::invalid_argument, "missing authentication credentials: required password");
  }
  return info;
}

}  // namespace edgefn::gateway
