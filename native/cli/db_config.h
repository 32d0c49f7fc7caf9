#pragma once
// The database settings every CLI command shares: DATABASE_URL and NEON_FETCH_ENDPOINT from
// the environment / dotenv files (config/env_config.h), with command-line overrides.

#include <string>

#include "base/result.h"
#include "config/env_config.h"
#include "neon/request.h"

namespace edgefn::cli {

/// Builds the Neon client config. `endpoint_flag` (from --endpoint) wins over
/// NEON_FETCH_ENDPOINT. Errors (messages never quote the connection string): DATABASE_URL
/// missing, or not a postgres:// / postgresql:// URL.
[[nodiscard]] result<neon::client_config> database_config(const native::env_config& env,
                                                          const std::string& endpoint_flag);

}  // namespace edgefn::cli
