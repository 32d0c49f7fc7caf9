#include "gateway/sql_handler.h"

#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <unordered_map>

#include "gateway/conn_string.h"
#include "gateway/pg_exec.h"
#include "gateway/request_body.h"

namespace edgefn::gateway {
namespace {

/// The per-request options read from headers.
struct request_flags {
  bool raw = false;
  bool array_mode = false;
  std::string isolation;  ///< the header value as given ("" when absent)
  const char* isolation_sql = nullptr;
  bool read_only = false;
  bool deferrable = false;
};

/// Appends `v`'s low `digits` hex digits (lowercase, zero-padded).
void append_hex(std::string& out, std::uint64_t v, int digits) {
  static constexpr char k_hex[] = "0123456789abcdef";
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(digits));
  for (int i = digits - 1; i >= 0; --i, v >>= 4) {
    out[at + static_cast<std::size_t>(i)] = k_hex[v & 0xF];
  }
}

/// A random (version 4) UUID, formatted by hand: snprintf was a visible share of the
/// gateway's CPU per request.
std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = (rng() & 0xFFFFFFFFFFFF0FFFull) | 0x4000ull;
  const std::uint64_t lo = (rng() & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  std::string id;
  id.reserve(36);
  append_hex(id, hi >> 32, 8);
  id += '-';
  append_hex(id, hi >> 16, 4);
  id += '-';
  append_hex(id, hi, 4);
  id += '-';
  append_hex(id, lo >> 48, 4);
  id += '-';
  append_hex(id, lo, 12);
  return id;
}

http_response json_response(int status, std::string body) {
  http_response r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"},
               {"Access-Control-Allow-Origin", "*"},
               {"neon-request-id", new_request_id()}};
  r.body = std::move(body);
  return r;
}

/// The log line of one request (never credentials: the method and the path only), written
/// with one write(2) as stderr's unbuffered fprintf did (lines from several threads do not
/// interleave), without its formatting cost.
void log_request(const std::string& method, const std::string& path, int status,
                 std::chrono::steady_clock::time_point started) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  std::string line;
  line.reserve(method.size() + path.size() + 32);
  line += method;
  line += ' ';
  line += path;
  line += ' ';
  char number[24];
  line.append(number, std::to_chars(number, number + sizeof number, status).ptr);
  line += ' ';
  line.append(number, std::to_chars(number, number + sizeof number, us.count()).ptr);
  line += "us\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

/// Neon's answer to a request body over its limit (its text, as the proxy words it).
sql_error too_large_error() {
  return proxy_error(413, "request is too large (max is 10485760 bytes)");
}

http_response error_response(const sql_error& e) {
  http_response r = json_response(e.status, e.body);
  if (e.retry_after_s > 0) r.headers.emplace_back("Retry-After", std::to_string(e.retry_after_s));
  return r;
}

http_response options_response() {
  http_response r = json_response(200, "");
  r.headers.emplace_back("Allow", "OPTIONS, POST");
  r.headers.emplace_back("Access-Control-Allow-Headers",
                         "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, "
                         "Neon-Array-Mode, Neon-Pool-Opt-In, Neon-Batch-Read-Only, "
                         "Neon-Batch-Isolation-Level");
  r.headers.emplace_back("Access-Control-Max-Age", "86400");
  return r;
}

