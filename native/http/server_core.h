#pragma once
// The server's internals shared by its parts (server.cpp: listening, accepting, stopping;
// connection.cpp: one client connection on the loop). Not for use outside native/http.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/server.h"
#include "http/worker_pool.h"

namespace edgefn::httpd::detail {

/// What a client_link watches; shared by the connection (loop thread) and the handler.
struct link_state {
  int fd = -1;
  /// An interim `100 Continue` may be sent (HTTP/1.1 request not yet answered).
  bool can_probe = false;
  /// A closed read side ends the client (HTTP/2: there is no half-close of a connection).
  bool fin_means_gone = false;
  std::atomic<bool> fin_seen{false};
  std::atomic<bool> gone{false};  ///< set by the loop (HTTP/2 stream reset, connection lost)
  std::function<void()> probe;    ///< asks the loop to send the interim response
  /// Loop thread: called when the connection's read side ends or fails while the request is
  /// at a loop_handler (which then asks gone()).
  std::function<void()> on_peer_event;
};

/// A live connection, as the server sees it when stopping.
class connection_base {
 public:
  virtual ~connection_base() = default;
  /// From any thread: asks the connection's loop to close it unless a request is in flight
  /// (that one closes after its reply).
  virtual void post_stop_when_idle() = 0;
};

struct server_core;

/// One event loop thread. A connection lives on one loop for its whole life (its socket,
/// timers and requests at a loop_handler); loops share the worker pool.
struct event_loop {
  explicit event_loop(server_core& core);
  ~event_loop();  ///< runs the at_exit hooks, then destroys io
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;
  boost::asio::io_context io{1};
  loop_services services;
  std::vector<std::function<void()>> exit_hooks;  ///< services.at_exit's, loop thread only
};

/// Everything the server's parts share (thread-safe, or set before the loops run, or marked).
struct server_core : std::enable_shared_from_this<server_core> {
  server_core(server_options o, handler h);

  // Declared before the loops: destroying a loop destroys the connections it still holds,
  // and they unregister from `open`.
  server_options options;
  handler on_request;
  error_responder error_response;
  loop_handler on_loop;
  std::mutex open_mu;
  std::unordered_set<connection_base*> open;       ///< guarded by open_mu
  std::atomic<bool> stopping{false};
  std::size_t max_open = 0;                         ///< the effective connection cap
  std::atomic<std::size_t> admitted{0};  ///< connections accepted and not yet closed
  std::uint16_t bound_port = 0;                     ///< set by listen()
  std::atomic<std::size_t> buffered{0};  ///< request bytes held by connections
  std::atomic<bool> stop_requested{false};
  std::atomic<std::size_t> in_flight{0};  ///< requests at a worker or being answered
  std::atomic<std::size_t> taken_over{0}; ///< taken-over connections still held (their tokens)
  worker_pool workers;
  std::vector<std::unique_ptr<event_loop>> loops;   ///< [0] also accepts
  std::size_t next_loop = 0;                        ///< loops[0]'s thread
  boost::asio::ip::tcp::acceptor acceptor;          ///< on loops[0]
  boost::asio::steady_timer accept_retry;
  std::unique_ptr<boost::asio::ssl::context> tls;  ///< set when serving TLS
  std::thread runner;                ///< loops[0] after start()
  std::vector<std::thread> others;   ///< the other loops

  /// Registers a live connection (any thread).
  void add_open(connection_base* c);
  /// Unregisters it (idempotent); the first call frees its place under the cap.
  void remove_open(connection_base* c);
  /// The reply to a request the server rejects itself; 503 carries Retry-After. `origin`: the
  /// request's Origin header when known (error_responder).
  [[nodiscard]] response reject(int status, std::string_view message, std::string_view origin = {}) const;
};

/// Serves a freshly accepted plain TCP connection (HTTP/1.1, or HTTP/2 with prior knowledge)
/// on `loop` (the socket's); call on that loop's thread. The connection is counted in
/// core.admitted already.
void serve_plain(server_core& core, event_loop& loop, boost::asio::ip::tcp::socket socket);

/// Serves a freshly accepted connection over TLS (core.tls): HTTP/2 when ALPN chose `h2`,
/// else HTTP/1.1.
void serve_tls(server_core& core, event_loop& loop, boost::asio::ip::tcp::socket socket);

/// `r` as HTTP/1.1 bytes; `keep_alive` chooses the Connection header. `head`: the reply to a
/// HEAD, whose Content-Length is the GET's (RFC 9110 8.6) and which carries no body.
[[nodiscard]] std::string serialize(const response& r, bool keep_alive, bool head = false);

}  // namespace edgefn::httpd::detail
