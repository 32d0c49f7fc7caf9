#pragma once
// The HTTP server shared by the local Neon gateway (gateway/http_server.h) and `edgefn serve`
// (server/http_server.h), HTTP/1.1 and HTTP/2 (libnghttp2; h2c, or h2 over TLS by ALPN): a few
// Boost.Asio event loop threads (one per core; each connection stays on one) read and parse
// every connection (Boost.Beast's request parser, http/request_reader.h) under per-connection
// deadlines that hold no thread, so slow, truncated or malformed requests never hang or crash
// the process nor starve other clients. Keep-alive and pipelining; complete requests run on a
// bounded pool of worker threads (handlers may block), or on the loop itself when a
// loop_handler takes them, and their responses are written back by the loop. Requests beyond
// the pool's queue or the byte budget, and connections beyond the cap, get 503.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace edgefn::httpd {

/// Server limits, timeouts and per-use behaviour.
struct server_options {
  std::string host = "127.0.0.1";  ///< IPv4 address to bind
  std::uint16_t port = 0;          ///< 0 = pick a free port (see server::port())
  /// Concurrent client connections (bounded by the process's file descriptor limit too);
  /// more get 503. An idle or slow connection costs a socket and a few KiB, no thread.
  std::size_t max_connections = 10000;
  std::size_t max_header_bytes = 64 * 1024;   ///< larger request heads get 431
  std::size_t max_body_bytes = 10485760;      ///< larger bodies get 413 (Content-Length up front)
  /// From a request's first byte to the end of its head; then again for its body; and for
  /// writing a reply. Past it the connection is closed.
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds idle_timeout{75000};   ///< keep-alive wait for the next request
  /// Event loop threads (0: one per core). Each connection stays on one loop for its life.
  std::size_t loops = 0;
  /// Threads running handlers (started on demand) and requests that may wait for one; a
  /// request beyond both is answered 503 with Retry-After.
  std::size_t worker_threads = 64;
  std::size_t max_queued_requests = 1024;
  /// Request bytes held by all connections together (requests arriving, queued or at a
  /// worker); a request that would pass it is answered 503 with Retry-After.
  std::size_t max_buffered_bytes = std::size_t{512} << 20;
  /// True: request::target keeps the query string ("/p?q"); false: the path only ("/p").
  bool keep_query = true;
  /// PEM files: when both are set the server speaks TLS only, offering HTTP/2 (`h2`) and
  /// HTTP/1.1 by ALPN. Plain connections speak HTTP/1.1 and HTTP/2 (h2c: prior knowledge or
  /// `Upgrade: h2c`).
  std::string tls_cert_file;
  std::string tls_key_file;
};

/// One parsed request. Header names are lowercased; the body is raw bytes.
struct request {
  std::string method;
  std::string target;  ///< origin-form path, with the query when server_options::keep_query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header named `lower_name`, or nullptr.
  [[nodiscard]] const std::string* header(std::string_view lower_name) const;
};

/// A connection handed over by the server (response::take_over).
struct taken_connection {
  int fd;                        ///< the socket, non-blocking; the taker's to close
  std::string_view pending;      ///< bytes already read past the request
  boost::asio::io_context& io;   ///< the connection's loop
  /// Keep it while the connection is in use: the server's stop() waits (up to its limit) until
  /// every taken connection's token is gone.
  std::shared_ptr<void> hold;
};

/// A response. Content-Length (except on 204/304) and Connection are added by the server.
struct response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Work to run after the response was written (e.g. returning a connection to the pool).
  /// Runs on the server's loop thread: it must not block.
  std::function<void()> after_send;
  /// When set, the server sends nothing and hands the connection over instead (a WebSocket
  /// upgrade answers the request itself): called once, on the connection's loop thread, where
  /// it must not block (it starts asynchronous work on `io`: a taken connection costs no
  /// thread). Only plain HTTP/1.1 connections can be taken over (others get 400).
  std::function<void(taken_connection)> take_over;
};

namespace detail {
struct link_state;
struct server_core;
}  // namespace detail

