#include "gateway/ws_target.h"

#include <arpa/inet.h>

#include <charconv>
#include <optional>

namespace edgefn::gateway {
namespace {

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decodes a query value ('+' is a space); nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '+') { out += ' '; continue; }
    if (v[i] != '%') { out += v[i]; continue; }
    if (i + 2 >= v.size()) return std::nullopt;
    const int hi = hex_value(v[i + 1]);
    const int lo = hex_value(v[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

/// The raw value of query parameter `name`, or nullopt when absent.
std::optional<std::string_view> query_param(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
  }
  return std::nullopt;
}

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  return ::inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

bool valid_port(std::string_view port) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc{} && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

/// Splits "host:port" or "[v6]:port" (port optional).
result<relay_target> split_address(std::string_view address) {
  relay_target t;
  std::string_view port;
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    if (close == std::string_view::npos) return fail(errc::invalid_argument, "malformed address");
    t.host = std::string(address.substr(1, close - 1));
    const std::string_view after = address.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return fail(errc::invalid_argument, "malformed address");
    }
    if (!after.empty()) port = after.substr(1);
  } else {
    const auto colon = address.rfind(':');
    t.host = std::string(address.substr(0, colon));
    if (colon != std::string_view::npos) port = address.substr(colon + 1);
  }
  t.port = std::string(port);
  return t;
}

}  // namespace

bool is_ws_path(std::string_view target) {
  const std::string_view path = path_of(target);
  return path == "/v1" || path == "/v2";
}

result<relay_target> resolve_relay_target(std::string_view target, std::string_view flag_host,
                                          std::string_view flag_port) {
  relay_target t;
  if (const auto raw = query_param(target, "address")) {
    const auto decoded = url_decode(*raw);
    if (!decoded) return fail(errc::invalid_argument, "malformed address parameter");
    auto parts = split_address(*decoded);
    if (!parts) return std::move(parts).error();
    t = std::move(*parts);
    if (flag_host.empty() && !t.host.empty() && !is_loopback(t.host)) {
      return fail(errc::invalid_argument,
                  "proxying to specified address not allowed (only this machine)");
    }
  }
  if (!flag_host.empty()) t.host = std::string(flag_host);
  if (!flag_port.empty()) t.port = std::string(flag_port);
  if (t.host.empty()) {
    return fail(errc::invalid_argument, "missing address parameter (host:port of Postgres)");
  }
  if (t.port.empty()) t.port = "5432";
  if (!valid_port(t.port)) return fail(errc::invalid_argument, "invalid port in address");
  return t;
}

}  // namespace edgefn::gateway
