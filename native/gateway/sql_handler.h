#pragma once
// Neon's POST /sql semantics (spec §1-§6) on top of the HTTP server and the libpq pool.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/http_server.h"
#include "gateway/pg_pool.h"
#include "gateway/pg_to_json.h"

namespace edgefn::gateway {

class pg_watch;  // sql_handler.cpp

/// Where queries go and the size limits.
struct sql_config {
  std::string pg_host;  ///< overrides the connection string's host when non-empty
  std::string pg_port;  ///< overrides the connection string's port when non-empty
  std::size_t max_request_bytes = 10485760;
  std::size_t max_response_bytes = 10485760;
  bool log_requests = true;  ///< one line per request on stderr (never credentials)
};

/// Handles /sql requests. Thread-safe: one instance serves every connection.
class sql_handler {
 public:
  sql_handler(sql_config config, pg_pool& pool);
  ~sql_handler();
  sql_handler(const sql_handler&) = delete;
  sql_handler& operator=(const sql_handler&) = delete;

  /// Answers one HTTP request (any method and path).
  [[nodiscard]] http_response handle(const http_request& request, const client_link& client);

  /// The server's loop_handler: takes a single-query POST /sql when the pool has an idle
  /// connection for it (or the request is bad) and runs it on the loop with libpq's
  /// non-blocking API (async_query), so that it never changes thread; returns false (the
  /// request goes to handle() on a worker) for everything else: other paths, batches, and a
  /// request that must wait for a connection or open one. `services` must outlive the server.
  [[nodiscard]] bool handle_on_loop(const http_request& request, const client_link& client,
                                    const httpd::loop_services& services, httpd::responder done);

  /// The reply for a request rejected by the HTTP layer (413 too large, 431, 400 malformed, 501
  /// a transfer coding it does not implement, 503 busy); `message` names the fault ("" for none).
  [[nodiscard]] http_response reject(int status, std::string_view message = {}) const;

 private:
  http_response handle_sql(const http_request& request, const client_link& client);

 public:
  struct loop_watches;  ///< one loop's registered Postgres sockets (sql_handler.cpp)

 private:
  /// The calling loop's registrations (created on its first request). Loop thread only.
  std::shared_ptr<loop_watches> watches_for(const httpd::loop_services& services);
  /// Drops `conn`'s registration from every loop but `keep` (any thread).
  void forget_socket(PGconn* conn, const loop_watches* keep);
  /// `conn`'s socket registered with the loop of `watches` (registered now if it was not);
  /// null if that failed. Loop thread only.
  std::shared_ptr<pg_watch> watch_socket(loop_watches& watches, PGconn* conn);

  sql_config config_;
  pg_pool& pool_;
  type_registry types_;
  std::mutex watches_mu_;
  std::vector<std::shared_ptr<loop_watches>> watches_;  ///< every loop's
};

}  // namespace edgefn::gateway
