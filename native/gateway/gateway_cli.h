#pragma once

namespace edgefn::gateway {

/// `edgefn gateway --listen HOST:PORT [--pg-host H] [--pg-port P] ...`: runs the local
/// Neon-compatible /sql gateway until SIGINT/SIGTERM. argv[0] is "gateway". Returns the exit
/// code.
int run_cli(int argc, char** argv);

}  // namespace edgefn::gateway
