#include "engine_config.h"

#include <string>

#include "api/app.h"
#include "base/json_read.h"

namespace edgefn::wasm {
namespace {

namespace od = simdjson::ondemand;

error invalid(std::string_view message) { return fail(errc::invalid_argument, std::string(message)); }

/// Reads a string (null: left as it is); false for another type.
bool read_string(od::value v, std::string& out) {
  bool null = false;
  if (!v.is_null().get(null) && null) return true;
  std::string_view s;
  if (v.get_string().get(s)) return false;
  out.assign(s);
  return true;
}

/// Reads one member of the config object into `cfg`; an error message when it has the wrong
/// type (unknown keys are ignored).
std::optional<std::string_view> read_member(std::string_view key, od::value v, api::config& cfg, std::string& origins) {
  if (key == "auth_issuer" || key == "auth_audience" || key == "auth_jwks" || key == "auth_jwks_url" ||
      key == "cors_origins") {
    std::string& out = key == "auth_issuer" ? cfg.auth_issuer : key == "auth_audience" ? cfg.auth_audience
                     : key == "auth_jwks" ? cfg.auth_jwks : key == "auth_jwks_url" ? cfg.auth_jwks_url : origins;
    if (!read_string(v, out)) return "config: string keys must be strings";
  } else if (key == "auth_dev_hs256") {
    if (v.get_bool().get(cfg.auth_dev_hs256)) return "config: auth_dev_hs256 must be a boolean";
  } else if (key == "server_timing") {
    if (v.get_bool().get(cfg.server_timing)) return "config: server_timing must be a boolean";
  } else if (key == "read_replica") {
    if (v.get_bool().get(cfg.read_replica)) return "config: read_replica must be a boolean";
  } else if (key == "sql_timeout_ms") {
    std::uint64_t ms = 0;
    if (v.get_uint64().get(ms) || ms > UINT32_MAX)
      return "config: sql_timeout_ms (SQL_TIMEOUT_MS) must be a whole number of milliseconds";
    cfg.sql_timeout_ms = static_cast<std::uint32_t>(ms);
  } else if (key == "max_body_bytes") {
    std::uint64_t max_body = 0;
    if (v.get_uint64().get(max_body) || max_body == 0) return "config: max_body_bytes must be a positive integer";
    cfg.max_body_bytes = static_cast<std::size_t>(max_body);
  } else if (key == "app_settings") {
    od::object settings;
    if (v.get_object().get(settings)) return "config: app_settings must be an object";
    bool strings = true;
    const bool ok = json::for_each_member(settings, [&](std::string_view name, od::value value) {
      std::string_view text;
      if (value.get_string().get(text)) return strings = false;
      cfg.app_settings.emplace_back(std::string(name), std::string(text));
      return true;
    });
    if (!strings) return "config: app settings must be strings";
    if (!ok) return "config: malformed JSON";
  }
  return std::nullopt;
}

}  // namespace

result<api::config> decode_config(std::string_view json) {
  json::document doc(json);
  od::object o;
  if (auto ec = doc.object().get(o)) {
    if (ec == simdjson::INCORRECT_TYPE) return invalid("config: expected a JSON object");
    return fail(errc::parse_error, "config: malformed JSON");
  }
  api::config cfg;
  cfg.auth_dev_hs256 = false;
  std::string origins;
  std::optional<std::string_view> wrong;
  const bool ok = json::for_each_member(o, [&](std::string_view key, od::value v) {
    wrong = read_member(key, v, cfg, origins);
    return !wrong;
  });
  if (wrong) return invalid(*wrong);
  if (!ok || !doc.at_end()) return fail(errc::parse_error, "config: malformed JSON");
  cfg.cors_origins = api::parse_origins(origins);
  if (!cfg.auth_jwks.empty() && !api::valid_jwks(cfg.auth_jwks))
    return invalid("config: AUTH_JWKS is not a JWKS document");
  return cfg;
}

}  // namespace edgefn::wasm
