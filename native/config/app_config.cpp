#include "config/app_config.h"

#include <charconv>
#include <optional>

#include "api/app.h"

namespace edgefn::native {
namespace {

/// A positive byte count from `key` (absent: `fallback`).
result<std::size_t> byte_count(const env_config& env, const char* key, std::size_t fallback) {
  const auto text = env.get(key);
  if (!text || text->empty()) return fallback;
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n == 0)
    return fail(errc::invalid_argument, std::string(key) + " must be a positive number of bytes");
  return n;
}

/// A decimal number of milliseconds that fits 32 bits.
std::optional<std::uint32_t> parse_ms(std::string_view text) {
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

result<neon::client_config> database_config(const env_config& env,
                                            const std::string& endpoint_flag) {
  auto url = env.get("DATABASE_URL");
  if (!url || url->empty()) {
    return fail(errc::invalid_argument,
                "DATABASE_URL is not set (environment, .env.<env>.local, .env.local or .env); "
                "run `make dev` for a local database");
  }
  if (url->rfind("postgres://", 0) != 0 && url->rfind("postgresql://", 0) != 0) {
    return fail(errc::invalid_argument,
                "DATABASE_URL must be a postgres:// or postgresql:// connection string");
  }
  neon::client_config cfg;
  cfg.connection_string = *url;
  cfg.endpoint_override = endpoint_flag.empty() ? env.get("NEON_FETCH_ENDPOINT").value_or("")
                                                : endpoint_flag;
  return cfg;
}

result<host_config> load_host_config(const env_config& env, const std::string& endpoint_flag) {
  host_config out;
  auto db = database_config(env, endpoint_flag);
  if (!db) return std::move(db).error();
  out.database = std::move(*db);
  if (auto read = env.get("DATABASE_URL_READ"); read && !read->empty()) {
    if (read->rfind("postgres://", 0) != 0 && read->rfind("postgresql://", 0) != 0)
      return fail(errc::invalid_argument, "DATABASE_URL_READ must be a postgres:// or postgresql:// connection string");
    out.read_database = out.database;
    out.read_database.connection_string = *read;
    out.api.read_replica = true;
  }
  auto get = [&](const char* key) { return env.get(key).value_or(""); };
  out.api.auth_issuer = get("AUTH_ISSUER");
  out.api.auth_audience = get("AUTH_AUDIENCE");
  out.api.auth_jwks = get("AUTH_JWKS");
  out.api.auth_jwks_url = get("AUTH_JWKS_URL");
  out.dev_secret = get("AUTH_DEV_SECRET");
  out.api.auth_dev_hs256 = !out.dev_secret.empty();
  out.api.cors_origins = api::parse_origins(get("CORS_ORIGINS"));
  out.api.server_timing = get("SERVER_TIMING") == "true";
  if (auto t = env.get("SQL_TIMEOUT_MS"); t && !t->empty()) {
    auto ms = parse_ms(*t);
    if (!ms) return fail(errc::invalid_argument, "SQL_TIMEOUT_MS must be a whole number of milliseconds (0 = none)");
    out.api.sql_timeout_ms = *ms;
  }
  if (!out.api.auth_jwks.empty() && !api::valid_jwks(out.api.auth_jwks))
    return fail(errc::invalid_argument, "AUTH_JWKS is not a JWKS document ({\"keys\":[...]})");
  for (const auto& key : env.keys_with_prefix("APP_")) out.api.app_settings.emplace_back(key, get(key.c_str()));
  out.images.dir = get("IMAGES_DIR");
  out.images.s3_endpoint = get("IMAGES_S3_ENDPOINT");
  out.images.s3_bucket = get("IMAGES_S3_BUCKET");
  out.images.s3_region = env.get("IMAGES_S3_REGION").value_or("us-east-1");
  out.images.s3_access_key = get("IMAGES_S3_ACCESS_KEY_ID");
  out.images.s3_secret_key = get("IMAGES_S3_SECRET_ACCESS_KEY");
  auto body_bytes = byte_count(env, "MAX_BODY_BYTES", out.api.max_body_bytes);
  if (!body_bytes) return std::move(body_bytes).error();
  out.api.max_body_bytes = *body_bytes;
  auto cache_bytes = byte_count(env, "CACHE_MAX_BYTES", out.cache_max_bytes);
  if (!cache_bytes) return std::move(cache_bytes).error();
  out.cache_max_bytes = *cache_bytes;
  auto entry_bytes = byte_count(env, "CACHE_MAX_ENTRY_BYTES", out.cache_max_entry_bytes);
  if (!entry_bytes) return std::move(entry_bytes).error();
  out.cache_max_entry_bytes = *entry_bytes;
  return out;
}

}  // namespace edgefn::native
