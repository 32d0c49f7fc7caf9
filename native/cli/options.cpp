#include "cli/options.h"

#include <cstdio>
#include <utility>

namespace edgefn::cli {

bool parse_options(int argc, char** argv, int first, const option_visitor& visit) {
  for (int i = first; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) return false;
    if (!visit(name, std::string(argv[++i]))) return false;
  }
  return true;
}

std::unique_ptr<host::host> create_host(const api::app_spec& app, const char* command,
                                        const std::string& environment, const std::string& endpoint) {
  const auto env = native::env_config::load(".", environment);
  auto cfg = native::load_host_config(env, endpoint);
  if (!cfg) {
    std::fprintf(stderr, "edgefn %s: %s\n", command, cfg.error().message.c_str());
    return nullptr;
  }
  auto h = host::host::create(app, std::move(*cfg));
  if (!h) {
    std::fprintf(stderr, "edgefn %s: %s\n", command, h.error().message.c_str());
    return nullptr;
  }
  return std::move(*h);
}

std::optional<neon::client> open_client(const char* command, const native::env_config& env,
                                       const std::string& endpoint_flag) {
  auto cfg = native::database_config(env, endpoint_flag);
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
