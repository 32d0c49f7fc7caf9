#include "cli/studio_command.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli/options.h"
#include "http/server.h"
#include "studio/access.h"
#include "studio/studio_server.h"

namespace edgefn::cli {
namespace {

constexpr const char* k_usage =
    "usage: <app> db studio [--port 4983] [--allow-writes] [--env NAME] [--endpoint URL]\n"
    "       (--port 0 picks a free port; writes are refused when ENVIRONMENT=production\n"
    "        unless --allow-writes)\n";

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct studio_args {
  int port = 4983;
  bool allow_writes = false;
  std::string environment;
  std::string endpoint;
};

bool parse_args(int argc, char** argv, studio_args& out) {
  int first = 1;
  // --allow-writes takes no value: accept it anywhere, then the `--name value` pairs.
  std::vector<char*> rest{argv[0]};
  for (int i = first; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--allow-writes") out.allow_writes = true;
    else rest.push_back(argv[i]);
  }
  return parse_options(static_cast<int>(rest.size()), rest.data(), 1, [&out](std::string_view a, const std::string& v) {
    if (a == "--env") out.environment = v;
    else if (a == "--endpoint") out.endpoint = v;
    else if (a == "--port") {
      char* end = nullptr;
      const long p = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || !end || *end != '\0' || p < 0 || p > 65535) return false;
      out.port = static_cast<int>(p);
    } else return false;
    return true;
  });
}

}  // namespace

int run_studio_command(const native_app& app, int argc, char** argv) {
  studio_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  const auto env = native::env_config::load(".", args.environment);
  auto client = open_client("db studio", env, args.endpoint);
  if (!client) return 2;
  auto token = studio::new_token();
  if (!token) {
    std::fprintf(stderr, "edgefn db studio: the random number generator failed\n");
    return 1;
  }
  if (app.tables.empty())
    std::fprintf(stderr, "edgefn db studio: the app lists no tables (set native_app::tables to "
                         "all_tables::infos in its main.cpp); only the SQL console is useful\n");
  const bool production = env.environment() == "production";
  studio::studio_service service(
      studio::studio_config{std::string(app.name), app.tables, env.environment(),
                            !production || args.allow_writes, *token},
      std::move(*client));
  httpd::server_options options;
  options.host = "127.0.0.1";  // never another interface: the token is the only lock
  options.port = static_cast<std::uint16_t>(args.port);
  options.max_connections = 32;
  options.max_body_bytes = 1 << 20;
  httpd::server srv(options, [&service](const httpd::request& req, const httpd::client_link&) {
    return service.handle(req);
  });
  std::string error;
  if (!srv.listen(error)) {
    std::fprintf(stderr, "edgefn db studio: %s\n", error.c_str());
    return 1;
  }
  service.set_port(srv.port());
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  srv.start();
  if (production)
    std::fprintf(stderr, "edgefn db studio: ENVIRONMENT=production: %s\n",
                 args.allow_writes ? "writes allowed (--allow-writes)" : "read-only (pass --allow-writes to change data)");
  std::printf("edgefn db studio: %s on http://127.0.0.1:%u/?token=%s\n", std::string(app.name).c_str(), srv.port(),
              token->c_str());
  std::fflush(stdout);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  srv.stop();
  return 0;
}

}  // namespace edgefn::cli
