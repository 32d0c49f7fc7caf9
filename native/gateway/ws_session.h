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

/// One relay; used by one thread at a time.
class ws_session {
 public:
  /// `request` is the upgrade request; `on_end` runs when the session is destroyed (it frees
  /// the relay's connection slot).
  ws_session(const ws_config& config, const http_request& request, std::function<void()> on_end);
  ~ws_session();
  ws_session(const ws_session&) = delete;
  ws_session& operator=(const ws_session&) = delete;

  /// Connects to Postgres within config.connect_timeout; false with a message (no password:
  /// only the address and the system's reason) when it cannot.
  [[nodiscard]] bool connect(const relay_target& target, std::string& error);

  /// Answers the upgrade on client socket `fd` (not owned: the HTTP server closes it) and
  /// relays until the end. Returns at once when the client sent bytes before the upgrade was
  /// answered (RFC 6455 §4.1 forbids it). Blocks the calling thread for the relay's lifetime.
  void run(int fd, std::string_view pending);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::function<void()> on_end_;
};

}  // namespace edgefn::gateway
