#include "cli/db_config.h"

namespace edgefn::cli {

result<neon::client_config> database_config(const native::env_config& env,
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

}  // namespace edgefn::cli
