#pragma once
// The API's configuration, as the host reads it (env / .env files natively, bindings in the
// Worker). No secrets: the development HS256 secret and database credentials stay in the host;
// the core only learns whether HS256 is enabled.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgefn::api {

/// The database deadline of a route that sets none (route_def::timeout_ms), and of every route
/// unless SQL_TIMEOUT_MS says otherwise.
inline constexpr std::uint32_t k_default_sql_timeout_ms = 10'000;

/// The largest request body a route reads unless MAX_BODY_BYTES says otherwise.
inline constexpr std::size_t k_default_max_body_bytes = 64 * 1024;
/// The largest MAX_BODY_BYTES a host accepts: a body beyond Neon's 10 MiB per /sql request
/// could not be written anyway (and the Worker's module has 64 MiB for everything).
inline constexpr std::size_t k_max_body_bytes_ceiling = 10u << 20;

struct config {
  std::string auth_issuer;     ///< AUTH_ISSUER ("" = iss not checked)
  std::string auth_audience;   ///< AUTH_AUDIENCE ("" = aud not checked)
  std::string auth_jwks;       ///< AUTH_JWKS: an inline JWKS document (wins over the URL)
  std::string auth_jwks_url;   ///< AUTH_JWKS_URL: fetched (and cached) by the host
  bool auth_dev_hs256 = false; ///< AUTH_DEV_SECRET is set: accept HS256 tokens (development)
  std::vector<std::string> cors_origins;  ///< CORS_ORIGINS entries; "*" allows any origin
  /// MAX_BODY_BYTES: the largest request body a route reads (413 payload_too_large above;
  /// 1..k_max_body_bytes_ceiling, which make_handler checks).
  std::size_t max_body_bytes = k_default_max_body_bytes;
  /// The app's own settings: every APP_* key of the environment (natively) or of the Worker's
  /// vars, name -> value. Apps read them with route_call::setting(). Not for secrets: the core
  /// never sees credentials.
  std::vector<std::pair<std::string, std::string>> app_settings;

  /// The value of app setting `name`, or nullptr.
  [[nodiscard]] const std::string* setting(std::string_view name) const {
    for (const auto& [k, v] : app_settings)
      if (k == name) return &v;
    return nullptr;
  }
  /// SQL_TIMEOUT_MS: the database deadline of routes that set no route_def::timeout_ms
  /// (0 = none: only the host's own transport limit applies).
  std::uint32_t sql_timeout_ms = k_default_sql_timeout_ms;
  /// SERVER_TIMING=true: every response carries Server-Timing (db, cache, auth) and the request
  /// log line the same fields. Off by default.
  bool server_timing = false;
  /// The host has a read replica (DATABASE_URL_READ is set; the URL itself stays in the host):
  /// replica-safe reads are marked for it (exchange::sql_call::replica), and Server-Timing's
  /// db entry names the databases that answered.
  bool read_replica = false;
  /// Writes read their bookmark (Edgefn-Bookmark: WAL position and transaction id) in their own
  /// transaction, as a two-statement batch. A bookmark only matters where a cache or a read
  /// replica may answer a later read with older data: a host with neither (the Worker with
  /// CACHE_DISABLED=true and no DATABASE_URL_READ) turns this off, and a write is then sent
  /// alone, as the statement it is, and answered without a bookmark.
  bool bookmarks = true;
};

/// Splits CORS_ORIGINS ("https://a.example, https://b.example" or "*"): trims spaces, drops
/// empty entries and trailing '/'.
[[nodiscard]] std::vector<std::string> parse_origins(std::string_view list);

}  // namespace edgefn::api
