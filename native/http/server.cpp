#include "http/server.h"

#include <poll.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/asio/ssl/context.hpp>
#include <openssl/ssl.h>
#include <chrono>
#include <thread>

#include "http/server_core.h"

namespace edgefn::httpd {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using clock = std::chrono::steady_clock;

/// Descriptors kept free for everything else (Postgres connections, files, the relay's).
constexpr std::size_t k_reserved_fds = 256;

std::string_view reason_phrase(int status) {
  // Beast knows every registered status (422, 409, 504 ...); unregistered ones get a neutral word.
  const auto known = boost::beast::http::int_to_status(static_cast<unsigned>(status));
  if (known == boost::beast::http::status::unknown) return "Status";
  const auto phrase = boost::beast::http::obsolete_reason(known);
  return {phrase.data(), phrase.size()};
}

/// The connection cap the process can honour: options.max_connections, but never more than
/// the descriptor limit leaves room for.
std::size_t effective_cap(std::size_t wanted) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return wanted;
  const auto fds = static_cast<std::size_t>(lim.rlim_cur);
  const std::size_t room = fds > 2 * k_reserved_fds ? fds - k_reserved_fds : fds / 2;
  return std::max<std::size_t>(1, std::min(wanted, room));
}

/// Answers a connection over the cap with 503 and closes it. The socket is new, so its send
/// buffer takes the small reply at once; the read side is drained briefly so that the client
/// reads the reply rather than a reset.
void refuse(detail::server_core& core, asio::io_context& io, tcp::socket socket) {
  const std::string reply =
      detail::serialize(core.reject(503, "too many connections"), false);
  error_code ec;
  socket.non_blocking(true, ec);
  (void)::send(socket.native_handle(), reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  struct drain {
    tcp::socket s;
    asio::steady_timer t;
    std::array<char, 4096> buf{};
  };
  auto d = std::make_shared<drain>(drain{std::move(socket), asio::steady_timer(io), {}});
  d->t.expires_after(std::chrono::milliseconds(500));
  d->t.async_wait([d](error_code) {
    error_code ignored;
    d->s.close(ignored);
  });
  auto read = std::make_shared<std::function<void()>>();
  *read = [d, read] {
    d->s.async_read_some(asio::buffer(d->buf), [d, read](error_code e, std::size_t) {
      if (e) {
        d->t.cancel();
        *read = nullptr;  // breaks the cycle
        return;
      }
      (*read)();
    });
  };
  (*read)();
}

/// Accepts the next connection. Handlers hold the core by pointer: the loop lives in the core.
/// ALPN: HTTP/2 when the client offers it, else HTTP/1.1 (RFC 7301).
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void*) {
  static constexpr unsigned char k_ours[] = "\x02h2\x08http/1.1";
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, k_ours, sizeof k_ours - 1, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

/// The TLS context for options' certificate and key; null with `error` set on failure.
std::unique_ptr<asio::ssl::context> make_tls(const server_options& o, std::string& error) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  error_code ec;
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1,
                   ec);
  ctx->use_certificate_chain_file(o.tls_cert_file, ec);
  if (ec) {
    error = "cannot load the TLS certificate " + o.tls_cert_file + ": " + ec.message();
    return nullptr;
  }
  ctx->use_private_key_file(o.tls_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    error = "cannot load the TLS key " + o.tls_key_file + ": " + ec.message();
    return nullptr;
  }
  SSL_CTX_set_alpn_select_cb(ctx->native_handle(), &select_alpn, nullptr);
  return ctx;
}

/// Accepts the next connection onto the next loop (round robin) and starts it there.
/// Handlers hold the core by pointer: the loops live in the core.
void accept_next(detail::server_core* core) {
  detail::event_loop& loop = *core->loops[core->next_loop++ % core->loops.size()];
  core->acceptor.async_accept(loop.io, [core, &loop](error_code ec, tcp::socket socket) {
    if (core->stopping) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      // Out of descriptors (or a transient error): retry shortly instead of spinning.
      core->accept_retry.expires_after(std::chrono::milliseconds(50));
      core->accept_retry.async_wait([core](error_code e) {
        if (!e) accept_next(core);
      });
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    // Counted here, on the accepting thread, so that the cap holds exactly under a burst.
    const bool over = core->admitted.fetch_add(1) >= core->max_open;
    asio::post(loop.io, [core, &loop, over, s = std::move(socket)]() mutable {
      if (over) {
        --core->admitted;
        refuse(*core, loop.io, std::move(s));
      } else if (core->tls) {
        detail::serve_tls(*core, loop, std::move(s));
      } else {
        detail::serve_plain(*core, loop, std::move(s));
      }
    });
    accept_next(core);
  });
}

/// The number of event loops for `wanted` (0: one per core).
std::size_t loop_count(std::size_t wanted) {
  if (wanted != 0) return wanted;
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

std::vector<std::unique_ptr<detail::event_loop>> make_loops(detail::server_core& core,
                                                            std::size_t n) {
  std::vector<std::unique_ptr<detail::event_loop>> loops;
  for (std::size_t i = 0; i < n; ++i) loops.push_back(std::make_unique<detail::event_loop>(core));
  return loops;
}

}  // namespace

