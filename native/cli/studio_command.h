#pragma once
// `<app> db studio [--port N] [--allow-writes] [--env NAME] [--endpoint URL]`: serves the studio
// (studio/studio_server.h) on 127.0.0.1 until SIGINT/SIGTERM and prints its URL, which carries
// the access token. Opens no browser. Default port 4983 (drizzle-kit studio's); 0 picks a free one.

#include "cli/app_cli.h"

namespace edgefn::cli {

/// argv[0] is "studio". Exit codes: 0 after a signal, 1 when the port cannot be bound or the
/// token cannot be made, 2 usage or configuration error.
int run_studio_command(const native_app& app, int argc, char** argv);

}  // namespace edgefn::cli
