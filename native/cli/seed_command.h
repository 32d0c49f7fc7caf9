#pragma once
// `edgefn seed [--reset] [--env NAME] [--endpoint URL]`: inserts the wardrobe seed data
// (src/migrate/seed.h) in one batch; re-running inserts nothing new; --reset truncates first.

#include "cli/app_cli.h"

namespace edgefn::cli {

/// argv[0] is "seed". Exit codes: 0 done, 1 database error, 2 usage or configuration error.
int run_seed_command(const native_app& app, int argc, char** argv);

}  // namespace edgefn::cli
