// One client connection on the server's loop (see server.h), plain or TLS: reads and parses
// HTTP/1.1 requests under deadlines, hands each complete request to the worker pool and writes
// its response back, in order (pipelined requests wait in `pending_` meanwhile). A connection
// that starts with the HTTP/2 preface, asks for `Upgrade: h2c`, or negotiated `h2` by ALPN
// switches to HTTP/2 (h2_session): its streams run concurrently on the same pool.
#include <openssl/ssl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <memory>
#include <type_traits>

#include "base/text.h"
#include "http/h2_session.h"
#include "http/request_reader.h"
#include "http/server_core.h"

namespace edgefn::httpd::detail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr std::string_view k_continue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view k_switch_h2c =
    "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
/// What an HTTP/2 client with prior knowledge sends first (RFC 9113 §3.4).
constexpr std::string_view k_h2_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
using tls_stream = asio::ssl::stream<tcp::socket>;

tcp::socket& lowest(tcp::socket& s) { return s; }
tcp::socket& lowest(tls_stream& s) { return s.next_layer(); }

/// The Origin header of `req` ("" when it has none), for the server's own rejections.
std::string_view origin_of(const request& req) {
  const std::string* o = req.header("origin");
  return o ? std::string_view(*o) : std::string_view();
}

/// True when `value` (a comma-separated header) lists `token` (case-insensitive).
bool lists_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (text::ascii_lower(item) == token) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}
/// A rejected client's remaining bytes are read and dropped for this long (or this much) so
/// that it reads the error reply instead of a reset.
constexpr auto k_linger_time = std::chrono::seconds(2);
constexpr std::size_t k_linger_bytes = 16 * 1024 * 1024;

