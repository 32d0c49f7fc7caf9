#include "api/cors.h"

#include "api/config.h"

namespace edgefn::api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::string* header(const exchange::request& req, std::string_view name) {
  return http::find_header(req.headers, name);
}

/// "*" in the configuration answers "*" (no credentials are involved), else the origin itself.
std::string allow_value(const std::vector<std::string>& allowed, std::string_view origin) {
  for (const auto& a : allowed)
    if (a == origin) return std::string(origin);
  return "*";
}

/// Header names are tokens: anything else in the request list is dropped.
std::string sanitize_header_list(std::string_view list) {
  std::string out;
  for (char c : list) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == ',' || c == ' ';
    if (ok) out += c;
  }
  return out;
}

}  // namespace

std::vector<std::string> parse_origins(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    auto part = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (part.size() > 1 && part.back() == '/') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

bool is_preflight(const exchange::request& req) {
  return req.method == "OPTIONS" && header(req, "origin") &&
         header(req, "access-control-request-method");
}

bool origin_allowed(const std::vector<std::string>& allowed, std::string_view origin) {
  for (const auto& a : allowed)
    if (a == "*" || a == origin) return true;
  return false;
}

exchange::response preflight(const exchange::request& req, const std::vector<std::string>& allowed) {
  exchange::response r;
  r.status = 204;
  const std::string* origin = header(req, "origin");
  http::add_header(r.headers, "Vary", "Origin");
  if (!origin || !origin_allowed(allowed, *origin)) return r;
  http::add_header(r.headers, "Access-Control-Allow-Origin", allow_value(allowed, *origin));
  http::add_header(r.headers, "Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
  const std::string* asked = header(req, "access-control-request-headers");
  http::add_header(r.headers, "Access-Control-Allow-Headers",
                         asked ? sanitize_header_list(*asked) : "Authorization, Content-Type");
  http::add_header(r.headers, "Access-Control-Max-Age", "600");
  return r;
}

void decorate(exchange::response& resp, const exchange::request& req,
              const std::vector<std::string>& allowed) {
  const std::string* origin = header(req, "origin");
  if (!origin || !origin_allowed(allowed, *origin)) return;
  http::add_header(resp.headers, "Access-Control-Allow-Origin", allow_value(allowed, *origin));
  http::add_header(resp.headers, "Access-Control-Expose-Headers",
                   "Location, X-Request-Id, Edgefn-Bookmark, Idempotent-Replayed, Retry-After, WWW-Authenticate");
  http::add_header(resp.headers, "Vary", "Origin");
}

}  // namespace edgefn::api