namespace detail {

event_loop::event_loop(server_core& core)
    : services{io,
               [&core](std::function<void()> job) {
                 return core.workers.try_submit(std::move(job));
               },
               [this](std::function<void()> f) { exit_hooks.push_back(std::move(f)); }} {}

event_loop::~event_loop() {
  for (auto& f : exit_hooks) f();
}

server_core::server_core(server_options o, handler h)
    : options(std::move(o)), on_request(std::move(h)),
      workers(options.worker_threads, options.max_queued_requests),
      loops(make_loops(*this, loop_count(options.loops))), acceptor(loops[0]->io),
      accept_retry(loops[0]->io) {}

void server_core::add_open(connection_base* c) {
  std::lock_guard lock(open_mu);
  open.insert(c);
}

void server_core::remove_open(connection_base* c) {
  std::lock_guard lock(open_mu);
  if (open.erase(c) != 0) --admitted;
}

response server_core::reject(int status, std::string_view message, std::string_view origin) const {
  response r;
  if (error_response) {
    r = error_response(status, message, origin);
  } else {
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = "{\"message\":\"" + std::string(message) + "\"}";
  }
  if (status == 503) {
    bool has_retry = false;
    for (const auto& [k, v] : r.headers) {
      if (k.size() == 11 && ::strncasecmp(k.c_str(), "retry-after", 11) == 0) has_retry = true;
    }
    if (!has_retry) r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

std::string serialize(const response& r, bool keep_alive, bool head) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " ";
  out += reason_phrase(r.status);
  out += "\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  if (r.status != 204 && r.status != 304)  // RFC 9110 §8.6: never on 204 (nor 304 here)
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  if (!head) out += r.body;
  return out;
}

}  // namespace detail

const std::string* request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return &v;
  }
  return nullptr;
}

client_link::client_link(int fd) : state_(std::make_shared<detail::link_state>()) {
  state_->fd = fd;
}

client_link::client_link(std::shared_ptr<detail::link_state> state) : state_(std::move(state)) {}

int client_link::fd() const { return state_->fd; }

short client_link::poll_events() const {
  // Once the half-close was seen it stays readable: polling for it again would spin.
  return state_->fin_seen.load() ? 0 : POLLRDHUP;
}

bool client_link::gone() const {
  if (state_->gone.load()) return true;
  pollfd p{state_->fd, POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if ((p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) return true;
  if ((p.revents & POLLRDHUP) == 0) return false;
  if (state_->fin_means_gone) return true;
  if (!state_->fin_seen.exchange(true) && state_->can_probe && state_->probe) state_->probe();
  return false;
}

void client_link::on_change(std::function<void()> f) const { state_->on_peer_event = std::move(f); }

server::server(server_options options, handler on_request)
    : core_(std::make_shared<detail::server_core>(std::move(options), std::move(on_request))) {}

server::~server() { stop(); }

std::uint16_t server::port() const { return core_->bound_port; }

void server::set_error_responder(error_responder on_error) {
  core_->error_response = std::move(on_error);
}

void server::set_loop_handler(loop_handler on_loop) { core_->on_loop = std::move(on_loop); }

bool server::listen(std::string& error) {
  if (!core_->options.tls_cert_file.empty() || !core_->options.tls_key_file.empty()) {
    core_->tls = make_tls(core_->options, error);
    if (!core_->tls) return false;
  }
  error_code ec;
  const auto address = asio::ip::make_address_v4(core_->options.host, ec);
  if (ec) {
    error = "invalid listen address " + core_->options.host;
    return false;
  }
  auto& acceptor = core_->acceptor;
  const tcp::endpoint ep(address, core_->options.port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(4096, ec);
  if (ec) {
    error = ec.message();
    return false;
  }
  core_->max_open = effective_cap(core_->options.max_connections);
  core_->bound_port = acceptor.local_endpoint(ec).port();
  return true;
}

namespace {

/// Runs `io` until stopped.
void run_loop(asio::io_context& io) {
  auto guard = asio::make_work_guard(io);
  io.run();
}

/// Starts the loops after the first on threads of their own (joined by stop()).
void start_other_loops(detail::server_core& core) {
  for (std::size_t i = 1; i < core.loops.size(); ++i) {
    core.others.emplace_back([&io = core.loops[i]->io] { run_loop(io); });
  }
}

void run_first_loop(detail::server_core& core) {
  if (core.acceptor.is_open()) asio::post(core.loops[0]->io, [c = &core] { accept_next(c); });
  run_loop(core.loops[0]->io);
}

}  // namespace

void server::run() {
  start_other_loops(*core_);
  run_first_loop(*core_);
}

void server::start() {
  // Every loop thread exists when start() returns (callers count threads).
  start_other_loops(*core_);
  core_->runner = std::thread([core = core_.get()] { run_first_loop(*core); });
}

void server::stop() {
  auto& core = *core_;
  if (core.stop_requested.exchange(true)) return;
  asio::post(core.loops[0]->io, [&core] {
    core.stopping = true;
    error_code ec;
    core.acceptor.close(ec);
    core.accept_retry.cancel();
    std::lock_guard lock(core.open_mu);
    for (auto* c : core.open) c->post_stop_when_idle();
  });
  const auto give_up = clock::now() + std::chrono::seconds(40);
  while ((core.in_flight.load() > 0 || core.taken_over.load() > 0) && clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& loop : core.loops) loop->io.stop();
  if (core.runner.joinable()) core.runner.join();
  for (auto& t : core.others) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
  core.workers.stop();
}

}  // namespace edgefn::httpd