bool header_true(const http_request& req, std::string_view name) {
  const std::string* v = req.header(name);
  return v != nullptr && *v == "true";
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

/// Reads the output and batch headers; false when the isolation level is invalid.
bool read_flags(const http_request& req, request_flags& flags) {
  flags.raw = header_true(req, "neon-raw-text-output");
  flags.array_mode = header_true(req, "neon-array-mode");
  flags.read_only = header_true(req, "neon-batch-read-only");
  flags.deferrable = header_true(req, "neon-batch-deferrable");
  const std::string* iso = req.header("neon-batch-isolation-level");
  if (iso == nullptr) return true;
  flags.isolation = *iso;
  if (*iso == "Serializable") flags.isolation_sql = "SERIALIZABLE";
  else if (*iso == "ReadUncommitted") flags.isolation_sql = "READ UNCOMMITTED";
  else if (*iso == "ReadCommitted") flags.isolation_sql = "READ COMMITTED";
  else if (*iso == "RepeatableRead") flags.isolation_sql = "REPEATABLE READ";
  return flags.isolation_sql != nullptr;
}

std::string start_transaction_sql(const request_flags& flags) {
  std::string sql = "START TRANSACTION";
  bool first = true;
  auto clause = [&](std::string_view c) {
    sql += first ? " " : ", ";
    sql += c;
    first = false;
  };
  if (flags.isolation_sql != nullptr) clause(std::string("ISOLATION LEVEL ") + flags.isolation_sql);
  if (flags.read_only) clause("READ ONLY");
  if (flags.deferrable) clause("DEFERRABLE");
  return sql;
}

/// Everything one request needs while it runs.
struct request_context {
  const request_flags& flags;
  const conn_info& info;
  type_registry& types;
  const client_link& client;
  std::size_t max_response_bytes;
  bool pipelined_reset;  ///< a single query: the pool's reset goes right behind it
};

/// Looks up OIDs in pg_type on `conn`, the request's own connection (idle between queries):
/// a second connection could be refused when the key or Postgres is at its limit.
bool lookup_types(PGconn* conn, const std::vector<Oid>& oids, std::vector<pg_type_row>& rows) {
  std::string list = "{";
  for (std::size_t i = 0; i < oids.size(); ++i) {
    if (i != 0) list += ',';
    list += std::to_string(oids[i]);
  }
  list += '}';
  const char* params[] = {list.c_str()};
  PGresult* r = PQexecParams(
      conn,
      "select t.oid, t.typelem, coalesce(e.typdelim, ','), t.typcategory from pg_type t "
      "left join pg_type e on e.oid = t.typelem where t.oid = any($1::oid[])",
      1, nullptr, params, nullptr, nullptr, 0);
  const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  for (int i = 0; ok && i < PQntuples(r); ++i) {
    pg_type_row row;
    row.oid = static_cast<Oid>(std::stoul(PQgetvalue(r, i, 0)));
    row.element = static_cast<Oid>(std::stoul(PQgetvalue(r, i, 1)));
    row.delimiter = PQgetvalue(r, i, 2)[0];
    row.category = PQgetvalue(r, i, 3)[0];
    rows.push_back(row);
  }
  PQclear(r);
  return ok;
}

exec_outcome run_one(const request_context& ctx, PGconn* conn, const query_spec& spec,
                     std::string& out) {
  exec_options options;
  options.raw = ctx.flags.raw;
  options.array_mode = spec.array_mode.value_or(ctx.flags.array_mode);
  options.max_response_bytes = ctx.max_response_bytes;
  options.pipelined_reset = ctx.pipelined_reset;
  const std::string db = database_key(ctx.info);
  const column_resolver resolve = [&](const std::vector<Oid>& oids,
                                      std::vector<type_conv>& convs, PGconn* lookup_on) {
    return ctx.types.resolve(db, oids,
                             [&](const std::vector<Oid>& missing, std::vector<pg_type_row>& rows) {
                               return lookup_on != nullptr && lookup_types(lookup_on, missing, rows);
                             },
                             convs);
  };
  return run_query(conn, spec, options, resolve, ctx.client, out);
}

/// Runs a batch as one transaction; on the first error rolls back and returns it.
exec_outcome run_batch(const request_context& ctx, PGconn* conn, const payload& body,
                       std::string& out) {
  if (auto begin = run_control(conn, start_transaction_sql(ctx.flags).c_str());
      begin.status != exec_status::ok) {
    return begin;
  }
  out += "{\"results\":[";
  for (std::size_t i = 0; i < body.queries.size(); ++i) {
    if (i != 0) out += ',';
    exec_outcome r = run_one(ctx, conn, body.queries[i], out);
    if (r.status != exec_status::ok) {
      if (r.status == exec_status::failed) (void)run_control(conn, "ROLLBACK");
      return r;
    }
  }
  out += "]}";
  // The reset rides behind the COMMIT: the connection needs no separate round trip to be reused.
  return run_control_with_reset(conn, "COMMIT");
}

void add_batch_headers(http_response& r, const request_flags& flags) {
  if (!flags.isolation.empty()) r.headers.emplace_back("Neon-Batch-Isolation-Level", flags.isolation);
  if (flags.read_only) r.headers.emplace_back("Neon-Batch-Read-Only", "true");
  if (flags.deferrable) r.headers.emplace_back("Neon-Batch-Deferrable", "true");
}

}  // namespace

sql_handler::sql_handler(sql_config config, pg_pool& pool)
    : config_(std::move(config)), pool_(pool) {
  pool_.on_close([this](PGconn* conn) { forget_socket(conn, nullptr); });
}

sql_handler::~sql_handler() { pool_.on_close(nullptr); }