template <class Stream>
class connection final : public connection_base,
                         public std::enable_shared_from_this<connection<Stream>> {
  static constexpr bool k_tls = std::is_same_v<Stream, tls_stream>;

 public:
  template <class... Args>
  explicit connection(server_core& core, event_loop& loop, Args&&... stream_args)
      : core_(core), loop_(loop), socket_(std::forward<Args>(stream_args)...),
        deadline_(loop.io) {}
  ~connection() override { core_.remove_open(this); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Serves a plain connection (HTTP/1.1, or HTTP/2 once its preface arrives).
  void start() {
    core_.add_open(this);
    reader_ = new_reader();
    arm(core_.options.idle_timeout);
    read_more();
  }

  /// TLS: the handshake first (under the read deadline), then HTTP/2 when ALPN chose it.
  void start_tls() {
    core_.add_open(this);
    reader_ = new_reader();
    arm(core_.options.read_timeout);
    if constexpr (k_tls) {
      socket_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                self->on_handshake(ec);
                              });
    }
  }

  void on_handshake(error_code ec) {
    if (ec) {
      close();
      return;
    }
    if constexpr (k_tls) {
      const unsigned char* proto = nullptr;
      unsigned int len = 0;
      SSL_get0_alpn_selected(socket_.native_handle(), &proto, &len);
      if (std::string_view(reinterpret_cast<const char*>(proto), proto ? len : 0) == "h2") {
        start_h2({}, false, std::nullopt);
        return;
      }
    }
    arm(core_.options.idle_timeout);
    read_more();
  }

  void post_stop_when_idle() override {
    asio::post(loop_.io, [weak = this->weak_from_this()] {
      if (auto self = weak.lock()) self->stop_when_idle();
    });
  }

  void stop_when_idle() {
    if (h2_) {
      if (h2_->waiting() == 0) close();
      return;
    }
    if (phase_ == phase::idle || phase_ == phase::reading || phase_ == phase::lingering) close();
  }

 private:
  enum class phase {
    idle,        ///< waiting for the next request (keep-alive)
    reading,     ///< a request has started arriving
    in_flight,   ///< at a worker
    writing,     ///< the reply is being written
    lingering,   ///< rejected: draining what the client still sends
    closed,
  };
  struct out_item {
    std::string bytes;
    bool is_reply = false;
  };

  [[nodiscard]] std::unique_ptr<request_reader> new_reader() const {
    return std::make_unique<request_reader>(core_.options.max_header_bytes,
                                            core_.options.max_body_bytes);
  }

  // --- deadlines ---------------------------------------------------------------------------

  void arm(std::chrono::milliseconds after) {
    deadline_.expires_after(after);
    deadline_.async_wait([self = this->shared_from_this(), gen = ++deadline_gen_](error_code ec) {
      if (!ec && gen == self->deadline_gen_) self->on_deadline();
    });
  }

  void disarm() {
    ++deadline_gen_;
    deadline_.cancel();
  }

  void on_deadline() {
    // A request still arriving, an idle keep-alive, a reply the client does not read, or the
    // end of lingering: the connection is closed without a reply (as with any timeout).
    if (h2_) {
      if (h2_->waiting() == 0) close();
      return;
    }
    if (phase_ != phase::in_flight) close();
  }

  // --- reading -----------------------------------------------------------------------------

  /// Reads unless a read is pending or no more bytes are wanted: while a request is at a
  /// worker the connection keeps reading (to see the client leave) only up to a bound, and not
  /// at all for an upgrade, whose bytes belong to whoever takes the connection over.
  void read_more() {
    if (reading_ || peer_done_ || phase_ == phase::closed) return;
    const bool busy = !h2_ && (phase_ == phase::in_flight || phase_ == phase::writing);
    if (busy && (upgrade_ || pending_.size() >= core_.options.max_header_bytes)) return;
    reading_ = true;
    socket_.async_read_some(asio::buffer(buf_),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->on_read(ec, n);
                            });
  }

  void on_read(error_code ec, std::size_t n) {
    reading_ = false;
    if (phase_ == phase::closed) return;
    if (phase_ == phase::lingering) {
      lingered_ += n;
      if (ec || lingered_ > k_linger_bytes) close();
      else read_more();
      return;
    }
    if (h2_) {
      on_h2_read(ec, n);
      return;
    }
    if (ec) {
      peer_done_ = true;
      // Before a whole request: nothing to answer. Later: the reply is still written (a
      // half-closed client reads it) and the connection closes after it.
      if (phase_ == phase::idle || phase_ == phase::reading) close();
      else if (phase_ == phase::in_flight) poke(current_link_);
      return;
    }
    pending_.append(buf_.data(), n);
    const bool within_budget = hold(n);
    if (!within_budget && phase_ != phase::in_flight && phase_ != phase::writing) {
      reject(503, "the server is busy");
      return;
    }
    if (!served_ && phase_ != phase::in_flight && phase_ != phase::writing) {
      const std::size_t m = std::min(pending_.size(), k_h2_preface.size());
      if (pending_.compare(0, m, k_h2_preface.substr(0, m)) == 0) {
        if (m == k_h2_preface.size()) start_h2({}, false, std::nullopt);
        else read_more();  // maybe the preface: wait for the rest of it
        return;
      }
    }
    if (phase_ == phase::idle) begin_request();
    if (phase_ == phase::reading) parse();
    read_more();
  }

  void begin_request() {
    phase_ = phase::reading;
    head_done_ = false;
    continue_sent_ = false;
    arm(core_.options.read_timeout);
  }

  void parse() {
    if (const int status = reader_->feed(pending_); status != 0) {
      reject(status, reader_->refusal(), reader_->origin());
      return;
    }
    if (!head_done_ && reader_->header_done()) {
      head_done_ = true;
      arm(core_.options.read_timeout);  // a fresh deadline for the body
      if (reader_->wants_continue()) {
        continue_sent_ = true;
        write(std::string(k_continue), false);
      }
    }
    if (reader_->done()) dispatch();
  }

  // --- requests ----------------------------------------------------------------------------

  void dispatch() {
    served_ = true;
    phase_ = phase::in_flight;
    disarm();
    keep_alive_ = reader_->keep_alive();
    head_request_ = reader_->is_head();
    auto link = std::make_shared<link_state>();
    link->fd = lowest(socket_).native_handle();
    link->can_probe = reader_->version() >= 11;
    link->probe = [weak = this->weak_from_this(), &io = loop_.io] {
      asio::post(io, [weak] {
        if (auto self = weak.lock()) self->send_probe();
      });
    };
    request req = reader_->take(core_.options.keep_query);
    reader_ = new_reader();
    if (wants_h2c(req)) {
      const std::string settings = *req.header("http2-settings");
      write(std::string(k_switch_h2c), false);
      start_h2(settings, head_request_, std::move(req));
      return;
    }
    upgrade_ = req.header("upgrade") != nullptr;
    ++core_.in_flight;
    counted_ = true;
    // The responder holds the connection, as a worker's job does, until the reply is in.
    if (offer_to_loop(req, link, [self = this->shared_from_this()](response r) {
          self->on_response(std::move(r));
        })) {
      read_more();
      return;
    }
    auto job = [self = this->shared_from_this(), req = std::move(req), link]() mutable {
      response r = self->run_handler(req, link);
      asio::post(self->loop_.io, [self, r = std::move(r)]() mutable {
        self->on_response(std::move(r));
      });
    };
    if (!core_.workers.try_submit(std::move(job))) {
      keep_alive_ = false;
      on_response(core_.reject(503, "the server is busy", origin_of(req)));
      return;
    }
    read_more();
  }

  /// Offers the request to the server's loop_handler; true when it took it. `deliver` runs on
  /// the loop with the response (the responder handed out posts it there).
  bool offer_to_loop(const request& req, const std::shared_ptr<link_state>& link,
                     std::function<void(response)> deliver) {
    if (!core_.on_loop) return false;
    current_link_ = link;
    responder done = [&io = loop_.io, deliver = std::move(deliver)](response r) mutable {
      asio::post(io, [deliver = std::move(deliver), r = std::move(r)]() mutable {
        deliver(std::move(r));
      });
    };
    bool taken = false;
    try {
      taken = core_.on_loop(req, client_link(link), loop_.services, std::move(done));
    } catch (const std::exception&) {
      taken = false;  // out of memory or a bug: the worker path answers (500 if it throws too)
    }
    if (!taken) current_link_.reset();
    return taken;
  }

  /// Tells a request at the loop_handler that the read side changed (see link_state).
  static void poke(const std::shared_ptr<link_state>& link) {
    if (link && link->on_peer_event) link->on_peer_event();
  }

  response run_handler(const request& req, const std::shared_ptr<link_state>& link) {
    try {
      return core_.on_request(req, client_link(link));
    } catch (const std::exception&) {
      // A handler that throws (out of memory, a bug) answers 500 instead of ending the process.
      return core_.reject(500, "internal error", origin_of(req));
    }
  }

  /// The interim reply that tells a half-closed client from a closed one (client_link::gone).
  void send_probe() {
    if (phase_ == phase::in_flight && !upgrade_) write(std::string(k_continue), false);
  }

  void on_response(response r) {
    current_link_.reset();
    phase_ = phase::writing;
    if (r.take_over) {
      hand_over(std::move(r.take_over));
      return;
    }
    keep_after_ = keep_alive_ && !peer_done_ && !core_.stopping;
    after_send_ = std::move(r.after_send);
    arm(core_.options.read_timeout);
    write(serialize(r, keep_after_, head_request_), true);  // a HEAD reply: the GET's length, no body
  }

  void on_reply_written() {
    end_exchange();
    if (!keep_after_ || core_.stopping || peer_done_) {  // the client may have left meanwhile
      close();
      return;
    }
    release_held();
    (void)hold(pending_.size());  // a pipelined request already read
    phase_ = phase::idle;
    upgrade_ = false;
    arm(core_.options.idle_timeout);
    if (!pending_.empty()) {  // a pipelined request is already here
      begin_request();
      parse();
    }
    read_more();
  }

  void end_exchange() {
    if (after_send_) {
      auto after = std::move(after_send_);
      after_send_ = nullptr;
      after();
    }
    if (counted_) {
      counted_ = false;
      --core_.in_flight;
    }
  }

  /// Gives the socket to `take_over`, on this loop (it starts asynchronous work here).
  void hand_over(std::function<void(taken_connection)> take_over) {
    if constexpr (k_tls) {  // the taker would need the TLS session too
      (void)take_over;
      reject(400, "this upgrade is not served over TLS");
      return;
    }
    disarm();
    error_code ec;
    const int fd = lowest(socket_).release(ec);  // leaves this loop's reactor, stays open
    phase_ = phase::closed;
    release_held();
    if (ec || fd < 0) {
      lowest(socket_).close(ec);
      end_exchange();
      return;
    }
    ++core_.taken_over;
    end_exchange();
    std::atomic<std::size_t>* count = &core_.taken_over;  // outlives the loops (server_core)
    std::shared_ptr<void> hold(nullptr, [count](void*) { --*count; });
    std::string pending = std::move(pending_);
    take_over(taken_connection{fd, pending, loop_.io, std::move(hold)});
  }

  void reject(int status, std::string_view message, std::string_view origin = {}) {
    phase_ = phase::writing;
    keep_after_ = false;
    rejected_ = true;
    arm(core_.options.read_timeout);
    write(serialize(core_.reject(status, message, origin), false), true);
  }

  // --- HTTP/2 ------------------------------------------------------------------------------

  /// True for `Upgrade: h2c` with its settings on a plain connection (RFC 7540 §3.2).
  [[nodiscard]] bool wants_h2c(const request& req) const {
    if constexpr (k_tls) return false;
    const std::string* up = req.header("upgrade");
    const std::string* conn = req.header("connection");
    return up != nullptr && conn != nullptr && req.header("http2-settings") != nullptr &&
           lists_token(*up, "h2c") && lists_token(*conn, "http2-settings");
  }

  /// Switches to HTTP/2. `upgraded` is the HTTP/1.1 request that asked for it (stream 1).
  void start_h2(const std::string& settings, bool head, std::optional<request> upgraded) {
    disarm();
    h2_ = std::make_unique<h2_session>(
        core_.options.max_header_bytes, core_.options.max_body_bytes, core_.options.keep_query,
        [this](std::int32_t id, request req, int status) { on_h2_request(id, std::move(req), status); },
        [this](std::int32_t id) {
          if (const auto it = h2_links_.find(id); it != h2_links_.end()) {
            it->second->gone = true;
            poke(it->second);
          }
        });
    if (!h2_->start(settings, head)) {
      h2_failed_ = true;
      flush_h2();
      return;
    }
    phase_ = phase::idle;
    if (upgraded) on_h2_request(1, std::move(*upgraded), 0);
    std::string rest;
    rest.swap(pending_);
    if (!rest.empty() && !h2_->receive(rest)) h2_failed_ = true;
    (void)sync_h2_held();
    flush_h2();
    read_more();
  }

  void on_h2_read(error_code ec, std::size_t n) {
    if (ec) {
      // No half-close in HTTP/2: the client is gone, and so are its streams.
      for (auto& [id, link] : h2_links_) link->gone = true;
      const auto links = h2_links_;  // a poked stream may answer (and unregister) at once
      for (auto& [id, link] : links) poke(link);
      peer_done_ = true;
      if (h2_links_.empty()) close();
      return;
    }
    if (!h2_->receive(std::string_view(buf_.data(), n))) h2_failed_ = true;
    if (!sync_h2_held()) {  // over the server's budget: this connection ends
      h2_->shut_down();
      h2_failed_ = true;
    }
    flush_h2();
    read_more();
  }

  void on_h2_request(std::int32_t id, request req, int status) {
    if (status != 0) {
      h2_->respond(id, core_.reject(status,
                                    status == 413 ? "request is too large" : "request headers are too large",
                                    origin_of(req)));
      return;
    }
    auto link = std::make_shared<link_state>();
    link->fd = lowest(socket_).native_handle();
    link->fin_means_gone = true;
    h2_links_[id] = link;
    ++core_.in_flight;
    if (offer_to_loop(req, link, [self = this->shared_from_this(), id](response r) {
          self->on_h2_response(id, std::move(r));
        })) {
      current_link_.reset();  // HTTP/2 streams are poked through h2_links_
      return;
    }
    auto job = [self = this->shared_from_this(), id, req = std::move(req), link]() mutable {
      response r = self->run_handler(req, link);
      asio::post(self->loop_.io, [self, id, r = std::move(r)]() mutable {
        self->on_h2_response(id, std::move(r));
      });
    };
    if (!core_.workers.try_submit(std::move(job))) {
      h2_links_.erase(id);
      --core_.in_flight;
      h2_->respond(id, core_.reject(503, "the server is busy", origin_of(req)));
    }
  }

  void on_h2_response(std::int32_t id, response r) {
    h2_links_.erase(id);
    --core_.in_flight;
    if (phase_ == phase::closed) {
      if (r.after_send) r.after_send();
      return;
    }
    if (r.take_over) {  // nothing to take over in a multiplexed connection
      r = core_.reject(400, "this upgrade is not served over HTTP/2");
    }
    h2_->respond(id, std::move(r));
    (void)sync_h2_held();
    flush_h2();
  }

  /// Writes what the session has to say; closes once it is over.
  void flush_h2() {
    if (phase_ == phase::closed || writing_) return;
    std::string out = h2_->take_output();
    if (!out.empty()) {
      write(std::move(out), false);
      return;
    }
    if (h2_failed_ || !h2_->alive() || (peer_done_ && h2_links_.empty())) {
      close();
      return;
    }
    // Deadlines: none while a stream waits on a worker; otherwise the idle deadline, counted
    // from when the last one was answered (bytes dripping in do not extend it).
    if (!h2_links_.empty()) {
      if (h2_idle_armed_) disarm();
      h2_idle_armed_ = false;
    } else if (!h2_idle_armed_) {
      h2_idle_armed_ = true;
      arm(core_.options.idle_timeout);
    }
  }

  // --- the server's request byte budget -----------------------------------------------------

  /// Counts `n` more bytes held by this connection; false when the server is over budget.
  bool hold(std::size_t n) {
    held_ += n;
    return core_.buffered.fetch_add(n) + n <= core_.options.max_buffered_bytes;
  }

  void release_held() {
    core_.buffered.fetch_sub(held_);  // never more than this connection added
    held_ = 0;
  }

  /// HTTP/2: what the session holds is what this connection holds.
  bool sync_h2_held() {
    release_held();
    return hold(h2_->buffered());
  }

  // --- writing -----------------------------------------------------------------------------

  void write(std::string bytes, bool is_reply) {
    out_.push_back({std::move(bytes), is_reply});
    if (!writing_) write_next();
  }

  void write_next() {
    writing_ = true;
    asio::async_write(socket_, asio::buffer(out_.front().bytes),
                      [self = this->shared_from_this()](error_code ec, std::size_t) {
                        self->on_written(ec);
                      });
  }

  void on_written(error_code ec) {
    writing_ = false;
    const bool was_reply = out_.front().is_reply;
    out_.pop_front();
    if (phase_ == phase::closed) return;
    if (h2_) {
      if (ec) close();
      else if (!out_.empty()) write_next();
      else flush_h2();
      return;
    }
    if (ec) {
      peer_done_ = true;
      // A request at a worker keeps the socket open until it returns (its client_link polls
      // the descriptor); otherwise the connection is over.
      if (phase_ != phase::in_flight) close();
      else poke(current_link_);
      return;
    }
    if (was_reply) {
      if (rejected_) linger();
      else on_reply_written();
      return;
    }
    if (!out_.empty()) write_next();
  }

  /// After an error reply: stop sending, drop what the client still sends (bounded).
  void linger() {
    phase_ = phase::lingering;
    error_code ec;
    lowest(socket_).shutdown(tcp::socket::shutdown_send, ec);
    arm(std::chrono::duration_cast<std::chrono::milliseconds>(k_linger_time));
    read_more();
  }

  void close() {
    if (phase_ == phase::closed) return;
    phase_ = phase::closed;
    disarm();
    end_exchange();
    error_code ec;
    lowest(socket_).shutdown(tcp::socket::shutdown_both, ec);
    lowest(socket_).close(ec);
    core_.remove_open(this);
    release_held();
  }

  server_core& core_;
  event_loop& loop_;  ///< the loop this connection lives on
  Stream socket_;
  asio::steady_timer deadline_;
  unsigned deadline_gen_ = 0;
  std::array<char, 16384> buf_{};
  std::string pending_;  ///< bytes read and not parsed yet
  std::unique_ptr<request_reader> reader_;
  phase phase_ = phase::idle;
  bool reading_ = false;
  bool writing_ = false;
  bool peer_done_ = false;   ///< the read side ended (EOF or error)
  bool head_done_ = false;
  bool continue_sent_ = false;
  bool keep_alive_ = false;
  bool keep_after_ = false;
  bool head_request_ = false;
  bool upgrade_ = false;
  bool rejected_ = false;
  bool counted_ = false;     ///< counted in core_.in_flight
  std::size_t lingered_ = 0;
  std::deque<out_item> out_;
  std::function<void()> after_send_;
  std::size_t held_ = 0;  ///< bytes counted in core_.buffered
  bool served_ = false;  ///< a request was read on this connection (no HTTP/2 preface now)
  // HTTP/2 mode.
  std::unique_ptr<h2_session> h2_;
  std::map<std::int32_t, std::shared_ptr<link_state>> h2_links_;  ///< streams at a worker
  /// HTTP/1.1: the link of the request at the loop_handler (poked when the peer goes).
  std::shared_ptr<link_state> current_link_;
  bool h2_failed_ = false;  ///< protocol error: close once the output is written
  bool h2_idle_armed_ = false;
};

}  // namespace

void serve_plain(server_core& core, event_loop& loop, tcp::socket socket) {
  std::make_shared<connection<tcp::socket>>(core, loop, std::move(socket))->start();
}

void serve_tls(server_core& core, event_loop& loop, tcp::socket socket) {
  std::make_shared<connection<tls_stream>>(core, loop, std::move(socket), *core.tls)->start_tls();
}

}  // namespace edgefn::httpd::detail
