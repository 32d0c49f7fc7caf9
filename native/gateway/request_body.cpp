#include "gateway/request_body.h"

#include <algorithm>
#include <memory>

#include "base/json_writer.h"
#include "simdjson.h"

namespace edgefn::gateway {
namespace {

namespace od = simdjson::ondemand;

/// Postgres's Bind message counts params in 16 bits.
constexpr std::size_t k_max_params = 65535;
/// The deepest nesting of arrays and objects in one param (1 = a flat array or object).
constexpr int k_max_param_depth = 64;

error parse_fail(std::string message) { return fail(errc::parse_error, std::move(message)); }

error too_deep() {
  return parse_fail("params nest too deep (more than " + std::to_string(k_max_param_depth) +
                    " levels)");
}

/// The deepest nesting of arrays and objects in JSON text (brackets in strings don't count).
int nesting_depth(std::string_view json) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

error json_fail(simdjson::error_code e) {
  return parse_fail(std::string(simdjson::error_message(e)));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

/// Compact JSON text of an object value nested in `outer` arrays (0 for a top-level param).
result<std::string> compact(od::value& v, int outer) {
  std::string_view raw;
  if (auto e = v.raw_json().get(raw)) return json_fail(e);
  if (outer + nesting_depth(raw) > k_max_param_depth) return too_deep();
  std::string out(raw.size() + 1, '\0');
  std::size_t len = 0;
  if (auto e = simdjson::minify(raw.data(), raw.size(), out.data(), len)) return json_fail(e);
  out.resize(len);
  return out;
}

/// Text of a bool or number exactly as written.
result<std::string> scalar_text(od::value& v, od::json_type type) {
  if (type == od::json_type::boolean) {
    bool b = false;
    if (auto e = v.get_bool().get(b)) return json_fail(e);
    return std::string(b ? "true" : "false");
  }
  const std::string text(trim(v.raw_json_token()));
  double ignored = 0;
  if (auto e = v.get_double().get(ignored)) return json_fail(e);
  return text;
}

/// A string value. NUL characters (from \u0000) are kept: params carrying them are sent in
/// binary format so that Postgres rejects them itself (22021), as it does behind Neon.
result<std::string> string_text(od::value& v) {
  std::string_view s;
  if (auto e = v.get_string().get(s)) return json_fail(e);
  return std::string(s);
}

status append_array_literal(od::value& v, std::string& out, int depth);

/// Appends one array element in Postgres literal form.
status append_element(od::value& v, std::string& out, int depth) {
  od::json_type type;
  if (auto e = v.type().get(type)) return json_fail(e);
  switch (type) {
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null); e || !is_null) return parse_fail("invalid null");
      out += "NULL";
      return {};
    }
    case od::json_type::string: {
      auto s = string_text(v);
      if (!s) return s.error();
      json::append_string(out, *s);
      return {};
    }
    case od::json_type::object: {
      auto s = compact(v, depth + 1);
      if (!s) return s.error();
      json::append_string(out, *s);
      return {};
    }
    case od::json_type::array: return append_array_literal(v, out, depth + 1);
    default: {
      auto s = scalar_text(v, type);
      if (!s) return s.error();
      out += *s;
      return {};
    }
  }
}

status append_array_literal(od::value& v, std::string& out, int depth) {
  if (depth + 1 > k_max_param_depth) return too_deep();  // `depth` arrays enclose this one
  od::array arr;
  if (auto e = v.get_array().get(arr)) return json_fail(e);
  out += '{';
  bool first = true;
  for (auto item : arr) {
    od::value element;
    if (auto e = item.get(element)) return json_fail(e);
    if (!first) out += ',';
    first = false;
    if (auto st = append_element(element, out, depth); !st) return st;
  }
  out += '}';
  return {};
}

