#include "neon/connection_string.h"

#include "base/text.h"

#include <charconv>

namespace edgefn::neon {
namespace {

error bad(std::string message) {
  return make_error(error_kind::invalid_connection_string,
                    "invalid connection string: " + std::move(message));
}



bool header_safe(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;
  }
  return true;
}

// Splits "scheme://rest"; the scheme must be postgres or postgresql (case-insensitive).
result<std::string_view> strip_scheme(std::string_view text, std::string& scheme) {
  const auto colon = text.find("://");
  if (colon == std::string_view::npos)
    return bad("expected a URL of the form postgresql://user:password@host/database");
  scheme = text::ascii_lower(text.substr(0, colon));
  if (scheme != "postgres" && scheme != "postgresql") {
    // Echo the scheme only when it looks like one (it could hold a misplaced password).
    const bool plain = scheme.size() <= 16 &&
                       scheme.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+-.") ==
                           std::string::npos;
    return bad("wrong URL scheme" + (plain ? " '" + scheme + "'" : std::string()) +
               " (expected postgres:// or postgresql://)");
  }
  return text.substr(colon + 3);
}

status parse_userinfo(std::string_view userinfo, connection_info& out) {
  const auto colon = userinfo.find(':');
  auto user = percent_decode(userinfo.substr(0, colon));
  if (!user) return bad("bad percent-encoding in the user name");
  out.user = std::move(*user);
  if (colon != std::string_view::npos) {
    auto pw = percent_decode(userinfo.substr(colon + 1));
    if (!pw) return bad("bad percent-encoding in the password");
    out.password = std::move(*pw);
  }
  return {};
}

status parse_port(std::string_view text, connection_info& out) {
  if (text.empty()) return {};
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v > 65535)
    return bad("bad port (expected a number from 0 to 65535)");  // the text may be a password
  out.port = static_cast<std::uint16_t>(v);
  return {};
}

status parse_hostport(std::string_view hp, connection_info& out) {
  std::string_view host = hp, port;
  if (!hp.empty() && hp.front() == '[') {
    const auto close = hp.find(']');
    if (close == std::string_view::npos) return bad("unterminated '[' in an IPv6 host");
    host = hp.substr(0, close + 1);
    const auto rest = hp.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return bad("unexpected text after an IPv6 host");
    if (!rest.empty()) port = rest.substr(1);
  } else if (const auto colon = hp.rfind(':'); colon != std::string_view::npos) {
    host = hp.substr(0, colon);
    port = hp.substr(colon + 1);
  }
  auto decoded = percent_decode(host);
  if (!decoded) return bad("bad percent-encoding in the host");
  out.host = std::move(*decoded);  // case kept, as the driver's URL parsing does
  return parse_port(port, out);
}

status parse_query(std::string_view q, connection_info& out) {
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto k = percent_decode(pair.substr(0, eq));
    auto v = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!k || !v) return bad("bad percent-encoding in a query parameter");
    out.params.emplace_back(std::move(*k), std::move(*v));
  }
  return {};
}

status parse_path(std::string_view path, connection_info& out) {
  if (path.empty() || path == "/") return {};
  std::string_view seg = path.substr(1);
  seg = seg.substr(0, seg.find('/'));
  auto db = percent_decode(seg);
  if (!db) return bad("bad percent-encoding in the database name");
  out.database = std::move(*db);
  return {};
}

status check_required(const connection_info& info) {
  if (info.user.empty()) return bad("missing user name");
  if (info.host.empty()) return bad("missing host");
  if (info.database.empty()) return bad("missing database name");
  return {};
}

}  // namespace

const std::string* connection_info::param(std::string_view key) const {
  for (const auto& [k, v] : params)
    if (k == key) return &v;
  return nullptr;
}

result<std::string> percent_decode(std::string_view s) {
  auto decoded = text::percent_decode_strict(s);
  if (!decoded) return make_error(error_kind::invalid_argument, "bad percent-encoding");
  return std::move(*decoded);
}

result<connection_info> parse_connection_string(std::string_view text) {
  if (!header_safe(text))
    return bad("only printable ASCII is allowed (percent-encode other characters)");
  connection_info info;
  info.original = std::string(text);
  auto rest = strip_scheme(text, info.scheme);
  if (!rest) return rest.error();
  std::string_view r = *rest;
  r = r.substr(0, r.find('#'));  // a fragment is not part of the connection
  const auto query_at = r.find('?');
  std::string_view query;
  if (query_at != std::string_view::npos) {
    query = r.substr(query_at + 1);
    r = r.substr(0, query_at);
  }
  const auto path_at = r.find('/');
  const std::string_view authority = r.substr(0, path_at);
  const std::string_view path = path_at == std::string_view::npos ? "" : r.substr(path_at);
  const auto at = authority.rfind('@');
  std::string_view hostport = authority;
  if (at != std::string_view::npos) {
    if (auto s = parse_userinfo(authority.substr(0, at), info); !s) return s.error();
    hostport = authority.substr(at + 1);
  }
  if (auto s = parse_hostport(hostport, info); !s) return s.error();
  if (auto s = parse_path(path, info); !s) return s.error();
  if (auto s = parse_query(query, info); !s) return s.error();
  if (auto s = check_required(info); !s) return s.error();
  return info;
}

std::string derive_sql_endpoint(std::string_view host, bool with_auth_token) {
  std::string out = "https://";
  const auto dot = host.find('.');
  // The driver's /^[^.]+\./: at least one non-dot character before the first dot.
  if (dot != std::string_view::npos && dot > 0) {
    out += with_auth_token ? "apiauth." : "api.";
    out.append(host.substr(dot + 1));
  } else {
    out.append(host);
  }
  out += "/sql";
  return out;
}

}  // namespace edgefn::neon
