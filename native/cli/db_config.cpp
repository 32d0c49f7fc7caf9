#include "cli/db_config.h"

#include <cstdio>

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

std::optional<neon::client> open_client(const char* command, const native::env_config& env,
                                       const std::string& endpoint_flag) {
  auto cfg = database_config(env, endpoint_flag);
  if (!cfg) {
    std::fprintf(stderr, "edgefn %s: %s\n", command, cfg.error().message.c_str());
    return std::nullopt;
  }
  auto client = neon::client::create(*cfg);
  if (!client) {
    std::fprintf(stderr, "edgefn %s: %s\n", command, client.error().message.c_str());
    return std::nullopt;
  }
  return std::move(*client);
}

}  // namespace edgefn::cli
