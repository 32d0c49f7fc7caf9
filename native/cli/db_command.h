#pragma once
// `edgefn db generate|check|push`: drizzle-kit's schema workflow for the C++ schema
// (src/wardrobe/schema.h).
//   db generate --name NAME [--dir DIR] [--layout journal|folders]  next migration from the
//                                                       schema diff (drizzle-kit 0.x or 1.0 layout)
//   db check [--env NAME] [--endpoint URL] [--dir DIR]  drift between database, schema, history
//   db push [--env NAME] [--endpoint URL]               apply the diff directly (not production)

#include "cli/app_cli.h"

namespace edgefn::cli {

/// argv[0] is "db". Exit codes: 0 ok / no drift, 1 drift found or a database failure,
/// 2 usage or configuration error (and push refused in production).
int run_db_command(const native_app& app, int argc, char** argv);

}  // namespace edgefn::cli
