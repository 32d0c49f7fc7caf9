// The wardrobe app's native binary: serve, request, migrate, seed, db, token, sql.
#include "cli/app_cli.h"
#include "migrate/embedded.h"
#include "wardrobe/app.h"
#include "wardrobe/schema.h"
#include "wardrobe/seed.h"

int main(int argc, char** argv) {
  using namespace edgefn;
  const cli::native_app app{
      .name = EDGEFN_APP_NAME,
      .spec = &wardrobe::app(),
      .schema = &wardrobe::schema,
      .tables = wardrobe::all_tables::infos,
      .seed = &wardrobe::seed_batch,
      .embedded_migrations = migrate::embedded_files(),
      .migrations_dir = EDGEFN_APP_MIGRATIONS_DIR,
  };
  return cli::run_app_cli(app, argc, argv);
}