/// Lets a handler notice that its client went away while it waits on something else.
class client_link {
 public:
  /// Watches socket `fd` alone (a half-close is never taken for a disconnect).
  explicit client_link(int fd);
  /// Used by the server: the connection's shared state.
  explicit client_link(std::shared_ptr<detail::link_state> state);
  /// A socket to poll() for `poll_events()` (never read from it or write to it): when poll
  /// reports anything on it, call gone().
  [[nodiscard]] int fd() const;
  /// The events to poll fd() for (POLLHUP and POLLERR are always reported).
  [[nodiscard]] short poll_events() const;
  /// True when the client is gone: its connection reset or in error, or its HTTP/2 stream
  /// reset (non-blocking). A peer that only shut down its write side (half-close, e.g. `curl`
  /// with stdin closed or a proxy after the request) is not gone: it still reads the
  /// response. Such a peer and one that closed both sides look alike until the server writes,
  /// so the first call that sees the half-close asks the server to send an interim
  /// `100 Continue` (HTTP/1.1 only): a closed peer answers it with a reset, which a later
  /// call sees.
  [[nodiscard]] bool gone() const;
  /// For a loop_handler, on the loop thread: `f` runs (on the loop) when the connection's read
  /// side ends or fails, or its HTTP/2 stream is reset, while the request is unanswered; then
  /// ask gone(). Null clears it; it must not own what owns this link.
  void on_change(std::function<void()> f) const;

 private:
  std::shared_ptr<detail::link_state> state_;
};

/// Answers one request; runs on a worker thread and may block.
using handler = std::function<response(const request&, const client_link&)>;

/// Delivers the response of a request taken by a loop_handler: call it exactly once, from any
/// thread (the reply is written by the loop).
using responder = std::function<void(response)>;

/// What a loop_handler may use besides the request (valid while the server runs).
struct loop_services {
  boost::asio::io_context& io;  ///< the server's loop: timers, descriptors, posts
  /// Runs a (blocking) job on a worker thread; false when the pool is full or stopping.
  std::function<bool(std::function<void()>)> run_blocking;
  /// Registers `f` to run on the thread destroying the server, once the loops have stopped and
  /// before `io` is destroyed (e.g. to drop what a handler keeps registered with it). Loop
  /// thread only.
  std::function<void(std::function<void()>)> at_exit;
};

/// Offered every complete request on the loop thread before it goes to a worker: it must not
/// block. Returns false to leave the request (untouched) to the handler on a worker as usual;
/// true when it took it and will answer through `done` (even from within this call: the server
/// writes the reply from the loop, after the call). Lets a handler do its I/O on the loop
/// itself, without two thread hand-offs per request.
using loop_handler = std::function<bool(const request& req, const client_link& client,
                                        const loop_services& services, responder done)>;
/// Builds the reply for requests the server rejects itself (413, 431, 400 malformed, 503 busy,
/// 500). `message` says why, for the client ("conflicting Content-Length headers", "missing
/// Host header"; valid during the call). `origin` is the rejected request's Origin header, ""
/// when there is none or the server rejected it before its head was read: the reply can carry
/// CORS headers, without which a browser hides it (status, message, Retry-After) from the page
/// as a network error.
using error_responder =
    std::function<response(int status, std::string_view message, std::string_view origin)>;

/// Listens on options.host:options.port and serves `handler` until stop().
class server {
 public:
  server(server_options options, handler on_request);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds and listens; returns false (and fills `error`) on failure.
  bool listen(std::string& error);
  /// The bound port (valid after listen()).
  [[nodiscard]] std::uint16_t port() const;
  /// Runs the first event loop on the calling thread (the others on threads of their own)
  /// until stop() is called from another thread.
  void run();
  /// Replaces the default JSON {"message": ...} body of the server's own rejections (call
  /// before start()).
  void set_error_responder(error_responder on_error);
  /// Sets the handler offered each request on the loop first (call before start()).
  void set_loop_handler(loop_handler on_loop);
  /// Starts run() on a background thread.
  void start();
  /// Stops accepting, closes idle connections, waits (up to 40 s) for requests in flight and
  /// taken-over connections to finish, then stops the loop and the workers.
  void stop();

 private:
  std::shared_ptr<detail::server_core> core_;
};

}  // namespace edgefn::httpd
