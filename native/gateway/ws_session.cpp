#include "gateway/ws_session.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

namespace edgefn::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using clock = std::chrono::steady_clock;

/// Bytes moved per read on each side: what one relay holds in memory besides Beast's state.
constexpr std::size_t k_chunk = 64 * 1024;
/// Postgres rejects larger messages anyway (MaxAllocSize); the relay streams them in chunks.
constexpr std::size_t k_max_message = std::size_t{1} << 30;

http::request<http::empty_body> to_beast(const http_request& request) {
  http::request<http::empty_body> r;
  r.method_string(request.method);
  r.target(request.target);
  r.version(11);
  for (const auto& [name, value] : request.headers) r.insert(name, value);
  return r;
}

}  // namespace

bool is_websocket_upgrade(const http_request& request) {
  return websocket::is_upgrade(to_beast(request));
}

/// The relay's state. Connecting happens on the caller's thread (its own io_context); the
/// relay then runs on the HTTP server's loop, where every pending handler holds the impl: the
/// last one to finish destroys it (which writes the log line and frees the relay's slot).
struct ws_session::impl : std::enable_shared_from_this<ws_session::impl> {
  impl(const ws_config& c, const http_request& request, std::function<void()> end)
      : config(c), upgrade(to_beast(request)), on_end(std::move(end)), pg(ioc) {
    path = request.target.substr(0, request.target.find('?'));
  }
  ~impl();
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  ws_config config;
  asio::io_context ioc{1};  ///< connect()'s, on the caller's thread
  http::request<http::empty_body> upgrade;
  std::string path;
  std::function<void()> on_end;
  std::shared_ptr<void> hold;  ///< the HTTP server's token for the taken connection
  asio::generic::stream_protocol::socket pg;
  std::optional<websocket::stream<tcp::socket>> ws;
  /// Idle and ping deadlines, re-armed only when it fires (never per message): see supervise().
  std::optional<asio::steady_timer> idle;
  std::optional<asio::steady_timer> hard_stop;
  std::array<char, k_chunk> up{};    ///< client → Postgres
  std::array<char, k_chunk> down{};  ///< Postgres → client
  clock::time_point started = clock::now();
  clock::time_point last = clock::now();   ///< the last byte relayed either way
  clock::time_point heard = clock::now();  ///< the last byte the client sent (data, pong, ...)
  bool pinging = false;    ///< a ping is out and not yet written
  bool ping_sent = false;  ///< a ping went out since the client was last heard
  bool ending = false;
  bool relayed = false;  ///< the connection was taken over (the log line is written at the end)
  std::size_t bytes_up = 0;
  std::size_t bytes_down = 0;

  bool connect(const relay_target& target, std::string& error);
  void start(httpd::taken_connection taken);
  void start_relay();
  void read_client();
  void to_pg(std::size_t n);
  void read_pg();
  void supervise();
  void arm_supervisor();
  void finish(websocket::close_code code);
  void close_client();
};

ws_session::impl::~impl() {
  if (relayed && config.log_requests) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
    std::fprintf(stderr, "WS %s closed after %lldms, %zu bytes up, %zu bytes down\n",
                 path.c_str(), static_cast<long long>(ms.count()), bytes_up, bytes_down);
  }
  if (on_end) on_end();
}

bool ws_session::impl::connect(const relay_target& target, std::string& error) {
  std::vector<asio::generic::stream_protocol::endpoint> endpoints;
  const bool unix_socket = target.host.front() == '/';
  error_code ec;
  if (unix_socket) {
    endpoints.emplace_back(
        asio::local::stream_protocol::endpoint(target.host + "/.s.PGSQL." + target.port));
  } else {
    tcp::resolver resolver(ioc);
    const auto found = resolver.resolve(target.host, target.port, ec);
    if (ec) {
      error = "cannot resolve " + target.host + ": " + ec.message();
      return false;
    }
    for (const auto& e : found) endpoints.emplace_back(e.endpoint());
  }
  bool done = false;
  error_code result;
  asio::async_connect(pg, endpoints, [&](const error_code& e, const auto&) {
    done = true;
    result = e;
  });
  ioc.run_for(config.connect_timeout);
  if (!done) {
    pg.close(ec);  // cancels the attempt; its handler runs below
    ioc.run();
    result = asio::error::timed_out;
  }
  ioc.restart();
  if (result) {
    error = "cannot connect to Postgres at " + target.host + ":" + target.port + ": " +
            result.message();
    return false;
  }
  if (!unix_socket) pg.set_option(tcp::no_delay(true), ec);
  return true;
}

void ws_session::impl::start(httpd::taken_connection taken) {
  hold = std::move(taken.hold);
  tcp::socket client(taken.io);
  error_code ec;
  client.assign(tcp::v4(), taken.fd, ec);
  if (ec) {
    ::close(taken.fd);
    return;
  }
  if (!taken.pending.empty()) return;  // bytes before our 101: not a WebSocket client
  relayed = true;
  // Postgres' socket moves from connect()'s io_context to the loop.
  const auto protocol = pg.local_endpoint(ec).protocol();
  const int pg_fd = ec ? -1 : pg.release(ec);
  if (ec || pg_fd < 0) return;  // the client socket closes with `client`
  pg = asio::generic::stream_protocol::socket(taken.io);
  pg.assign(protocol, pg_fd, ec);
  if (ec) {
    ::close(pg_fd);
    return;
  }
  idle.emplace(taken.io);
  hard_stop.emplace(taken.io);
  client.set_option(tcp::no_delay(true), ec);
  ws.emplace(std::move(client));
  // Beast's own idle timeout restarts a timer on every frame read (a timer syscall and a
  // cancelled handler per message): the relay keeps its own, coarser watch instead
  // (supervise(): pings after half the ping timeout, so a client that vanished without a FIN is
  // noticed, and the idle timeout).
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = config.handshake_timeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws->set_option(timeouts);
  ws->control_callback([this](websocket::frame_type, beast::string_view) {
    heard = clock::now();  // a pong (or ping) from the client
    ping_sent = false;
  });
  ws->read_message_max(k_max_message);
  ws->binary(true);
  ws->async_accept(upgrade, [self = shared_from_this()](const error_code& e) {
    if (e) return self->close_client();
    self->start_relay();
  });
}

