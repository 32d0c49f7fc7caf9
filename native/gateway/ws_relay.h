#pragma once
// WebSockets as Neon serves them: the official driver's `Pool`/`Client` (and
// drizzle-orm/neon-serverless) speak the Postgres wire protocol inside binary WebSocket
// messages. The gateway accepts the upgrade on /v1 or /v2 (ws_target.h), connects to the local
// Postgres and relays bytes both ways until either side closes; Postgres itself authenticates
// the client (the driver runs SCRAM/MD5 through the relay), the gateway never sees a password.
//
// The upgrade (connecting to Postgres, which may block) runs on a worker thread; the relay then
// runs on the HTTP server's event loop that holds the connection (a read pending on each side,
// Boost.Beast for the WebSocket framing): no thread of its own. It ends when either side
// closes, errs, stops answering pings or stays silent for the idle timeout.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include "gateway/http_server.h"

namespace edgefn::gateway {

/// Where relays go and their limits.
struct ws_config {
  std::string pg_host;  ///< overrides the `address` parameter's host when non-empty
  std::string pg_port;  ///< overrides the `address` parameter's port when non-empty
  std::size_t max_connections = 128;  ///< concurrent relays; upgrades beyond it get 503
  /// No byte relayed either way for this long closes the relay (close code 1001).
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};
  /// A client that answers no ping for this long is gone (pings are sent after half of it).
  std::chrono::milliseconds ping_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};  ///< to Postgres
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};  ///< upgrade, close
  bool log_requests = true;  ///< one line per relay on stderr (never traffic or credentials)
};

/// Serves the WebSocket paths. Thread-safe; must outlive the HTTP server that calls it.
class ws_relay {
 public:
  explicit ws_relay(ws_config config) : config_(std::move(config)) {}

  /// Answers a request whose target is_ws_path(): a JSON error (400 not an upgrade or a bad
  /// `address`, 503 at the connection cap or when Postgres cannot be reached) or a response
  /// that takes the connection over: it completes the upgrade and relays until the end.
  [[nodiscard]] http_response handle(const http_request& request);

  /// Relays open now (for tests and logs).
  [[nodiscard]] std::size_t active() const { return active_.load(); }

 private:
  ws_config config_;
  std::atomic<std::size_t> active_{0};
};

}  // namespace edgefn::gateway
