#include "cli/commands.h"

#include <cstdio>
#include <string_view>

#include "gateway/gateway_cli.h"

namespace edgefn::cli {

int run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: edgefn <sql|gateway> ...\n");
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "gateway") return gateway::run_cli(argc - 1, argv + 1);
  std::fprintf(stderr, "edgefn: unknown command '%s'\n", argv[1]);
  return 2;
}

}  // namespace edgefn::cli
