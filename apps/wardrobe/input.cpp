#include "wardrobe/input.h"

#include "api/errors.h"
#include "api/object_key.h"
#include "api/router.h"
#include "auth/base64.h"
#include "base/json_writer.h"
#include "base/text.h"

namespace edgefn::wardrobe {
namespace {

using api::error_code;
using api::error_response;
using t = items_table;

constexpr std::size_t k_max_url = 2048;

/// An absolute http(s) URL with a host, no whitespace or control characters.
bool is_http_url(std::string_view u) {
  std::string_view rest;
  if (u.starts_with("https://")) rest = u.substr(8);
  else if (u.starts_with("http://")) rest = u.substr(7);
  else return false;
  const auto host_end = rest.find_first_of("/?#");
  if (rest.substr(0, host_end).empty()) return false;
  for (char c : u)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool parse_signed(std::string_view s, std::int64_t& out) {
  const bool neg = !s.empty() && s.front() == '-';
  if (!parse_int(neg ? s.substr(1) : s, out)) return false;
  if (neg) out = -out;
  return true;
}

/// `sub` as one segment of an object key: '%' as "%25" and '/' as "%2F". Substituted raw, the
/// sub "a/b" would make user "a"'s prefix users/a/ cover user "a/b"'s objects; encoded, no two
/// subs share a segment and none spans two.
std::string key_segment(std::string_view sub) {
  std::string out;
  for (char c : sub) {
    if (c == '%') out += "%25";
    else if (c == '/') out += "%2F";
    else out += c;
  }
  return out;
}

/// True when the path of `rest` (up to '?' or '#') has a "." or ".." segment, spelled plainly or
/// percent-encoded: a browser resolves "bucket/../x" (and "bucket/%2e%2e/x") outside the bucket.
bool has_dot_segment(std::string_view rest) {
  const std::string path = text::percent_decode(rest.substr(0, rest.find_first_of("?#")), false);
  std::string_view p = path;
  while (!p.empty()) {
    const auto slash = p.find('/');
    const auto seg = p.substr(0, slash);
    if (seg == "." || seg == "..") return true;
    if (slash == std::string_view::npos) break;
    p.remove_prefix(slash + 1);
  }
  return false;
}

}  // namespace

bool is_under(std::string_view url, std::string_view base) {
  if (base.empty() || !url.starts_with(base)) return false;
  if (base.back() != '/' && url.size() != base.size() && url[base.size()] != '/') return false;
  return !has_dot_segment(url.substr(base.size()));
}

std::optional<std::string> owned_object_key(std::string_view url, const std::string& user,
                                            const std::string* base_url, const std::string* owner_prefix) {
  std::string key;
  if (base_url && !base_url->empty()) {
    if (!is_under(url, *base_url)) return std::nullopt;
    auto rest = url.substr(base_url->size());
    rest = rest.substr(0, rest.find_first_of("?#"));
    while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    key = api::object_key("/" + std::string(rest));
  } else {
    key = api::object_key(url);
  }
  std::string prefix = owner_prefix ? *owner_prefix : std::string("users/{sub}/");
  if (const auto at = prefix.find("{sub}"); at != std::string::npos) prefix.replace(at, 5, key_segment(user));
  if (prefix.empty() || !key.starts_with(prefix) || key.size() == prefix.size()) return std::nullopt;
  return key;
}

api::field_errors image_url_checks(const item_values& v, bool create, const std::string* base_url) {
  api::field_errors fields;
  const auto& url = v[t::image_url];
  if (url) {
    if (url->size() > k_max_url) fields.emplace_back("imageUrl", "must be at most 2048 characters");
    else if (!is_http_url(*url)) fields.emplace_back("imageUrl", "must be an absolute http(s) URL");
    else if (base_url && !base_url->empty() && !is_under(*url, *base_url))
      fields.emplace_back("imageUrl", "must be on the image bucket (" + *base_url + ")");
  } else if (create) {
    fields.emplace_back("imageUrl", "is required");
  }
  return fields;
}

std::string encode_cursor(const cursor& c) {
  std::string raw = c.created_at ? json::decimal(c.created_at->micros) : std::string("n");
  raw += '.';
  raw += json::decimal(c.id);
  return auth::base64url_encode(raw);
}

std::optional<cursor> decode_cursor(std::string_view text) {
  auto raw = auth::base64url_decode(text);
  if (!raw || text.size() > 64) return std::nullopt;
  const std::string_view r = *raw;
  const auto dot = r.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  cursor c;
  std::int64_t id = 0;
  if (!parse_int(r.substr(dot + 1), id) || id < 1 || id > 2147483647) return std::nullopt;
  c.id = static_cast<std::int32_t>(id);
  const auto ts = r.substr(0, dot);
  if (ts != "n") {
    std::int64_t micros = 0;
    // A created_at this API wrote: years 0001..9999 (anything else would make Postgres refuse
    // the timestamp, which is the client's mistake, not the server's).
    constexpr std::int64_t k_min = -62'135'596'800'000'000, k_max = 253'402'300'799'999'999;
    if (!parse_signed(ts, micros) || micros < k_min || micros > k_max) return std::nullopt;
    c.created_at = neon::timestamp{micros};
  }
  return c;
}

list_params_result parse_list_params(std::string_view query) {
  const auto params = api::parse_query(query);
  list_params out;
  api::field_errors fields;
  if (auto limit = api::find_param(params, "limit")) {
    std::int64_t n = 0;
    if (!parse_int(*limit, n) || n < 1 || n > 100) fields.emplace_back("limit", "must be an integer from 1 to 100");
    else out.limit = n;
  }
  if (auto c = api::find_param(params, "cursor")) {
    out.after = decode_cursor(*c);
    if (!out.after) fields.emplace_back("cursor", "is not a cursor returned by this API");
  }
  for (auto [name, slot] : {std::pair{"type", &out.type}, {"color", &out.color}, {"size", &out.size}}) {
    auto v = api::find_param(params, name);
    if (!v) continue;
    if (!json::is_valid_utf8(*v) || v->find('\0') != std::string::npos)
      fields.emplace_back(name, "must be valid UTF-8 without NUL characters");
    else if (v->size() > 1024)
      fields.emplace_back(name, "is too long");
    else *slot = std::move(*v);
  }
  if (!fields.empty()) return error_response(error_code::validation_failed, "invalid query parameters", fields);
  return out;
}

}  // namespace edgefn::wardrobe