http_response sql_handler::reject(int status, std::string_view message) const {
  if (status == 413) return error_response(too_large_error());
  if (status == 503) return error_response(unavailable_error("too many requests in flight"));
  if (status == 500) return error_response(proxy_error(500, "internal error"));
  // 400, 431, 501: the HTTP layer says what was wrong with the message.
  return error_response(proxy_error(status, message.empty() ? std::string_view("malformed HTTP request") : message));
}

http_response sql_handler::handle(const http_request& request, const client_link& client) {
  const auto started = std::chrono::steady_clock::now();
  http_response r;
  // Only the path routes; only the path is logged (a query string may carry anything).
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (path != "/sql") {
    r = json_response(400, "\"query is not supported\"");
  } else if (request.method == "OPTIONS") {
    r = options_response();
  } else if (request.method != "POST") {
    r = json_response(400, "\"query is not supported\"");
  } else {
    r = handle_sql(request, client);
  }
  if (config_.log_requests) log_request(request.method, path, r.status, started);
  return r;
}

namespace {

/// A /sql request's headers and body, checked: what running it needs.
struct sql_call {
  request_flags flags;
  conn_info info;
  payload body;
};

/// Checks and parses a POST /sql request; on a bad one fills `error` and returns false.
bool prepare_call(const sql_config& config, const http_request& request, sql_call& call,
                  http_response& error) {
  const std::string* cs = request.header("neon-connection-string");
  if (cs == nullptr || !is_ascii(*cs)) {
    error = error_response(proxy_error(400, "invalid header: neon-connection-string"));
    return false;
  }
  auto info = parse_conn_string(*cs);
  if (!info) {
    error = error_response(proxy_error(400, info.error().message));
    return false;
  }
  if (request.header("authorization") != nullptr) {
    error = error_response(
        proxy_error(400, "missing authentication credentials: required password"));
    return false;
  }
  if (!read_flags(request, call.flags)) {
    error = error_response(proxy_error(400, "invalid isolation level"));
    return false;
  }
  if (request.body.size() > config.max_request_bytes) {
    error = error_response(too_large_error());
    return false;
  }
  auto body = parse_payload(request.body);
  if (!body) {
    error = error_response(
        proxy_error(400, "could not parse the HTTP request body: " + body.error().message));
    return false;
  }
  call.info = std::move(*info);
  call.body = std::move(*body);
  if (!config.pg_host.empty()) call.info.host = config.pg_host;
  if (!config.pg_port.empty()) call.info.port = config.pg_port;
  return true;
}

/// The reply to a finished query; `after_send` returns the connection to the pool.
http_response finish_reply(const exec_outcome& outcome, std::string out, const sql_call& call,
                           pg_pool& pool, std::shared_ptr<pg_lease> lease) {
  const bool ok = outcome.status == exec_status::ok;
  lease->reset_pending = outcome.reset_pending;
  http_response r = ok ? json_response(200, std::move(out)) : error_response(outcome.error);
  if (ok && call.body.batch) add_batch_headers(r, call.flags);
  r.after_send = [&pool, lease = std::move(lease), ok] { pool.release(*lease, ok); };
  return r;
}

}  // namespace

namespace {

namespace asio = boost::asio;

}  // namespace

/// A libpq socket registered with one loop's reactor for as long as the connection lives
/// there: a query waits on it without registering it first and removing it after (two
/// epoll_ctl calls per query). Never closes the descriptor: it is libpq's.
class pg_watch {
 public:
  pg_watch(asio::io_context& io, int fd) : fd_(fd), socket_(io) {
    int domain = AF_INET;
    socklen_t len = sizeof domain;
    (void)::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
    boost::system::error_code ec;
    socket_.assign(asio::generic::stream_protocol(domain, 0), fd, ec);
    ok_ = !ec;
  }
  ~pg_watch() {
    boost::system::error_code ec;
    if (socket_.is_open()) (void)socket_.release(ec);  // leaves the reactor; libpq closes it
  }
  pg_watch(const pg_watch&) = delete;
  pg_watch& operator=(const pg_watch&) = delete;

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] int fd() const { return fd_; }

  /// Calls `h(ec)` once the socket is readable, at once if it is now: a peek at one byte, so
  /// libpq still reads everything, and a level check, so bytes that arrived while nobody
  /// waited (the reactor is edge-triggered) are not missed. End of stream and errors count as
  /// readable (libpq then reports them); operation_aborted means cancelled.
  template <class Handler>
  void wait_read(Handler h) {
    socket_.async_receive(asio::buffer(&peeked_, 1), asio::socket_base::message_peek,
                          [h = std::move(h)](boost::system::error_code ec, std::size_t) mutable {
                            h(ec == asio::error::operation_aborted ? ec
                                                                   : boost::system::error_code{});
                          });
  }
  template <class Handler>
  void wait_write(Handler h) {
    socket_.async_wait(asio::socket_base::wait_write, std::move(h));
  }
  void cancel() {
    boost::system::error_code ec;
    socket_.cancel(ec);
  }

 private:
  int fd_;
  asio::generic::stream_protocol::socket socket_;
  char peeked_ = 0;
  bool ok_ = false;
};

