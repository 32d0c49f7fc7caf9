#include "cli/migrate_command.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"
#include "migrate/folder.h"
#include "migrate/runner.h"

namespace edgefn::cli {
namespace {

struct migrate_args {
  std::string environment;
  std::string endpoint;
  std::string dir;
};

constexpr const char* k_usage = "usage: edgefn migrate [--env NAME] [--endpoint URL] [--dir DIR]\n";

bool parse_args(int argc, char** argv, migrate_args& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    std::string* dst = a == "--env" ? &out.environment
                       : a == "--endpoint" ? &out.endpoint
                       : a == "--dir" ? &out.dir
                                      : nullptr;
    if (!dst || i + 1 >= argc) return false;
    *dst = argv[++i];
  }
  return true;
}

}  // namespace

int run_migrate_command(const native_app& app, int argc, char** argv) {
  migrate_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  auto source = native::choose_migrations(args.dir, app.migrations_dir, app.embedded_migrations);
  if (!source) {
    std::fprintf(stderr, "edgefn migrate: %s\n", source.error().message.c_str());
    return 2;
  }
  if (!source->note.empty()) std::fprintf(stderr, "edgefn migrate: %s\n", source->note.c_str());
  auto migrations = migrate::load_migrations(source->files);
  if (!migrations) {
    std::fprintf(stderr, "edgefn migrate: %s\n", migrations.error().message.c_str());
    return 2;
  }
  const auto env = native::env_config::load(".", args.environment);
  auto client = open_client("migrate", env, args.endpoint);
  if (!client) return 2;
  native::curl_transport transport;
  auto report = native::run_migrations(transport, *client, *migrations,
                                       [](const migrate::migration& m) {
                                         std::printf("applied %s\n", m.tag.c_str());
                                         std::fflush(stdout);
                                       },
                                       migrate::detect_layout(source->files));
  if (!report) {
    std::fprintf(stderr, "edgefn migrate: %s\n", report.error().message.c_str());
    return 1;
  }
  const char* plural = report->names_filled == 1 ? "" : "s";
  if (report->upgraded)
    std::printf("upgraded the migration table to drizzle 1.0's shape (%zu name%s back-filled)\n",
                report->names_filled, plural);
  else if (report->names_filled > 0)
    std::printf("named %zu row%s of the migration table that had no name\n", report->names_filled, plural);
  for (const auto& w : report->warnings) std::fprintf(stderr, "edgefn migrate: warning: %s\n", w.c_str());
  for (const auto& t : report->concurrent) std::printf("skipped %s (applied by a concurrent run)\n", t.c_str());
  if (report->applied.empty()) std::printf("nothing to do\n");
  else std::printf("%zu migration%s applied\n", report->applied.size(), report->applied.size() == 1 ? "" : "s");
  return 0;
}

}  // namespace edgefn::cli
