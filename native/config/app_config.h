#pragma once
// The native configuration, in one module: what every command reads from the environment and
// .env files (config/env_config.h): the database (DATABASE_URL, NEON_FETCH_ENDPOINT), the
// core's api::config, and what stays in the host (credentials, the image bucket).

#include <cstddef>
#include <string>

#include "api/config.h"
#include "base/result.h"
#include "config/env_config.h"
#include "neon/request.h"

namespace edgefn::native {

/// Where DELETE sends image objects.
struct images_config {
  std::string dir;            ///< IMAGES_DIR: a local directory bucket (development)
  std::string s3_endpoint;    ///< IMAGES_S3_ENDPOINT, e.g. https://s3.eu-west-1.amazonaws.com
  std::string s3_bucket;      ///< IMAGES_S3_BUCKET
  std::string s3_region;      ///< IMAGES_S3_REGION (default us-east-1)
  std::string s3_access_key;  ///< IMAGES_S3_ACCESS_KEY_ID
  std::string s3_secret_key;  ///< IMAGES_S3_SECRET_ACCESS_KEY (never logged)
};

struct host_config {
  api::config api;
  neon::client_config database;  ///< DATABASE_URL (+ NEON_FETCH_ENDPOINT / --endpoint)
  /// DATABASE_URL_READ: a read replica of the same database (same endpoint rules), or an empty
  /// connection_string for none. Replica-safe reads go there (api::config::read_replica).
  neon::client_config read_database;
  std::string dev_secret;        ///< AUTH_DEV_SECRET (HS256, development only; never logged)
  images_config images;
  /// The native `cached` pool's memory: all entries together (CACHE_MAX_BYTES, default
  /// 32 MiB) and the largest result body stored (CACHE_MAX_ENTRY_BYTES, default 1 MiB).
  std::size_t cache_max_bytes = 32u << 20;
  std::size_t cache_max_entry_bytes = 1u << 20;
};

/// The Neon client config. `endpoint_flag` (from --endpoint) wins over NEON_FETCH_ENDPOINT.
/// Errors (messages never quote the connection string): DATABASE_URL missing, or not a
/// postgres:// / postgresql:// URL.
[[nodiscard]] result<neon::client_config> database_config(const env_config& env,
                                                          const std::string& endpoint_flag);

/// Reads the configuration. Errors (messages never quote secrets): DATABASE_URL missing or not
/// a postgres URL; DATABASE_URL_READ set but not a postgres URL; AUTH_JWKS that is not a JWKS document; CACHE_MAX_BYTES or
/// CACHE_MAX_ENTRY_BYTES that is not a positive integer (bytes).
[[nodiscard]] result<host_config> load_host_config(const env_config& env,
                                                   const std::string& endpoint_flag);

}  // namespace edgefn::native
