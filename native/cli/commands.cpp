#include "cli/app_cli.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "cli/db_command.h"
#include "cli/migrate_command.h"
#include "cli/new_command.h"
#include "cli/request_command.h"
#include "cli/seed_command.h"
#include "cli/serve_command.h"
#include "cli/sql_command.h"
#include "cli/token_command.h"
#include "gateway/gateway_cli.h"

namespace edgefn::cli {
namespace {

void app_usage(const native_app& app) {
  const std::string n(app.name);
  std::fprintf(stderr,
               "usage: %s <command> ...\n"
               "  serve [--port 8787] [--host H] [--env NAME] [--endpoint URL]  serve the %s API\n"
               "  request METHOD PATH [--body JSON] [--token T] [--header K:V]...  run one exchange\n"
               "  migrate [--env NAME] [--endpoint URL] [--dir DIR]            apply pending migrations\n"
               "  seed [--reset] [--env NAME] [--endpoint URL]                insert the seed data\n"
               "  db generate|check|push ...                                  schema workflow\n"
               "  token --sub ID [--ttl SECONDS]                             development HS256 token\n"
               "  sql \"<query>\" [--param V]... [--json] [--endpoint URL]   run one statement\n",
               n.c_str(), n.c_str());
}

void tool_usage() {
  std::fprintf(stderr,
               "usage: edgefn <command> ...\n"
               "  new DIR [--name NAME] [--edgefn-dir PATH]                 scaffold a project\n"
               "  gateway --listen HOST:PORT [--pg-host H] [--pg-port P]   local Neon /sql gateway\n"
               "  sql \"<query>\" [--param V]... [--json] [--endpoint URL]   run one statement\n"
               "  token --sub ID [--ttl SECONDS]                             development HS256 token\n"
               "An app's own binary (build/<preset>/apps/<name>/<name>) serves, migrates and seeds it.\n");
}

}  // namespace

int run_app_cli(const native_app& app, int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help") {
    app_usage(app);
    return argc < 2 ? 2 : 0;
  }
  const std::string_view command = argv[1];
  if (command == "serve") return run_serve_command(app, argc - 1, argv + 1);
  if (command == "request") return run_request_command(app, argc - 1, argv + 1);
  if (command == "migrate") return run_migrate_command(app, argc - 1, argv + 1);
  if (command == "seed") return run_seed_command(app, argc - 1, argv + 1);
  if (command == "db") return run_db_command(app, argc - 1, argv + 1);
  if (command == "sql") return run_sql_command(argc - 1, argv + 1);
  if (command == "token") return run_token_command(argc - 1, argv + 1);
  std::fprintf(stderr, "%s: unknown command '%s'\n", std::string(app.name).c_str(), argv[1]);
  return 2;
}

int run_tool_cli(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help") {
    tool_usage();
    return argc < 2 ? 2 : 0;
  }
  const std::string_view command = argv[1];
  if (command == "gateway") return gateway::run_cli(argc - 1, argv + 1);
  if (command == "sql") return run_sql_command(argc - 1, argv + 1);
  if (command == "token") return run_token_command(argc - 1, argv + 1);
  if (command == "new") return run_new_command(argc - 1, argv + 1);
  std::fprintf(stderr, "edgefn: unknown command '%s'\n", argv[1]);
  return 2;
}

}  // namespace edgefn::cli