/// One loop's registered Postgres sockets, by connection. The loop adds and uses them; a
/// connection's entry goes when the pool closes it (on the closing thread, before PQfinish:
/// its descriptor number is then free for reuse) or when another loop takes it over, and all
/// go when the loop ends (at_exit, before its io_context).
struct sql_handler::loop_watches {
  explicit loop_watches(asio::io_context& loop) : io(&loop) {}
  asio::io_context* io;
  std::mutex mu;
  bool dead = false;  ///< the loop is gone: nothing may be added
  std::unordered_map<PGconn*, std::shared_ptr<pg_watch>> by_conn;
};

std::shared_ptr<sql_handler::loop_watches> sql_handler::watches_for(
    const httpd::loop_services& services) {
  std::lock_guard lock(watches_mu_);
  for (const auto& w : watches_) {
    if (w->io == &services.io) return w;
  }
  auto w = std::make_shared<loop_watches>(services.io);
  watches_.push_back(w);
  if (services.at_exit) {
    services.at_exit([w] {
      std::unordered_map<PGconn*, std::shared_ptr<pg_watch>> gone;
      std::lock_guard hold(w->mu);
      w->dead = true;
      gone.swap(w->by_conn);
    });
  }
  return w;
}

void sql_handler::forget_socket(PGconn* conn, const loop_watches* keep) {
  std::vector<std::shared_ptr<loop_watches>> all;
  {
    std::lock_guard lock(watches_mu_);
    all = watches_;
  }
  for (const auto& w : all) {
    if (w.get() == keep) continue;
    std::shared_ptr<pg_watch> gone;  // released after the lock: it deregisters
    std::lock_guard lock(w->mu);
    if (const auto it = w->by_conn.find(conn); it != w->by_conn.end()) {
      gone = std::move(it->second);
      w->by_conn.erase(it);
    }
  }
}

namespace {

/// How often a query on the loop asks whether its client is still there (as run_query's poll
/// timeout); a read side that ends is noticed at once (client_link::on_change).
constexpr auto k_client_check = std::chrono::seconds(1);

/// One single query run on the HTTP server's loop: sent and read without blocking, woken by
/// the readiness of the Postgres socket; the few steps that block (type lookups, cancelling
/// for a client that left or a query cut off) go to a worker thread. Loop thread only, except
/// inside those steps (no loop-side member is touched meanwhile).
class loop_query : public std::enable_shared_from_this<loop_query> {
 public:
  /// `pg` is the connection's socket, registered with this loop.
  loop_query(sql_call call, std::shared_ptr<pg_lease> lease, std::shared_ptr<pg_watch> pg,
             pg_pool& pool, type_registry& types, const sql_config& config,
             const client_link& client, const httpd::loop_services& services,
             httpd::responder done)
      : call_(std::move(call)), lease_(std::move(lease)), pool_(pool), types_(types),
        db_(database_key(call_.info)), client_(client), services_(services),
        done_(std::move(done)), pg_(std::move(pg)), watch_(services.io) {
    const query_spec& spec = call_.body.queries[0];
    options_.raw = call_.flags.raw;
    options_.array_mode = spec.array_mode.value_or(call_.flags.array_mode);
    options_.max_response_bytes = config.max_response_bytes;
    options_.pipelined_reset = true;
    resolve_ = [this](const std::vector<Oid>& oids, std::vector<type_conv>& convs,
                      PGconn* lookup_on) {
      return types_.resolve(db_, oids,
                            [&](const std::vector<Oid>& missing, std::vector<pg_type_row>& rows) {
                              return lookup_on != nullptr && lookup_types(lookup_on, missing, rows);
                            },
                            convs);
    };
  }
  ~loop_query() { stop_waiting(); }
  loop_query(const loop_query&) = delete;
  loop_query& operator=(const loop_query&) = delete;

