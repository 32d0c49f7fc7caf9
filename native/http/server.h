#pragma once
// A small blocking HTTP/1.1 server shared by the local Neon gateway (gateway/http_server.h) and
// `edgefn serve` (server/http_server.h): one thread per client connection (capped), keep-alive,
// Boost.Beast's request parser (http/request_reader.h) fed from poll()-with-deadline socket
// reads so that slow, truncated or malformed requests can never hang or crash the process.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace edgefn::httpd {

/// Server limits, timeouts and per-use behaviour.
struct server_options {
  std::string host = "127.0.0.1";  ///< IPv4 address to bind
  std::uint16_t port = 0;          ///< 0 = pick a free port (see server::port())
  std::size_t max_connections = 256;          ///< concurrent client connections; more get 503
  std::size_t max_header_bytes = 64 * 1024;   ///< larger request heads get 431
  std::size_t max_body_bytes = 10485760;      ///< larger bodies get 413 (Content-Length up front)
  std::chrono::milliseconds read_timeout{30000};   ///< to read one whole request / write a reply
  std::chrono::milliseconds idle_timeout{75000};   ///< keep-alive wait for the next request
  /// True: request::target keeps the query string ("/p?q"); false: the path only ("/p").
  bool keep_query = true;
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

/// A response. Content-Length (except on 204/304) and Connection are added by the server.
struct response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Work to run after the response was written (e.g. returning a connection to the pool).
  std::function<void()> after_send;
  /// When set, the server sends nothing and hands the connection over instead (a WebSocket
  /// upgrade answers the request itself): called on the connection's thread with the socket and
  /// the bytes already read past the request; the server closes the socket once it returns.
  std::function<void(int fd, std::string_view pending)> take_over;
};

/// Lets a handler notice that its client went away while it waits on something else.
class client_link {
 public:
  explicit client_link(int fd) : fd_(fd) {}
  /// The client socket (never read from it).
  [[nodiscard]] int fd() const { return fd_; }
  /// True when the connection is broken: reset by the peer or in error (non-blocking check).
  /// A peer that only shut down its write side (half-close, e.g. `curl` with stdin closed or
  /// a proxy after the request) is not gone: it still reads the response.
  [[nodiscard]] bool gone() const;

 private:
  int fd_;
};

/// Answers one request; runs on the connection's thread.
using handler = std::function<response(const request&, const client_link&)>;
/// Builds the reply for requests the server rejects itself (413, 431, 400 malformed).
using error_responder = std::function<response(int status)>;

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
  [[nodiscard]] std::uint16_t port() const { return bound_port_; }
  /// Accepts connections until stop() is called (from another thread or a signal flag).
  void run();
  /// Replaces the default JSON {"message": ...} body of the server's own rejections.
  void set_error_responder(error_responder responder) { error_response_ = std::move(responder); }
  /// Starts run() on a background thread.
  void start();
  /// Stops accepting, waits for open connections to finish (they notice within ~250 ms).
  void stop();

 private:
  void serve_connection(int fd);
  void accept_one();

  server_options options_;
  handler handler_;
  error_responder error_response_;
  int listen_fd_ = -1;
  std::uint16_t bound_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> active_{0};
  std::thread runner_;
  std::mutex mu_;
};

}  // namespace edgefn::httpd
