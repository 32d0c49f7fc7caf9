#include "http/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "http/request_reader.h"

namespace edgefn::httpd {
namespace {

using clock = std::chrono::steady_clock;
constexpr auto k_poll_slice = std::chrono::milliseconds(250);

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 401: return "Unauthorized";
    case 405: return "Method Not Allowed";
    case 415: return "Unsupported Media Type";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return "Status";
  }
}

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
  return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, k_poll_slice.count()));
}

/// Writes all of `data` before `deadline`; false on error, timeout or stop.
bool send_all(int fd, std::string_view data, clock::time_point deadline,
              const std::atomic<bool>& stopping) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) { data.remove_prefix(static_cast<std::size_t>(n)); continue; }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    if (clock::now() >= deadline || stopping.load()) return false;
    pollfd p{fd, POLLOUT, 0};
    ::poll(&p, 1, remaining_ms(deadline));
  }
  return true;
}

enum class read_status { data, eof, timeout, error };

/// Reads some bytes into `out` (appending), waiting at most until `deadline`.
read_status read_some(int fd, std::string& out, clock::time_point deadline,
                      const std::atomic<bool>& stopping) {
  char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) { out.append(buf, static_cast<std::size_t>(n)); return read_status::data; }
    if (n == 0) return read_status::eof;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return read_status::error;
    if (clock::now() >= deadline || stopping.load()) return read_status::timeout;
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, remaining_ms(deadline));
  }
}

std::string serialize(const response& r, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " ";
  out += reason_phrase(r.status);
  out += "\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  if (r.status != 204 && r.status != 304)  // RFC 9110 §8.6: never on 204 (nor 304 here)
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  out += r.body;
  return out;
}

response plain_error(int status, std::string_view message) {
  response r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{\"message\":\"" + std::string(message) + "\"}";
  return r;
}

/// The outcome of reading one request from a connection.
struct read_outcome {
  bool ok = false;            ///< a complete request is in the reader
  int error_status = 0;       ///< when !ok and non-zero: answer with this status, then close
  std::string error_message;
};

}  // namespace

const std::string* request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return &v;
  }
  return nullptr;
}

bool client_link::gone() const {
  // Not POLLRDHUP: it is set by a half-close too, and such a client still reads our reply.
  pollfd p{fd_, 0, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  return (p.revents & (POLLHUP | POLLERR)) != 0;
}

server::server(server_options options, handler on_request)
    : options_(std::move(options)), handler_(std::move(on_request)) {}

server::~server() {
  stop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool server::listen(std::string& error) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) { error = std::strerror(errno); return false; }
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(options_.port);
  if (::inet_pton(AF_INET, options_.host.c_str(), &addr.sin_addr) != 1) {
    error = "invalid listen address " + options_.host;
    return false;
  }
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 512) != 0) {
    error = std::strerror(errno);
    return false;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  bound_port_ = ntohs(addr.sin_port);
  return true;
}

void server::run() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(k_poll_slice.count())) > 0) accept_one();
  }
}

void server::start() {
  runner_ = std::thread([this] { run(); });
}

void server::stop() {
  stopping_.store(true);
  std::lock_guard lock(mu_);
  if (runner_.joinable()) runner_.join();
  const auto give_up = clock::now() + std::chrono::seconds(40);
  while (active_.load() > 0 && clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void server::accept_one() {
  const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (active_.load() >= options_.max_connections) {
    const auto deadline = clock::now() + std::chrono::milliseconds(200);
    (void)send_all(fd, serialize(plain_error(503, "too many connections"), false), deadline,
                   stopping_);
    ::close(fd);
    return;
  }
  ++active_;
  std::thread([this, fd] {
    serve_connection(fd);
    ::close(fd);
    --active_;
  }).detach();
}

namespace {

/// Half-closes and discards what the client still sends (bounded), so that it reads our error
/// reply instead of a connection reset.
void linger_close(int fd) {
  ::shutdown(fd, SHUT_WR);
  const auto deadline = clock::now() + std::chrono::seconds(2);
  std::size_t drained = 0;
  const std::atomic<bool> never{false};
  while (drained < 16 * 1024 * 1024) {
    std::string sink;
    if (read_some(fd, sink, deadline, never) != read_status::data) return;
    drained += sink.size();
  }
}

read_outcome read_request(int fd, std::string& pending, request_reader& reader,
                          const server_options& options, const std::atomic<bool>& stopping) {
  auto deadline = clock::now() + options.idle_timeout;
  bool started = !pending.empty();
  if (started) deadline = clock::now() + options.read_timeout;
  bool continue_sent = false;
  for (;;) {
    if (const int status = reader.feed(pending); status != 0) {
      return {false, status, status == 413 ? "request is too large" : "malformed HTTP request"};
    }
    if (reader.done()) return {true, 0, {}};
    if (reader.header_done() && !continue_sent && reader.wants_continue()) {
      continue_sent = true;
      if (!send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", deadline, stopping)) return {};
    }
    const auto st = read_some(fd, pending, deadline, stopping);
    if (st != read_status::data) return {};
    if (!started) {
      started = true;
      deadline = clock::now() + options.read_timeout;
    }
  }
}

}  // namespace

void server::serve_connection(int fd) {
  std::string pending;
  const client_link link(fd);
  while (!stopping_.load()) {
    request_reader reader(options_.max_header_bytes, options_.max_body_bytes);
    const read_outcome in = read_request(fd, pending, reader, options_, stopping_);
    const auto write_deadline = clock::now() + options_.read_timeout;
    if (!in.ok) {
      if (in.error_status == 0) return;
      response r = error_response_ ? error_response_(in.error_status)
                                   : plain_error(in.error_status, in.error_message);
      if (send_all(fd, serialize(r, false), write_deadline, stopping_)) linger_close(fd);
      return;
    }
    const bool keep_alive = reader.keep_alive();
    const bool head = reader.is_head();
    response reply = handler_(reader.take(options_.keep_query), link);
    if (reply.take_over) {
      reply.take_over(fd, pending);
      return;
    }
    if (head) reply.body.clear();  // a HEAD reply carries no body
    const bool sent = send_all(fd, serialize(reply, keep_alive), write_deadline, stopping_);
    if (reply.after_send) reply.after_send();
    if (!sent || !keep_alive) return;
  }
}

}  // namespace edgefn::httpd