  /// Sends the query and waits for it on the loop; `log` is null when requests are not logged.
  void start(std::function<void(int)> log) {
    log_ = std::move(log);
    query_.emplace(lease_->conn, call_.body.queries[0], options_, resolve_, out_);
    client_.on_change([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->check_client();
    });
    arm_watch();
    advance(query_->start());
  }

 private:
  /// Acts on what the query waits for next.
  void advance(async_query::step next) {
    for (;;) {
      switch (next) {
        case async_query::step::done: return complete(query_->take_outcome());
        case async_query::step::finish_blocking:
          return hand_off([self = shared_from_this()] { return self->query_->finish_blocking(); });
        case async_query::step::write: return wait(false);
        // libpq may leave bytes in the socket (it reads at most its buffer): wait_read looks
        // at the socket's level first, so they are not waited for in vain.
        case async_query::step::read: return wait(true);
      }
    }
  }

  void wait(bool read) {
    auto resume = [self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->finished_ || self->handed_off_) return;
      self->advance(self->query_->resume());
    };
    if (read) pg_->wait_read(std::move(resume));
    else pg_->wait_write(std::move(resume));
  }

  void arm_watch() {
    watch_.expires_after(k_client_check);
    watch_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->finished_ || self->handed_off_) return;
      self->check_client();
      if (!self->finished_ && !self->handed_off_) self->arm_watch();
    });
  }

  void check_client() {
    if (finished_ || handed_off_ || !client_.gone()) return;
    PGconn* conn = lease_->conn;
    hand_off([conn] { return cancel_for_gone_client(conn); });
  }

  /// Stops waiting on the loop and runs `step` on a worker, then completes with its outcome.
  void hand_off(std::function<exec_outcome()> step) {
    handed_off_ = true;
    stop_waiting();
    auto job = [self = shared_from_this(), step] {
      exec_outcome outcome = step();
      asio::post(self->services_.io, [self, outcome = std::move(outcome)]() mutable {
        self->complete(std::move(outcome));
      });
    };
    // The pool is full (far beyond any normal load): the step runs here, bounded (2 s at most).
    if (!services_.run_blocking(job)) job();
  }

  /// Cancels the waits. The socket stays registered with the loop (for the connection's
  /// next query here); this query lets go of it before the connection goes back to the pool,
  /// which may close it (let_go()).
  void stop_waiting() {
    watch_.cancel();
    if (pg_) pg_->cancel();
  }

  void let_go() {
    stop_waiting();
    pg_.reset();
  }

  void complete(exec_outcome outcome) {
    if (finished_) return;
    finished_ = true;
    const bool collect = outcome.status == exec_status::ok && outcome.reset_pending;
    if (collect) watch_.cancel();  // the socket is waited on for the reset's results
    else let_go();
    client_.on_change(nullptr);
    const bool cancel = query_ && query_->cancel_wanted();
    query_.reset();  // the connection is blocking again before it goes back to the pool
    http_response r = finish_reply(outcome, std::move(out_), call_, pool_, lease_);
    if (collect) {  // the reply goes out once the reset is in (collect_reset)
      r.after_send = nullptr;
      reply_ = std::move(r);
      return collect_reset();
    }
    if (cancel) {  // cut off (507, bad value) while Postgres may still run it: cancel, drop
      r.after_send = nullptr;
      auto job = [&pool = pool_, lease = lease_] {
        cancel_running(lease->conn);
        pool.release(*lease, false);
      };
      if (!services_.run_blocking(job)) pool_.release(*lease_, false);
    }
    send(std::move(r));
  }

  void send(http_response r) {
    if (log_) log_(r.status);
    auto done = std::move(done_);
    done(std::move(r));
  }

  /// Before the reply: reads the reset that ran behind the query (Postgres ran it right
  /// after the query, so it is in or about to be) on the loop, so that the connection goes
  /// back to idle before the client can send its next request, and without a resetter
  /// thread running a second reset. Past k_client_check the pool's release() takes over.
  /// Then sends the reply.
  void collect_reset() {
    if (reset_given_up_ || lease_->conn == nullptr) return;
    const reset_collect got = try_collect_pipelined_reset(lease_->conn);
    if (got == reset_collect::pending) {
      if (!reset_timer_armed_) {
        reset_timer_armed_ = true;
        watch_.expires_after(k_client_check);
        watch_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
          if (!ec) self->give_reset_to_pool();
        });
      }
      pg_->wait_read([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->collect_reset();
      });
      return;
    }
    reset_given_up_ = true;
    let_go();
    if (got == reset_collect::clean) {
      pool_.release_clean(*lease_);
    } else {  // refused or broken: the pool decides (a full reset by a resetter, or close)
      lease_->reset_pending = false;
      pool_.release(*lease_, PQpipelineStatus(lease_->conn) == PQ_PIPELINE_OFF);
    }
    send(std::move(reply_));
  }

  void give_reset_to_pool() {
    if (reset_given_up_) return;
    reset_given_up_ = true;
    let_go();
    lease_->reset_pending = true;  // release() collects it or hands it to a resetter
    pool_.release(*lease_, true);
    send(std::move(reply_));
  }

  sql_call call_;
  std::shared_ptr<pg_lease> lease_;
  pg_pool& pool_;
  type_registry& types_;
  std::string db_;
  client_link client_;
  const httpd::loop_services& services_;
  httpd::responder done_;
  exec_options options_;
  column_resolver resolve_;
  std::string out_;
  std::function<void(int)> log_;
  std::shared_ptr<pg_watch> pg_;  ///< null once the connection went back (let_go)
  asio::steady_timer watch_;
  std::optional<async_query> query_;  ///< last: it refers to call_, resolve_ and out_
  bool finished_ = false;
  bool handed_off_ = false;
  http_response reply_;  ///< waiting for the reset (collect_reset)
  bool reset_timer_armed_ = false;
  bool reset_given_up_ = false;
};

}  // namespace

