#include "api/router.h"

namespace edgefn::api {
namespace {

constexpr std::string_view k_items = "/api/wardrobe";
constexpr std::string_view k_total = "/api/wardrobe/total-items";

match make(route id, std::string_view pattern, std::string_view allow) {
  return match{id, pattern, allow, {}};
}

match wardrobe_item(std::string_view method, std::string_view segment) {
  match m = make(route::method_not_allowed, "/api/wardrobe/:id", "GET, PUT, DELETE");
  m.item_segment = std::string(segment);
  if (method == "GET") m.id = route::get_item;
  else if (method == "PUT") m.id = route::update_item;
  else if (method == "DELETE") m.id = route::delete_item;
  return m;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_as_space) {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

namespace {
std::string decode_component(std::string_view s) { return percent_decode(s, true); }
}  // namespace

match match_route(std::string_view method, std::string_view path) {
  if (path == "/healthz")
    return make(method == "GET" ? route::healthz : route::method_not_allowed, "/healthz", "GET");
  if (path == "/api/openapi.json")
    return make(method == "GET" ? route::openapi : route::method_not_allowed, "/api/openapi.json",
                "GET");
  if (path == k_items) {
    route id = route::method_not_allowed;
    if (method == "GET") id = route::list_items;
    else if (method == "POST") id = route::create_item;
    return make(id, k_items, "GET, POST");
  }
  if (path == k_total)
    return make(method == "GET" ? route::total_items : route::method_not_allowed, k_total, "GET");
  if (path.size() > k_items.size() + 1 && path.starts_with(k_items) && path[k_items.size()] == '/') {
    const auto segment = path.substr(k_items.size() + 1);
    if (segment.find('/') == std::string_view::npos) return wardrobe_item(method, segment);
  }
  return make(route::not_found, "", "");
}

std::optional<std::int32_t> parse_item_id(std::string_view segment) {
  if (segment.empty() || segment.size() > 10) return std::nullopt;
  std::int64_t v = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > 2147483647) return std::nullopt;
  return static_cast<std::int32_t>(v);
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::vector<query_param> parse_query(std::string_view query) {
  std::vector<query_param> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) out.push_back({decode_component(part), {}});
    else out.push_back({decode_component(part.substr(0, eq)), decode_component(part.substr(eq + 1))});
  }
  return out;
}

std::optional<std::string> find_param(const std::vector<query_param>& params, std::string_view name) {
  std::optional<std::string> v;
  for (const auto& p : params)
    if (p.name == name) v = p.value;
  return v;
}

}  // namespace edgefn::api
