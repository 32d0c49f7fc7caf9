#include "studio/access.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>

#include "api/router.h"

namespace edgefn::studio {
namespace {

/// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "".
std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

}  // namespace

std::optional<std::string> new_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return std::nullopt;
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += k_hex[b >> 4];
    out += k_hex[b & 15];
  }
  return out;
}

std::string presented_token(const httpd::request& req) {
  const auto [path, query] = api::split_target(req.target);
  if (auto t = api::find_param(api::parse_query(query), "token")) return *t;
  const std::string* cookie = req.header("cookie");
  return cookie ? std::string(cookie_value(*cookie, k_cookie_name)) : std::string();
}

bool token_equals(std::string_view presented, std::string_view expected) noexcept {
  if (presented.size() != expected.size() || expected.empty()) return false;
  return CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0;
}

bool host_allowed(const httpd::request& req, unsigned port) {
  const std::string* host = req.header("host");
  if (!host) return false;
  const std::string p = ":" + std::to_string(port);
  return *host == "127.0.0.1" + p || *host == "localhost" + p;
}

std::string token_cookie(std::string_view token) {
  return std::string(k_cookie_name) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Strict";
}

}  // namespace edgefn::studio
