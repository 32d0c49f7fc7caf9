// The {{name}} native binary: serve, request, migrate, seed, db generate|check|push, token, sql.
#include "cli/app_cli.h"
#include "migrate/embedded.h"
#include "src/app.h"
#include "src/schema.h"
#include "src/seed.h"

int main(int argc, char** argv) {
  const edgefn::cli::native_app app{
      .name = EDGEFN_APP_NAME,
      .spec = &{{name}}::app(),
      .schema = &{{name}}::schema,
      .tables = {{name}}::all_tables::infos,
      .seed = &{{name}}::seed_batch,
      .embedded_migrations = edgefn::migrate::embedded_files(),
      .migrations_dir = EDGEFN_APP_MIGRATIONS_DIR,
  };
  return edgefn::cli::run_app_cli(app, argc, argv);
}
