#include "gateway/gateway_cli.h"

#include <cstdio>

namespace edgefn::gateway {

int run_cli(int, char**) {
  std::fprintf(stderr, "edgefn gateway: not implemented yet\n");
  return 1;
}

}  // namespace edgefn::gateway
