#include "cli/commands.h"

#include <cstdio>
#include <string_view>

#include "cli/db_command.h"
#include "cli/migrate_command.h"
#include "cli/request_command.h"
#include "cli/seed_command.h"
#include "cli/serve_command.h"
#include "cli/sql_command.h"
#include "cli/token_command.h"
#include "gateway/gateway_cli.h"

namespace edgefn::cli {

int run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: edgefn <command> ...\n"
                 "  sql \"<query>\" [--param V]... [--json] [--endpoint URL]   run one statement\n"
                 "  migrate [--env NAME] [--endpoint URL] [--dir DIR]            apply pending migrations\n"
                 "  seed [--reset] [--env NAME] [--endpoint URL]                insert wardrobe seed data\n"
                 "  db generate|check|push ...                                  schema workflow (edgefn db)\n"
                 "  serve [--port 8787] [--host H] [--env NAME] [--endpoint URL]  serve the wardrobe API\n"
                 "  request METHOD PATH [--body JSON] [--token T] [--header K:V]...  run one exchange\n"
                 "  token --sub ID [--ttl SECONDS]                             development HS256 token\n"
                 "  gateway --listen HOST:PORT [--pg-host H] [--pg-port P]   local Neon /sql gateway\n");
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "gateway") return gateway::run_cli(argc - 1, argv + 1);
  if (command == "sql") return run_sql_command(argc - 1, argv + 1);
  if (command == "migrate") return run_migrate_command(argc - 1, argv + 1);
  if (command == "seed") return run_seed_command(argc - 1, argv + 1);
  if (command == "serve") return run_serve_command(argc - 1, argv + 1);
  if (command == "request") return run_request_command(argc - 1, argv + 1);
  if (command == "token") return run_token_command(argc - 1, argv + 1);
  if (command == "db") return run_db_command(argc - 1, argv + 1);
  std::fprintf(stderr, "edgefn: unknown command '%s'\n", argv[1]);
  return 2;
}

}  // namespace edgefn::cli
