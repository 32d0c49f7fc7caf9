#include "cli/db_command.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "cli/options.h"
#include "migrate/db_tools.h"
#include "migrate/folder.h"

namespace edgefn::cli {
namespace {

struct db_args {
  std::string sub;
  std::string name;
  std::string dir;
  std::string environment;
  std::string endpoint;
};

constexpr const char* k_usage =
    "usage: edgefn db generate --name NAME [--dir DIR]\n"
    "       edgefn db check [--env NAME] [--endpoint URL] [--dir DIR]\n"
    "       edgefn db push [--env NAME] [--endpoint URL]\n";

bool parse_args(int argc, char** argv, db_args& out) {
  if (argc < 2) return false;
  out.sub = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    std::string* dst = a == "--name" ? &out.name
                       : a == "--dir" ? &out.dir
                       : a == "--env" ? &out.environment
                       : a == "--endpoint" ? &out.endpoint
                                       : nullptr;
    if (!dst || i + 1 >= argc) return false;
    *dst = argv[++i];
  }
  if (out.sub == "generate") return !out.name.empty();
  return out.sub == "check" || out.sub == "push";
}

int generate(const native_app& app, const db_args& args) {
  const std::string dir = !args.dir.empty() ? args.dir
                          : !app.migrations_dir.empty() ? std::string(app.migrations_dir)
                                                        : std::string("migrations");
  auto g = native::generate_to_folder(dir, app.schema(), args.name, native::now_millis(),
                                      native::random_uuid());
  if (!g) {
    std::fprintf(stderr, "edgefn db generate: %s\n", g.error().message.c_str());
    return 1;
  }
  if (!*g) {
    std::printf("No schema changes, nothing to migrate\n");
    return 0;
  }
  std::printf("wrote %s/%s, %s/%s and %s/meta/_journal.json\n", dir.c_str(), (*g)->sql_name.c_str(),
              dir.c_str(), (*g)->snapshot_name.c_str(), dir.c_str());
  return 0;
}


int check(const native_app& app, const db_args& args, native::curl_transport& transport, neon::client& client) {
  auto source = native::choose_migrations(args.dir, app.migrations_dir, app.embedded_migrations);
  if (!source) {
    std::fprintf(stderr, "edgefn db check: %s\n", source.error().message.c_str());
    return 2;
  }
  if (!source->note.empty()) std::fprintf(stderr, "edgefn db check: %s\n", source->note.c_str());
  const auto& files = source->files;
  auto report = native::check_database(transport, client, app.schema(), files);
  if (!report) {
    std::fprintf(stderr, "edgefn db check: %s\n", report.error().message.c_str());
    return 1;
  }
  for (const auto& w : report->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (report->drift.empty()) {
    std::printf("no drift: the database matches the schema and the migration history\n");
    return 0;
  }
  for (const auto& d : report->drift) std::printf("drift: %s\n", d.c_str());
  std::printf("%zu difference%s found\n", report->drift.size(), report->drift.size() == 1 ? "" : "s");
  return 1;
}

int push(const native_app& app, native::curl_transport& transport, neon::client& client) {
  auto r = native::push_schema(transport, client, app.schema());
  if (!r) {
    std::fprintf(stderr, "edgefn db push: %s\n", r.error().message.c_str());
    return 1;
  }
  if (r->empty()) std::printf("nothing to push: the database matches the schema\n");
  for (const auto& s : *r) std::printf("%s\n", s.c_str());
  return 0;
}

}  // namespace

int run_db_command(const native_app& app, int argc, char** argv) {
  db_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  if (args.sub == "generate") return generate(app, args);
  const auto env = native::env_config::load(".", args.environment);
  if (args.sub == "push" && env.environment() == "production") {
    std::fprintf(stderr, "edgefn db push: refused in production; generate a migration and run "
                         "`edgefn migrate` instead\n");
    return 2;
  }
  auto client = open_client(("db " + args.sub).c_str(), env, args.endpoint);
  if (!client) return 2;
  native::curl_transport transport;
  return args.sub == "check" ? check(app, args, transport, *client) : push(app, transport, *client);
}

}  // namespace edgefn::cli