void ws_session::impl::start_relay() {
  last = heard = clock::now();
  error_code ec;
  pg.non_blocking(true, ec);  // written directly first (see to_pg)
  arm_supervisor();
  read_client();
  read_pg();
}

void ws_session::impl::read_client() {
  ws->async_read_some(asio::buffer(up),
                      [self = shared_from_this()](const error_code& e, std::size_t n) {
                        if (e) return self->finish(websocket::close_code::normal);
                        self->last = self->heard = clock::now();
                        self->ping_sent = false;
                        self->bytes_up += n;
                        self->to_pg(n);
                      });
}

/// Writes up[0, n) to Postgres: at once when the socket takes it all (the usual case: no
/// completion handler to schedule), else the rest asynchronously; then reads the client again.
void ws_session::impl::to_pg(std::size_t n) {
  error_code ec;
  std::size_t done = 0;
  while (done < n && !ec) done += pg.write_some(asio::buffer(up.data() + done, n - done), ec);
  if (done == n) return read_client();
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
    return finish(websocket::close_code::normal);
  }
  asio::async_write(pg, asio::buffer(up.data() + done, n - done),
                    [self = shared_from_this()](const error_code& w, std::size_t) {
                      if (w) return self->finish(websocket::close_code::normal);
                      self->read_client();
                    });
}

void ws_session::impl::read_pg() {
  pg.async_read_some(asio::buffer(down),
                     [self = shared_from_this()](const error_code& e, std::size_t n) {
                       // Postgres closed (or failed)
                       if (e) return self->finish(websocket::close_code::normal);
                       self->last = clock::now();
                       self->bytes_down += n;
                       self->ws->async_write(asio::buffer(self->down.data(), n),
                                             [self](const error_code& w, std::size_t) {
                                               if (w) {
                                                 return self->finish(
                                                     websocket::close_code::normal);
                                               }
                                               self->read_pg();
                                             });
                     });
}

/// The relay's deadlines, checked when the timer fires: nothing relayed for idle_timeout ends
/// the relay (1001); a client silent for half the ping timeout is pinged, and one still silent
/// at the full ping timeout is gone (its socket is closed, as Beast's keep-alive does).
void ws_session::impl::supervise() {
  if (ending) return;
  const auto now = clock::now();
  if (now - last >= config.idle_timeout) return finish(websocket::close_code::going_away);
  if (now - heard >= config.ping_timeout) return close_client();
  if (now - heard >= config.ping_timeout / 2 && !ping_sent && !pinging) {
    pinging = true;
    ping_sent = true;
    ws->async_ping({}, [self = shared_from_this()](const error_code& e) {
      self->pinging = false;
      if (e) self->finish(websocket::close_code::normal);
    });
  }
  arm_supervisor();
}

void ws_session::impl::arm_supervisor() {
  auto next = last + config.idle_timeout;
  next = std::min(next, heard + (ping_sent ? config.ping_timeout : config.ping_timeout / 2));
  idle->expires_at(std::max(next, clock::now() + std::chrono::milliseconds(1)));
  idle->async_wait([self = shared_from_this()](const error_code& e) {
    if (!e) self->supervise();
  });
}

/// Ends the relay: closes Postgres, then the WebSocket with a close frame when it is still
/// open, bounded by the handshake timeout (a client that stopped reading cannot hold it).
void ws_session::impl::finish(websocket::close_code code) {
  if (ending) return;
  ending = true;
  error_code ec;
  idle->cancel();
  pg.close(ec);
  if (!ws->is_open()) return close_client();
  hard_stop->expires_after(config.handshake_timeout);
  hard_stop->async_wait([self = shared_from_this()](const error_code& e) {
    if (!e) self->close_client();
  });
  ws->async_close(code, [self = shared_from_this()](const error_code&) {
    self->hard_stop->cancel();
    self->close_client();
  });
}

/// Closes both sockets and the timers: every pending handler then completes with an error and
/// lets go of the impl.
void ws_session::impl::close_client() {
  ending = true;
  error_code ec;
  pg.close(ec);
  if (ws) beast::get_lowest_layer(*ws).close(ec);
  if (idle) idle->cancel();
  if (hard_stop) hard_stop->cancel();
}

ws_session::ws_session(const ws_config& config, const http_request& request,
                       std::function<void()> on_end)
    : impl_(std::make_shared<impl>(config, request, std::move(on_end))) {}

ws_session::~ws_session() = default;

bool ws_session::connect(const relay_target& target, std::string& error) {
  return impl_->connect(target, error);
}

void ws_session::start(httpd::taken_connection taken) { impl_->start(std::move(taken)); }

}  // namespace edgefn::gateway
