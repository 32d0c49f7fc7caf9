#include "engine_config.h"

#include <string>

#include "api/app.h"
#include "simdjson.h"

namespace edgefn::wasm {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

/// Reads an optional string key into `out`; false when present with another type.
bool read_string(const object& o, std::string_view key, std::string& out) {
  element e;
  if (o[key].get(e)) return true;  // absent
  if (e.is_null()) return true;
  std::string_view s;
  if (e.get_string().get(s)) return false;
  out.assign(s);
  return true;
}

}  // namespace

result<api::config> decode_config(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(json.data(), json.size()).get(doc)) return fail(errc::parse_error, "config: malformed JSON");
  object o;
  if (doc.get_object().get(o)) return fail(errc::invalid_argument, "config: expected a JSON object");

  api::config cfg;
  std::string origins;
  if (!read_string(o, "auth_issuer", cfg.auth_issuer) || !read_string(o, "auth_audience", cfg.auth_audience) ||
      !read_string(o, "auth_jwks", cfg.auth_jwks) || !read_string(o, "auth_jwks_url", cfg.auth_jwks_url) ||
      !read_string(o, "cors_origins", origins))
    return fail(errc::invalid_argument, "config: string keys must be strings");
  cfg.cors_origins = api::parse_origins(origins);

  bool hs256 = false;
  if (auto e = o["auth_dev_hs256"]; !e.error()) {
    if (e.get_bool().get(hs256)) return fail(errc::invalid_argument, "config: auth_dev_hs256 must be a boolean");
  }
  cfg.auth_dev_hs256 = hs256;

  if (auto e = o["server_timing"]; !e.error()) {
    if (e.get_bool().get(cfg.server_timing)) return fail(errc::invalid_argument, "config: server_timing must be a boolean");
  }
  if (auto e = o["read_replica"]; !e.error()) {
    if (e.get_bool().get(cfg.read_replica)) return fail(errc::invalid_argument, "config: read_replica must be a boolean");
  }
  if (auto e = o["sql_timeout_ms"]; !e.error()) {
    std::uint64_t ms = 0;
    if (e.get_uint64().get(ms) || ms > UINT32_MAX)
      return fail(errc::invalid_argument, "config: sql_timeout_ms (SQL_TIMEOUT_MS) must be a whole number of milliseconds");
    cfg.sql_timeout_ms = static_cast<std::uint32_t>(ms);
  }

  std::uint64_t max_body = 0;
  if (auto e = o["max_body_bytes"]; !e.error()) {
    if (e.get_uint64().get(max_body) || max_body == 0)
      return fail(errc::invalid_argument, "config: max_body_bytes must be a positive integer");
    cfg.max_body_bytes = static_cast<std::size_t>(max_body);
  }

  if (auto e = o["app_settings"]; !e.error()) {
    object settings;
    if (e.get_object().get(settings)) return fail(errc::invalid_argument, "config: app_settings must be an object");
    for (auto field : settings) {
      std::string_view v;
      if (field.value.get_string().get(v)) return fail(errc::invalid_argument, "config: app settings must be strings");
      cfg.app_settings.emplace_back(std::string(field.key), std::string(v));
    }
  }

  if (!cfg.auth_jwks.empty() && !api::valid_jwks(cfg.auth_jwks))
    return fail(errc::invalid_argument, "config: AUTH_JWKS is not a JWKS document");
  return cfg;
}

}  // namespace edgefn::wasm
