// The catalog app's native binary: serve, request, migrate, seed, db, token, sql.
#include "catalog/app.h"
#include "catalog/schema.h"
#include "catalog/seed.h"
#include "cli/app_cli.h"
#include "migrate/embedded.h"

int main(int argc, char** argv) {
  using namespace edgefn;
  const cli::native_app app{
      .name = EDGEFN_APP_NAME,
      .spec = &catalog::app(),
      .schema = &catalog::schema,
      .tables = catalog::all_tables::infos,
      .seed = &catalog::seed_batch,
      .embedded_migrations = migrate::embedded_files(),
      .migrations_dir = EDGEFN_APP_MIGRATIONS_DIR,
  };
  return cli::run_app_cli(app, argc, argv);
}
