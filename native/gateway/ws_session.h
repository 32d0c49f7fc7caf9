#pragma once
// One WebSocket ⇄ Postgres relay (see ws_relay.h): connects to Postgres before the upgrade is
// answered (so an unreachable database is an HTTP error, not a socket closed at once), then
// completes the upgrade on the taken-over client socket and relays until either side ends.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/http_server.h"
#include "gateway/ws_relay.h"
#include "gateway/ws_target.h"

namespace edgefn::gateway {

/// True when `request` asks for a WebSocket upgrade (GET, Connection: upgrade, Upgrade:
/// websocket, HTTP/1.1); the key and version are checked when the upgrade is answered.
[[nodiscard]] bool is_websocket_upgrade(const http_request& request);

/// One relay: connect() on a worker thread, then start() on the HTTP server's loop, where it
/// runs (asynchronously, no thread of its own) until either side ends.
class ws_session {
 public:
  /// `request` is the upgrade request; `on_end` runs when the relay is over (it frees the
  /// relay's connection slot): when this object goes without start(), or when the started
  /// relay has ended.
  ws_session(const ws_config& config, const http_request& request, std::function<void()> on_end);
  ~ws_session();
  ws_session(const ws_session&) = delete;
  ws_session& operator=(const ws_session&) = delete;

  /// Connects to Postgres within config.connect_timeout; false with a message (no password:
  /// only the address and the system's reason) when it cannot.
  [[nodiscard]] bool connect(const relay_target& target, std::string& error);

  /// On the connection's loop thread (httpd::response::take_over): answers the upgrade on the
  /// taken socket and relays on that loop until the end, without blocking. Closes the socket
  /// at once when the client sent bytes before the upgrade was answered (RFC 6455 §4.1
  /// forbids it). Call once, after a successful connect().
  void start(httpd::taken_connection taken);

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace edgefn::gateway