/// Converts one param to its text bind value (nullopt = NULL).
result<std::optional<std::string>> param_value(od::value& v) {
  od::json_type type;
  if (auto e = v.type().get(type)) return json_fail(e);
  switch (type) {
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null); e || !is_null) return parse_fail("invalid null");
      return std::optional<std::string>{};
    }
    case od::json_type::string: {
      auto s = string_text(v);
      if (!s) return s.error();
      return std::optional<std::string>(std::move(*s));
    }
    case od::json_type::object: {
      auto s = compact(v, 0);
      if (!s) return s.error();
      return std::optional<std::string>(std::move(*s));
    }
    case od::json_type::array: {
      std::string out;
      if (auto st = append_array_literal(v, out, 0); !st) return st.error();
      return std::optional<std::string>(std::move(out));
    }
    default: {
      auto s = scalar_text(v, type);
      if (!s) return s.error();
      return std::optional<std::string>(std::move(*s));
    }
  }
}

status parse_params(od::value& v, query_spec& spec) {
  bool is_null = false;
  if (!v.is_null().get(is_null) && is_null) return {};
  od::array arr;
  if (v.get_array().get(arr)) return parse_fail("invalid type: params must be an array");
  for (auto item : arr) {
    if (spec.params.size() == k_max_params) {
      return parse_fail("too many params (more than 65535, the Postgres protocol limit)");
    }
    od::value element;
    if (auto e = item.get(element)) return json_fail(e);
    auto p = param_value(element);
    if (!p) return p.error();
    spec.params.push_back(std::move(*p));
  }
  return {};
}

status parse_array_mode(od::value& v, query_spec& spec) {
  bool is_null = false;
  if (!v.is_null().get(is_null) && is_null) return {};
  bool b = false;
  if (v.get_bool().get(b)) return parse_fail("invalid type: arrayMode must be a boolean");
  spec.array_mode = b;
  return {};
}

status parse_query_text(od::value& v, query_spec& spec) {
  auto s = string_text(v);
  if (!s) return parse_fail("invalid type: query must be a string");
  if (s->find('\0') != std::string::npos) return parse_fail("query contains a NUL character");
  spec.query = std::move(*s);
  return {};
}

/// Reads the fields of one query object. `queries` (when non-null) collects a batch.
status parse_query_object(od::object& obj, query_spec& spec, bool& has_query,
                          std::vector<query_spec>* queries, bool& has_queries);

status parse_batch(od::value& v, std::vector<query_spec>& queries) {
  od::array arr;
  if (v.get_array().get(arr)) return parse_fail("invalid type: queries must be an array");
  for (auto item : arr) {
    od::object obj;
    if (item.get_object().get(obj)) return parse_fail("invalid type: expected a query");
    query_spec spec;
    bool has_query = false;
    bool unused = false;
    if (auto st = parse_query_object(obj, spec, has_query, nullptr, unused); !st) return st;
    if (!has_query) return parse_fail("missing field `query`");
    queries.push_back(std::move(spec));
  }
  return {};
}

status parse_query_object(od::object& obj, query_spec& spec, bool& has_query,
                          std::vector<query_spec>* queries, bool& has_queries) {
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return json_fail(e);
    od::value v;
    if (auto e = field.value().get(v)) return json_fail(e);
    status st;
    if (key == "query") {
      has_query = true;
      st = parse_query_text(v, spec);
    } else if (key == "params") {
      st = parse_params(v, spec);
    } else if (key == "arrayMode") {
      st = parse_array_mode(v, spec);
    } else if (key == "queries" && queries != nullptr) {
      has_queries = true;
      queries->clear();
      st = parse_batch(v, *queries);
    }
    if (!st) return st;
  }
  return {};
}

}  // namespace

result<payload> parse_payload(std::string_view body) {
  thread_local od::parser parser;
  const simdjson::padded_string padded(body);
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return json_fail(e);
  od::object obj;
  if (doc.get_object().get(obj)) {
    return parse_fail("data did not match any variant of untagged enum Payload");
  }
  payload out;
  query_spec single;
  bool has_query = false;
  bool has_queries = false;
  std::vector<query_spec> batch;
  if (auto st = parse_query_object(obj, single, has_query, &batch, has_queries); !st) {
    return st.error();
  }
  if (!doc.at_end()) return parse_fail("trailing characters");
  if (has_query) {
    out.queries.push_back(std::move(single));
  } else if (has_queries) {
    out.batch = true;
    out.queries = std::move(batch);
  } else {
    return parse_fail("data did not match any variant of untagged enum Payload");
  }
  return out;
}

}  // namespace edgefn::gateway
