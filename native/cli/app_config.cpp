#include "cli/app_config.h"

#include <cstdio>
#include <utility>

#include "config/env_config.h"

namespace edgefn::cli {

bool parse_options(int argc, char** argv, int first, const option_visitor& visit) {
  for (int i = first; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) return false;
    if (!visit(name, std::string(argv[++i]))) return false;
  }
  return true;
}

std::unique_ptr<host::host> create_host(const char* command, const std::string& environment,
                                        const std::string& endpoint) {
  const auto env = native::env_config::load(".", environment);
  auto cfg = host::load_host_config(env, endpoint);
  if (!cfg) {
    std::fprintf(stderr, "edgefn %s: %s\n", command, cfg.error().message.c_str());
    return nullptr;
  }
  auto h = host::host::create(std::move(*cfg));
  if (!h) {
    std::fprintf(stderr, "edgefn %s: %s\n", command, h.error().message.c_str());
    return nullptr;
  }
  return std::move(*h);
}

}  // namespace edgefn::cli
