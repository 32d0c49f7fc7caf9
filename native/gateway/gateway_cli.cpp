#include "gateway/gateway_cli.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>

#include "gateway/http_server.h"
#include "gateway/pg_pool.h"
#include "gateway/sql_handler.h"
#include "gateway/ws_relay.h"
#include "gateway/ws_target.h"

namespace edgefn::gateway {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_signal(int) { g_stop = 1; }

struct cli_options {
  /// /sql requests run on worker threads with blocking libpq, not on the event loops.
  bool sql_on_workers = false;
  http_config http;
  sql_config sql;
  pool_config pool;
  ws_config ws;
};

void usage() {
  std::fprintf(stderr,
               "usage: edgefn gateway --listen HOST:PORT [--pg-host H] [--pg-port P]\n"
               "       [--max-connections N] [--pool-size N] [--loops N] [--read-timeout-ms MS]\n"
               "       [--idle-timeout-ms MS] [--pool-idle-timeout-s S]\n"
               "       [--pool-max-open N] [--pool-wait-ms MS]\n"
               "       [--ws-max-connections N] [--ws-idle-timeout-s S] [--quiet]\n"
               "       [--sql-on-workers]\n"
               "       [--tls-cert CERT.pem --tls-key KEY.pem]\n"
               "serves POST /sql and, on /v1 and /v2, the WebSockets of the Neon driver's\n"
               "Pool/Client (to --pg-host/--pg-port, else to the local `address` parameter);\n"
               "HTTP/1.1 and HTTP/2 (h2c; with a certificate, TLS only: h2 or HTTP/1.1 by ALPN);\n"
               "--loops: event loop threads (default: one per core); --sql-on-workers: /sql runs\n"
               "on worker threads with blocking libpq instead of on the loops (for comparison)\n");
}

bool parse_number(const char* text, unsigned long long& out) {
  char* end = nullptr;
  out = std::strtoull(text, &end, 10);
  return end != text && *end == '\0';
}

bool parse_listen(std::string_view v, http_config& http) {
  const auto colon = v.rfind(':');
  unsigned long long port = 0;
  if (colon == std::string_view::npos) return false;
  const std::string port_text(v.substr(colon + 1));
  if (!parse_number(port_text.c_str(), port) || port > 65535) return false;
  http.host = std::string(v.substr(0, colon));
  if (http.host == "localhost") http.host = "127.0.0.1";
  http.port = static_cast<std::uint16_t>(port);
  return true;
}

/// Applies one `--flag value` pair; false when unknown or malformed.
bool apply_flag(std::string_view flag, const char* value, cli_options& o) {
  unsigned long long n = 0;
  const bool numeric = parse_number(value, n);
  if (flag == "--listen") return parse_listen(value, o.http);
  if (flag == "--pg-host") { o.sql.pg_host = value; return true; }
  if (flag == "--pg-port") { o.sql.pg_port = value; return numeric; }
  if (flag == "--tls-cert") { o.http.tls_cert_file = value; return true; }
  if (flag == "--tls-key") { o.http.tls_key_file = value; return true; }
  if (!numeric) return false;
  if (flag == "--max-connections") o.http.max_connections = n;
  else if (flag == "--pool-size") o.pool.max_idle_per_key = n;
  else if (flag == "--loops") o.http.loops = n;
  else if (flag == "--read-timeout-ms") o.http.read_timeout = std::chrono::milliseconds(n);
  else if (flag == "--idle-timeout-ms") o.http.idle_timeout = std::chrono::milliseconds(n);
  else if (flag == "--pool-idle-timeout-s") o.pool.idle_timeout = std::chrono::seconds(n);
  else if (flag == "--pool-max-open") o.pool.max_connections_per_key = n;
  else if (flag == "--pool-wait-ms") o.pool.acquire_timeout = std::chrono::milliseconds(n);
  else if (flag == "--ws-max-connections") o.ws.max_connections = n;
  else if (flag == "--ws-idle-timeout-s") o.ws.idle_timeout = std::chrono::seconds(n);
  else return false;
  return true;
}

bool parse_args(int argc, char** argv, cli_options& o) {
  bool have_listen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--quiet") {
      o.sql.log_requests = false;
      o.ws.log_requests = false;
      continue;
    }
    if (flag == "--sql-on-workers") {
      o.sql_on_workers = true;
      continue;
    }
    if (i + 1 >= argc || !apply_flag(flag, argv[i + 1], o)) {
      std::fprintf(stderr, "edgefn gateway: bad or unknown option '%s'\n", argv[i]);
      return false;
    }
    have_listen = have_listen || flag == "--listen";
    ++i;
  }
  if (o.http.tls_cert_file.empty() != o.http.tls_key_file.empty()) {
    std::fprintf(stderr, "edgefn gateway: --tls-cert and --tls-key go together\n");
    return false;
  }
  return have_listen;
}

}  // namespace

int run_cli(int argc, char** argv) {
  cli_options o;
  if (!parse_args(argc, argv, o)) {
    usage();
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  o.ws.pg_host = o.sql.pg_host;
  o.ws.pg_port = o.sql.pg_port;
  pg_pool pool(o.pool);
  sql_handler handler(o.sql, pool);
  ws_relay relay(o.ws);
  http_server server(o.http, [&](const http_request& req, const client_link& client) {
    if (is_ws_path(req.target)) return relay.handle(req);
    return handler.handle(req, client);
  });
  server.set_error_responder(
      [&handler](int status, std::string_view message, std::string_view) { return handler.reject(status, message); });
  if (!o.sql_on_workers) {
    server.set_loop_handler([&handler](const http_request& req, const client_link& client,
                                       const httpd::loop_services& services,
                                       httpd::responder done) {
      return !is_ws_path(req.target) && handler.handle_on_loop(req, client, services, std::move(done));
    });
  }
  std::string error;
  if (!server.listen(error)) {
    std::fprintf(stderr, "edgefn gateway: cannot serve on %s:%u: %s\n", o.http.host.c_str(),
                 o.http.port, error.c_str());
    return 1;
  }
  std::fprintf(stderr, "edgefn gateway listening on %s://%s:%u/sql\n",
               o.http.tls_cert_file.empty() ? "http" : "https", o.http.host.c_str(), server.port());
  server.start();
  while (g_stop == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::fprintf(stderr, "edgefn gateway: stopping\n");
  std::fflush(stderr);
  std::_Exit(0);
}

}  // namespace edgefn::gateway
