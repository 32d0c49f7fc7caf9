#pragma once
// The command lines: an app's binary (`build/<preset>/apps/<name>/<name>`: serve, request,
// migrate, seed, db, token, sql) and the app-independent `edgefn` tool (gateway, sql, token,
// new). An app's main() is one line: `return edgefn::cli::run_app_cli(app, argc, argv);`.

#include <span>
#include <string_view>
#include <vector>

#include "api/route.h"
#include "db/model.h"
#include "migrate/migration.h"
#include "neon/request.h"

namespace edgefn::cli {

/// What the CLI needs of an app. Everything has static storage.
struct native_app {
  std::string_view name;  ///< "wardrobe"
  const api::app_spec* spec = nullptr;
  /// The schema model of the app's C++ tables (db generate/check/push).
  db::schema_model (*schema)() = nullptr;
  /// The runtime descriptions of the app's tables (`db studio`): `<app>::all_tables::infos`.
  std::span<const db::table_info> tables{};
  /// The seed batch (one transaction); `reset` empties the app's tables first. Its statements'
  /// row counts are summed for the report.
  std::vector<neon::query> (*seed)(bool reset) = nullptr;
  /// The migrations compiled into the binary (from the app's migrations/ folder at build time).
  std::span<const migrate::source_file> embedded_migrations{};
  /// The app's migrations folder in its source tree: when it exists, migrate and db check read
  /// it (the files on disk win over the embedded copy, with a one-line note when they differ).
  std::string_view migrations_dir{};
};

/// Runs an app's command line. Exit codes: those of each command; 2 for usage errors.
[[nodiscard]] int run_app_cli(const native_app& app, int argc, char** argv);

/// Runs the `edgefn` tool's command line (gateway, sql, token, new, --help).
[[nodiscard]] int run_tool_cli(int argc, char** argv);

}  // namespace edgefn::cli
