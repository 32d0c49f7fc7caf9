#include "cli/commands.h"

#include <cstdio>
#include <string_view>

namespace edgefn::cli {

int run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: edgefn <sql|gateway> ...\n");
    return 2;
  }
  std::fprintf(stderr, "edgefn: unknown command '%s'\n", argv[1]);
  return 2;
}

}  // namespace edgefn::cli
