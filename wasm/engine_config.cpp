#include "engine_config.h"

#include <string>

#include "api/app.h"
#include "base/json_small.h"

namespace edgefn::wasm {
namespace {

error invalid(std::string_view message) { return fail(errc::invalid_argument, std::string(message)); }

/// Reads a string (null: left as it is); false for another type.
bool read_string(json::node v, std::string& out) {
  if (v.type() == json::kind::null) return true;
  const auto s = v.string();
  if (!s) return false;
  out.assign(*s);
  return true;
}

/// Reads APP_SETTINGS (an object of strings); an error message when it is ill-typed.
std::optional<std::string_view> read_settings(json::node v, api::config& cfg) {
  if (v.type() != json::kind::object) return "config: app_settings must be an object";
  for (json::node m = v.first(); m; m = m.next()) {
    const auto text = m.string();
    if (!text) return "config: app settings must be strings";
    cfg.app_settings.emplace_back(std::string(m.key()), std::string(*text));
  }
  return std::nullopt;
}

/// The boolean keys: each names its field and its refusal once.
struct bool_key {
  std::string_view name;
  bool api::config::*field;
  std::string_view refusal;
};
constexpr bool_key k_bool_keys[] = {
    {"auth_dev_hs256", &api::config::auth_dev_hs256, "config: auth_dev_hs256 must be a boolean"},
    {"server_timing", &api::config::server_timing, "config: server_timing must be a boolean"},
    {"read_replica", &api::config::read_replica, "config: read_replica must be a boolean"},
    {"bookmarks", &api::config::bookmarks, "config: bookmarks must be a boolean"},
};

/// Reads one member of the config object into `cfg`; an error message when it has the wrong
/// type (unknown keys are ignored).
std::optional<std::string_view> read_member(json::node v, api::config& cfg, std::string& origins) {
  const std::string_view key = v.key();
  for (const auto& b : k_bool_keys) {
    if (key != b.name) continue;
    const auto value = v.boolean();
    if (!value) return b.refusal;
    cfg.*b.field = *value;
    return std::nullopt;
  }
  if (key == "auth_issuer" || key == "auth_audience" || key == "auth_jwks" || key == "auth_jwks_url" ||
      key == "cors_origins") {
    std::string& out = key == "auth_issuer" ? cfg.auth_issuer : key == "auth_audience" ? cfg.auth_audience
                     : key == "auth_jwks" ? cfg.auth_jwks : key == "auth_jwks_url" ? cfg.auth_jwks_url : origins;
    if (!read_string(v, out)) return "config: string keys must be strings";
  } else if (key == "sql_timeout_ms") {
    const auto ms = v.uint64();
    if (!ms || *ms > UINT32_MAX) return "config: sql_timeout_ms (SQL_TIMEOUT_MS) must be a whole number of milliseconds";
    cfg.sql_timeout_ms = static_cast<std::uint32_t>(*ms);
  } else if (key == "max_body_bytes") {
    const auto max_body = v.uint64();
    if (!max_body) return "config: max_body_bytes (MAX_BODY_BYTES) must be a number of bytes";
    cfg.max_body_bytes = static_cast<std::size_t>(*max_body);
  } else if (key == "app_settings") {
    return read_settings(v, cfg);
  }
  return std::nullopt;
}

}  // namespace

result<api::config> decode_config(std::string_view json) {
  json::small_doc doc;
  const auto o = doc.read(json);
  if (!o && o.error() == json::read_error::not_object) return invalid("config: expected a JSON object");
  if (!o) return fail(errc::parse_error, "config: malformed JSON");
  api::config cfg;
  cfg.auth_dev_hs256 = false;
  std::string origins;
  for (json::node m = o->first(); m; m = m.next())
    if (auto wrong = read_member(m, cfg, origins)) return invalid(*wrong);
  cfg.cors_origins = api::parse_origins(origins);
  if (!cfg.auth_jwks.empty() && !api::valid_jwks(cfg.auth_jwks))
    return invalid("config: AUTH_JWKS is not a JWKS document");
  return cfg;
}

}  // namespace edgefn::wasm
