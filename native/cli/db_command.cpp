#include "cli/db_command.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"
#include "cli/studio_command.h"
#include "migrate/backup.h"
#include "migrate/db_tools.h"
#include "migrate/folder.h"
#include "migrate/pull.h"

namespace edgefn::cli {
namespace {

struct db_args {
  std::string sub;
  std::string name;
  std::string dir;
  std::string environment;
  std::string endpoint;
  std::string out_dir;  ///< export: the backups folder
  std::string file;     ///< import: the file to restore; pull: the header to write
  std::string ns;       ///< pull: the header's namespace
  std::string layout;   ///< generate: "journal" (drizzle-kit 0.x) or "folders" (1.0) for a new folder
  bool force = false;   ///< import: allowed in production
  std::vector<migrate::rename_hint> renames;  ///< generate: --rename (repeatable)
  std::string bad;      ///< a malformed flag, said in one line (then nothing runs)
};

constexpr const char* k_usage =
    "usage: edgefn db generate --name NAME [--dir DIR] [--layout journal|folders]\n"
    "                      [--rename TABLE.OLD_COLUMN=NEW_COLUMN] [--rename OLD_TABLE=NEW_TABLE]\n"
    "                      (the folder's layout; --layout for a folder without migrations;\n"
    "                      --rename, repeatable: a rename instead of drop + add)\n"
    "       edgefn db check [--env NAME] [--endpoint URL] [--dir DIR]\n"
    "       edgefn db push [--env NAME] [--endpoint URL]\n"
    "       edgefn db export [--env NAME] [--out DIR]      (pg_dump into DIR, default db/backups)\n"
    "       edgefn db import FILE [--env NAME] [--force]   (psql; --force needed in production)\n"
    "       edgefn db pull [--env NAME] [--out FILE] [--namespace NS]  (C++ schema of the database,\n"
    "                      default db/pulled_schema.h, namespace pulled)\n"
    "       edgefn db studio [--port 4983] [--allow-writes] [--env NAME] [--endpoint URL]\n"
    "                      (a local web UI over the app's tables; prints its URL)\n";

bool parse_args(int argc, char** argv, db_args& out) {
  if (argc < 2) return false;
  out.sub = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--force") { out.force = true; continue; }
    if (a == "--rename" && out.sub == "generate") {
      if (i + 1 >= argc) {
        if (out.bad.empty()) out.bad = "--rename needs a value: TABLE.OLD_COLUMN=NEW_COLUMN or OLD_TABLE=NEW_TABLE";
        return false;
      }
      auto hint = migrate::parse_rename(argv[++i]);
      if (hint) out.renames.push_back(std::move(*hint));
      else if (out.bad.empty()) out.bad = hint.error().message;
      continue;
    }
    if (!a.starts_with("--") && out.sub == "import" && out.file.empty()) { out.file = argv[i]; continue; }
    std::string* dst = a == "--name" ? &out.name
                       : a == "--dir" ? &out.dir
                       : a == "--env" ? &out.environment
                       : a == "--endpoint" ? &out.endpoint
                       : a == "--out" ? (out.sub == "pull" ? &out.file : &out.out_dir)
                       : a == "--namespace" ? &out.ns
                       : a == "--layout" ? &out.layout
                                       : nullptr;
    if (!dst || i + 1 >= argc) return false;
    *dst = argv[++i];
  }
  if (out.sub == "generate")
    return !out.name.empty() && (out.layout.empty() || out.layout == "journal" || out.layout == "folders");
  if (out.sub == "import") return !out.file.empty();
  return out.sub == "check" || out.sub == "push" || out.sub == "export" || out.sub == "pull";
}

int generate(const native_app& app, const db_args& args) {
  const std::string dir = !args.dir.empty() ? args.dir
                          : !app.migrations_dir.empty() ? std::string(app.migrations_dir)
                                                        : std::string("migrations");
  auto g = native::generate_to_folder(dir, app.schema(), args.name, native::now_millis(), native::random_uuid(),
                                      args.layout == "folders" ? migrate::layout::folders : migrate::layout::journal,
                                      args.renames);
  if (!g) {
    std::fprintf(stderr, "edgefn db generate: %s\n", g.error().message.c_str());
    return 1;
  }
  if (!*g) {
    std::printf("No schema changes, nothing to migrate\n");
    return 0;
  }
  const std::string journal = (*g)->journal.empty() ? "" : " and " + dir + "/meta/_journal.json";
  std::printf("wrote %s/%s, %s/%s%s\n", dir.c_str(), (*g)->sql_name.c_str(), dir.c_str(),
              (*g)->snapshot_name.c_str(), journal.c_str());
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

int export_db(const db_args& args, const native::env_config& env, const neon::client& client) {
  const std::string name = env.environment().empty() ? "development" : env.environment();
  auto file = native::export_database(client.connection(), args.out_dir.empty() ? "db/backups" : args.out_dir, name);
  if (!file) {
    std::fprintf(stderr, "edgefn db export: %s\n", file.error().message.c_str());
    return 1;
  }
  std::printf("exported the %s database to %s\n", name.c_str(), file->c_str());
  return 0;
}

int import_db(const db_args& args, const native::env_config& env, const neon::client& client) {
  if (env.environment() == "production" && !args.force) {
    std::fprintf(stderr, "edgefn db import: refused in production (it overwrites the tables in the file); "
                         "pass --force to restore anyway\n");
    return 2;
  }
  if (auto st = native::import_database(client.connection(), args.file); !st) {
    std::fprintf(stderr, "edgefn db import: %s\n", st.error().message.c_str());
    return 1;
  }
  std::printf("imported %s\n", args.file.c_str());
  return 0;
}

int pull(const db_args& args, native::curl_transport& transport, neon::client& client) {
  auto live = native::read_live_schema(transport, client);
  if (!live) {
    std::fprintf(stderr, "edgefn db pull: %s\n", live.error().message.c_str());
    return 1;
  }
  auto header = migrate::pull_header(*live, args.ns.empty() ? "pulled" : args.ns);
  if (!header) {
    std::fprintf(stderr, "edgefn db pull: %s\n", header.error().message.c_str());
    return 2;
  }
  const std::string out = args.file.empty() ? "db/pulled_schema.h" : args.file;
  if (auto st = native::write_text_file(out, header->header); !st) {
    std::fprintf(stderr, "edgefn db pull: %s\n", st.error().message.c_str());
    return 1;
  }
  for (const auto& n : header->notes) std::fprintf(stderr, "note: %s\n", n.c_str());
  std::printf("wrote %s: %zu table%s, %zu enum%s\n", out.c_str(), live->tables.size(),
              live->tables.size() == 1 ? "" : "s", live->enums.size(), live->enums.size() == 1 ? "" : "s");
  return 0;
}

}  // namespace

int run_db_command(const native_app& app, int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "studio") return run_studio_command(app, argc - 1, argv + 1);
  db_args args;
  const bool parsed = parse_args(argc, argv, args);
  if (!args.bad.empty()) {  // one line saying what is wrong rather than the whole usage
    std::fprintf(stderr, "edgefn db %s: %s\n", args.sub.c_str(), args.bad.c_str());
    return 2;
  }
  if (!parsed) {
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
  if (args.sub == "export") return export_db(args, env, *client);
  if (args.sub == "import") return import_db(args, env, *client);
  native::curl_transport transport;
  if (args.sub == "pull") return pull(args, transport, *client);
  return args.sub == "check" ? check(app, args, transport, *client) : push(app, transport, *client);
}

}  // namespace edgefn::cli
