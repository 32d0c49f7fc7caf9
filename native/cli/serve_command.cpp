#include "cli/serve_command.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

#include "cli/options.h"
#include "server/api_server.h"

namespace edgefn::cli {
namespace {

constexpr const char* k_usage =
    "usage: edgefn serve [--port 8787] [--host 127.0.0.1] [--env NAME] [--endpoint URL]\n";

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct serve_args {
  std::string host = "127.0.0.1";
  int port = 8787;
  std::string environment;
  std::string endpoint;
};

bool parse_args(int argc, char** argv, serve_args& out) {
  return parse_options(argc, argv, 1, [&out](std::string_view a, const std::string& v) {
    if (a == "--host") out.host = v;
    else if (a == "--env") out.environment = v;
    else if (a == "--endpoint") out.endpoint = v;
    else if (a == "--port") {
      char* end = nullptr;
      const long p = std::strtol(v.c_str(), &end, 10);
      if (!end || *end != '\0' || p < 0 || p > 65535) return false;
      out.port = static_cast<int>(p);
    } else return false;
    return true;
  });
}

}  // namespace

int run_serve_command(const native_app& app, int argc, char** argv) {
  serve_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  auto h = create_host(*app.spec, "serve", args.environment, args.endpoint);
  if (!h) return 2;
  server::http_config http;
  http.host = args.host;
  http.port = static_cast<std::uint16_t>(args.port);
  // The core answers 413 over MAX_BODY_BYTES from a prefix one byte longer; reading stops at
  // 1 MiB or that, whichever is larger (past it the server answers the same 413 itself).
  http.max_body_bytes = std::max<std::size_t>(1 << 20, h->max_body_bytes() + 1);
  server::api_server srv(std::move(h), http);
  std::string error;
  if (!srv.listen(error)) {
    std::fprintf(stderr, "edgefn serve: %s\n", error.c_str());
    return 1;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  srv.start();
  std::fprintf(stderr, "edgefn serve: listening on http://%s:%u\n", args.host.c_str(), srv.port());
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  srv.stop();
  return 0;
}

}  // namespace edgefn::cli
