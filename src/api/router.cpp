#include "api/router.h"

#include "base/text.h"

namespace edgefn::api {
namespace {

/// Splits "/a/b" into {"a", "b"}; nullopt for "" or a path not starting with '/'.
std::optional<std::vector<std::string_view>> split_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  if (path.empty()) return out;
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

result<path_segment> compile_segment(std::string_view seg) {
  if (seg.empty()) return fail(errc::invalid_argument, "route pattern: empty segment");
  path_segment s;
  if (seg.front() != ':') {
    s.literal = seg;
    return s;
  }
  s.is_param = true;
  seg.remove_prefix(1);
  const auto brace = seg.find('{');
  s.name = seg.substr(0, brace);
  if (s.name.empty()) return fail(errc::invalid_argument, "route pattern: unnamed parameter");
  if (brace == std::string_view::npos) return s;
  const auto type = seg.substr(brace);
  if (type == "{int}") s.type = param_type::int32;
  else if (type == "{id}") s.type = param_type::id;
  else return fail(errc::invalid_argument, "route pattern: unknown parameter type " + std::string(type));
  return s;
}

result<compiled_route> compile_route(const route_def& def) {
  auto parts = split_path(def.path);
  if (!parts) return fail(errc::invalid_argument, "route pattern must start with '/': " + std::string(def.path));
  compiled_route r;
  r.def = &def;
  for (auto p : *parts) {
    auto seg = compile_segment(p);
    if (!seg) return std::move(seg).error();
    r.doc_path += '/';
    r.log_path += '/';
    if (seg->is_param) {
      r.doc_path += "{" + std::string(seg->name) + "}";
      r.log_path += ":" + std::string(seg->name);
    } else {
      r.doc_path += seg->literal;
      r.log_path += seg->literal;
      ++r.literals;
    }
    r.segments.push_back(*seg);
  }
  if (r.doc_path.empty()) r.doc_path = r.log_path = "/";
  return r;
}

bool shape_matches(const compiled_route& r, const std::vector<std::string_view>& parts) {
  if (r.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) return false;
    if (!r.segments[i].is_param && r.segments[i].literal != parts[i]) return false;
  }
  return true;
}

/// Whether a route declared for `declared` serves `method`: its own, and HEAD wherever GET is
/// (RFC 9110 9.3.2: the GET's status and headers; the hosts send no body).
bool serves(std::string_view declared, std::string_view method) {
  return declared == method || (method == "HEAD" && declared == "GET");
}

/// Adds `method` (and HEAD with GET) to an Allow list, each once.
void add_allowed(std::string& allow, std::string_view method) {
  if (allow.find(method) == std::string::npos) {
    if (!allow.empty()) allow += ", ";
    allow += method;
  }
  if (method == "GET") add_allowed(allow, "HEAD");
}

match builtin(match_kind kind, std::string_view method, std::string_view pattern) {
  match m;
  m.kind = serves("GET", method) ? kind : match_kind::method_not_allowed;
  m.pattern = pattern;
  add_allowed(m.allow, "GET");
  return m;
}

}  // namespace

result<router> router::compile(const app_spec& app) {
  router out;
  out.app_ = &app;
  for (const auto& def : app.routes) {
    auto r = compile_route(def);
    if (!r) return std::move(r).error();
    out.routes_.push_back(std::move(*r));
  }
  return out;
}

match router::find(std::string_view method, std::string_view path) const {
  if (!app_->health_path.empty() && path == app_->health_path)
    return builtin(match_kind::health, method, app_->health_path);
  if (!app_->openapi_path.empty() && path == app_->openapi_path)
    return builtin(match_kind::openapi, method, app_->openapi_path);
  match m;
  const auto parts = split_path(path);
  if (!parts) return m;
  // The most literal pattern that fits the path's shape; then its method.
  int best = -1;
  for (const auto& r : routes_)
    if (r.literals > best && shape_matches(r, *parts)) best = r.literals;
  if (best < 0) return m;
  // Routes of the same shape may name their parameters differently per method (GET
  // /posts/:authorId, PUT /posts/:id): the path's methods are all of theirs.
  for (const auto& r : routes_) {
    if (r.literals != best || !shape_matches(r, *parts)) continue;
    add_allowed(m.allow, r.def->method);
    if (r.def->method == method && m.route == nullptr) m.route = &r;
    if (m.pattern.empty()) m.pattern = r.log_path;
  }
  if (m.route == nullptr)
    for (const auto& r : routes_)
      if (r.literals == best && shape_matches(r, *parts) && serves(r.def->method, method)) {
        m.route = &r;
        break;
      }
  if (m.route) m.pattern = m.route->log_path;
  m.kind = m.route ? match_kind::route : match_kind::method_not_allowed;
  if (m.route)
    for (std::size_t i = 0; i < parts->size(); ++i)
      if (m.route->segments[i].is_param) m.raw_params.push_back((*parts)[i]);
  return m;
}

std::optional<std::int32_t> parse_id(std::string_view segment) {
  auto v = parse_int32(segment);
  if (!v || *v < 1 || segment.front() == '-') return std::nullopt;
  return v;
}

std::optional<std::int32_t> parse_int32(std::string_view segment) {
  const bool neg = !segment.empty() && segment.front() == '-';
  if (neg) segment.remove_prefix(1);
  if (segment.empty() || segment.size() > 10) return std::nullopt;
  std::int64_t v = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (neg) v = -v;
  if (v < INT32_MIN || v > INT32_MAX) return std::nullopt;
  return static_cast<std::int32_t>(v);
}

std::optional<std::vector<path_value>> parse_path_params(const match& m) {
  std::vector<path_value> out;
  if (!m.route) return out;
  std::size_t next = 0;
  for (const auto& seg : m.route->segments) {
    if (!seg.is_param) continue;
    const std::string_view raw = m.raw_params[next++];
    path_value v{seg.name, text::percent_decode(raw, false), 0};
    if (seg.type != param_type::text) {
      auto n = seg.type == param_type::id ? parse_id(raw) : parse_int32(raw);
      if (!n) return std::nullopt;
      v.number = *n;
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::vector<query_param> parse_query(std::string_view query) {
  std::vector<query_param> out;
  auto decode = [](std::string_view s) { return text::percent_decode(s, true); };
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) out.push_back({decode(part), {}});
    else out.push_back({decode(part.substr(0, eq)), decode(part.substr(eq + 1))});
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
