#pragma once
// `edgefn migrate [--env NAME] [--endpoint URL] [--dir DIR]`: applies the pending migrations
// (the embedded copy of migrations/, or the drizzle-kit folder DIR) to DATABASE_URL.

#include "cli/app_cli.h"

namespace edgefn::cli {

/// argv[0] is "migrate". Exit codes: 0 applied or nothing to do, 1 a migration or the
/// database failed, 2 usage or configuration error.
int run_migrate_command(const native_app& app, int argc, char** argv);

}  // namespace edgefn::cli
