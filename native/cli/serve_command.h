#pragma once

#include "cli/app_cli.h"

namespace edgefn::cli {

/// `edgefn serve [--port 8787] [--host 127.0.0.1] [--env NAME] [--endpoint URL]`: serves the
/// app over HTTP/1.1 until SIGINT/SIGTERM. Configuration: see config/app_config.h.
/// Exit codes: 0 after a signal, 1 bind failure, 2 usage or configuration error.
int run_serve_command(const native_app& app, int argc, char** argv);

}  // namespace edgefn::cli