bool sql_handler::handle_on_loop(const http_request& request, const client_link& client,
                                 const httpd::loop_services& services, httpd::responder done) {
  const auto started = std::chrono::steady_clock::now();
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (path != "/sql" || request.method != "POST") return false;
  sql_call call;
  http_response bad;
  std::function<void(int)> log;
  if (config_.log_requests) {
    log = [method = request.method, path, started](int status) {
      log_request(method, path, status, started);
    };
  }
  if (!prepare_call(config_, request, call, bad)) {
    if (log) log(bad.status);
    done(std::move(bad));  // the server writes it from the loop, after this call
    return true;
  }
  if (call.body.batch) return false;
  const auto watches = watches_for(services);
  auto lease = std::make_shared<pg_lease>();
  lease->tag = watches.get();  // this loop's connections come back to it first
  if (!pool_.try_acquire_idle(call.info, *lease, lease->tag)) return false;
  auto pg = watch_socket(*watches, lease->conn);
  if (!pg) {  // not expected for a connected socket: the request goes to a worker
    pool_.release(*lease, true);
    return false;
  }
  auto q = std::make_shared<loop_query>(std::move(call), std::move(lease), std::move(pg), pool_,
                                        types_, config_, client, services, std::move(done));
  q->start(std::move(log));
  return true;
}

std::shared_ptr<pg_watch> sql_handler::watch_socket(loop_watches& watches, PGconn* conn) {
  {
    std::lock_guard lock(watches.mu);
    if (const auto it = watches.by_conn.find(conn); it != watches.by_conn.end()) return it->second;
  }
  forget_socket(conn, &watches);  // it was another loop's: registered with one at a time
  auto pg = std::make_shared<pg_watch>(*watches.io, PQsocket(conn));
  if (!pg->ok()) return nullptr;
  std::lock_guard lock(watches.mu);
  if (watches.dead) return nullptr;
  watches.by_conn[conn] = pg;
  return pg;
}

http_response sql_handler::handle_sql(const http_request& request, const client_link& client) {
  sql_call call;
  http_response bad;
  if (!prepare_call(config_, request, call, bad)) return bad;
  auto lease = std::make_shared<pg_lease>();
  sql_error connect_failure;
  if (!pool_.acquire(call.info, *lease, connect_failure)) return error_response(connect_failure);
  // Blocking I/O here: a loop that has the socket registered would be woken for nothing.
  forget_socket(lease->conn, nullptr);
  // A single query has the pool's reset pipelined right behind it; a batch runs its statements
  // one by one and has the reset behind its COMMIT (the transaction must end before it).
  const request_context ctx{call.flags, call.info, types_, client, config_.max_response_bytes,
                            !call.body.batch};
  std::string out;
  const exec_outcome outcome = call.body.batch
                                   ? run_batch(ctx, lease->conn, call.body, out)
                                   : run_one(ctx, lease->conn, call.body.queries[0], out);
  return finish_reply(outcome, std::move(out), call, pool_, std::move(lease));
}

}  // namespace edgefn::gateway
