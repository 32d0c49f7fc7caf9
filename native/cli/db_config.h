#pragma once
// The database settings every CLI command shares: DATABASE_URL and NEON_FETCH_ENDPOINT from
// the environment / dotenv files (config/env_config.h), with command-line overrides.

#include <optional>
#include <string>

#include "base/result.h"
#include "config/env_config.h"
#include "neon/client.h"
#include "neon/request.h"

namespace edgefn::cli {

/// Builds the Neon client config. `endpoint_flag` (from --endpoint) wins over
/// NEON_FETCH_ENDPOINT. Errors (messages never quote the connection string): DATABASE_URL
/// missing, or not a postgres:// / postgresql:// URL.
[[nodiscard]] result<neon::client_config> database_config(const native::env_config& env,
                                                          const std::string& endpoint_flag);

/// database_config + neon::client::create for a CLI command: on failure prints
/// "edgefn <command>: <reason>" to stderr (never the connection string) and returns nullopt,
/// for which the command exits 2.
[[nodiscard]] std::optional<neon::client> open_client(const char* command,
                                                      const native::env_config& env,
                                                      const std::string& endpoint_flag);

}  // namespace edgefn::cli
