#include "gateway/pg_exec.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "base/json_writer.h"
#include "gateway/pg_pool.h"
#include "gateway/wire_meter.h"

namespace edgefn::gateway {
namespace {

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

result_ptr wrap(PGresult* r) { return result_ptr(r, &PQclear); }

constexpr const char* k_too_large = "response is too large (max is 10485760 bytes)";

/// The protocol bytes one query may read before it is cut off with 507. Counting starts after
/// the query's first read that leaves a result incomplete: most results arrive whole in one
/// read and then cost no syscalls for the count (tcp_bytes_read is two). The uncounted read is
/// at most libpq's input buffer, which only grows to hold a message this connection was
/// allowed to read. Every later read is checked before libpq parses it: once libpq has seen a
/// huge DataRow's length it enlarges its buffer to hold it and one PQconsumeInput reads for as
/// long as data keeps arriving, and parsing would copy the whole row into a PGresult.
struct wire_budget {
  int fd = -1;
  std::uint64_t limit = 0;
  bool started = false;
  std::optional<std::uint64_t> start;  ///< bytes read off the socket when counting began

  /// Starts counting, once: called when a read left a result incomplete.
  void begin() {
    if (started) return;
    started = true;
    start = tcp_bytes_read(fd);
  }

  /// Whether the reads since begin() went past the limit (false before begin()).
  [[nodiscard]] bool exceeded() const {
    if (!start) return false;
    const auto now = tcp_bytes_read(fd);
    return now && *now > *start && *now - *start > limit;
  }
};

/// Why next_result returned.
enum class wait_end { result, client_gone, too_large };

/// Waits for the next result; returns null with `end` set if the client left or the query
/// read past its wire budget.
PGresult* next_result(PGconn* conn, const client_link& client, wire_budget& budget,
                      wait_end& end) {
  while (PQisBusy(conn) != 0) {
    pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {client.fd(), client.poll_events(), 0}};
    const int n = ::poll(fds, 2, 1000);
    if (n < 0) continue;
    // A half-close is not a disconnect (the client may still read the reply): gone() tells.
    if ((n == 0 || fds[1].revents != 0) && client.gone()) {
      end = wait_end::client_gone;
      return nullptr;
    }
    if (fds[0].revents == 0) continue;
    if (PQconsumeInput(conn) == 0) break;
    // Before PQisBusy parses what was read (see wire_budget).
    if (budget.exceeded()) {
      end = wait_end::too_large;
      return nullptr;
    }
    // Counted only once a result is incomplete: one that arrived whole costs nothing.
    if (PQisBusy(conn) != 0) budget.begin();
  }
  return PQgetResult(conn);
}

/// Asks Postgres to cancel the running query (the connection is dropped after this).
void send_cancel(PGconn* conn) {
  if (PGcancel* cancel = PQgetCancel(conn)) {
    char err[256];
    (void)PQcancel(cancel, err, sizeof err);
    PQfreeCancel(cancel);
  }
}

/// Sends a cancel request and drains what is left (bounded); the connection is then dropped.
void abort_query(PGconn* conn) {
  send_cancel(conn);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    while (PQisBusy(conn) != 0 && std::chrono::steady_clock::now() < deadline) {
      pollfd p{PQsocket(conn), POLLIN, 0};
      ::poll(&p, 1, 100);
      if (PQconsumeInput(conn) == 0) return;
    }
    if (PQisBusy(conn) != 0) return;
    PGresult* r = PQgetResult(conn);
    if (r == nullptr) return;
    PQclear(r);
  }
}

void append_fields(std::string& out, const PGresult* r) {
  json::writer w(out);
  w.begin_array();
  for (int i = 0; i < PQnfields(r); ++i) {
    w.begin_object();
    w.key("name").string(PQfname(r, i));
    w.key("dataTypeID").integer(PQftype(r, i));
    w.key("tableID").integer(PQftable(r, i));
    w.key("columnID").integer(PQftablecol(r, i));
    w.key("dataTypeSize").integer(PQfsize(r, i));
    w.key("dataTypeModifier").integer(PQfmod(r, i));
    w.key("format").string("text");
    w.end_object();
  }
  w.end_array();
}

/// The streaming state of one query's JSON object.
struct row_writer {
  const exec_options& options;
  std::string& out;
  std::vector<type_conv> convs;
  bool header_done = false;
  std::size_t rows = 0;

  std::vector<Oid> oids;

  /// Writes the head; false when some column types are not known yet (see resolve_now).
  bool begin(const PGresult* r, const column_resolver& resolve) {
    header_done = true;
    out += "{\"fields\":";
    append_fields(out, r);
    out += ",\"rows\":[";
    if (options.raw || PQnfields(r) == 0) return true;
    for (int i = 0; i < PQnfields(r); ++i) oids.push_back(PQftype(r, i));
    return resolve(oids, convs, nullptr);
  }

  /// Looks the unknown column types up on `conn` (idle now); false on failure.
  bool resolve_now(const column_resolver& resolve, PGconn* conn) {
    return resolve(oids, convs, conn);
  }

  void append_name(int col, const PGresult* r) {
    json::append_string(out, PQfname(r, col));
    out += ':';
  }

  /// Appends every row of `r`; false when a value can't be converted.
  bool append_rows(const PGresult* r) {
    for (int row = 0; row < PQntuples(r); ++row) {
      if (rows++ != 0) out += ',';
      out += options.array_mode ? '[' : '{';
      for (int col = 0; col < PQnfields(r); ++col) {
        if (col != 0) out += ',';
        if (!options.array_mode) append_name(col, r);
        if (!append_value(r, row, col)) return false;
      }
      out += options.array_mode ? ']' : '}';
    }
    return true;
  }

  bool append_value(const PGresult* r, int row, int col) {
    if (PQgetisnull(r, row, col) != 0) {
      out += "null";
      return true;
    }
    const std::string_view text(PQgetvalue(r, row, col),
                                static_cast<std::size_t>(PQgetlength(r, row, col)));
    if (options.raw) {
      json::append_string(out, text);
      return true;
    }
    return append_converted(out, text, convs[static_cast<std::size_t>(col)]);
  }

  void finish(const char* tag) {
    const std::string_view t = tag ? tag : "";
    const std::string_view command = t.substr(0, t.find(' '));
    out += "],\"command\":";
    json::append_string(out, command);
    out += ",\"rowCount\":";
    append_row_count(t);
    out += options.array_mode ? ",\"rowAsArray\":true}" : ",\"rowAsArray\":false}";
  }

  void append_row_count(std::string_view tag) {
    std::vector<std::string_view> tokens;
    while (!tag.empty()) {
      const auto sp = tag.find(' ');
      tokens.push_back(tag.substr(0, sp));
      tag = sp == std::string_view::npos ? std::string_view{} : tag.substr(sp + 1);
    }
    const std::size_t index = !tokens.empty() && tokens[0] == "INSERT" ? 2 : 1;
    std::uint64_t n = 0;
    if (index < tokens.size()) {
      const auto tok = tokens[index];
      const auto [end, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), n);
      if (ec == std::errc() && end == tok.data() + tok.size()) {
        json::append_int(out, static_cast<std::int64_t>(n));
        return;
      }
    }
    out += "null";
  }
};

exec_outcome broken(sql_error e) { return {exec_status::broken, std::move(e)}; }

/// libpq's own error: the connection was lost (503, retry) or something else failed (500).
sql_error libpq_error(PGconn* conn) {
  std::string msg = PQerrorMessage(conn);
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  if (PQstatus(conn) != CONNECTION_OK) {
    return unavailable_error(msg.empty() ? "connection to postgres was lost" : msg);
  }
  return proxy_error(500, msg.empty() ? "connection to postgres failed" : msg);
}

/// The parameter arrays for libpq. Text format, except that a value holding a NUL byte (which
/// a C string cannot carry) goes in binary format with its length: Postgres then validates it
/// and answers 22021 just as it does for the text bytes Neon sends.
struct param_arrays {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  bool any_binary = false;
};

param_arrays param_pointers(const query_spec& spec) {
  param_arrays a;
  for (const auto& p : spec.params) {
    a.values.push_back(p ? p->c_str() : nullptr);
    const bool binary = p && p->find('\0') != std::string::npos;
    a.lengths.push_back(p ? static_cast<int>(p->size()) : 0);
    a.formats.push_back(binary ? 1 : 0);
    a.any_binary = a.any_binary || binary;
  }
  return a;
}

}  // namespace

namespace {

/// Holds back partial TCP segments on `fd` while alive, then sends what was written as one:
/// libpq flushes at each pipeline Sync, and each loopback send costs the sender the
/// receiver's side of TCP too (a few µs each on this kind of machine).
class tcp_cork {
 public:
  explicit tcp_cork(int fd) : fd_(fd) { set(1); }
  ~tcp_cork() { set(0); }
  tcp_cork(const tcp_cork&) = delete;
  tcp_cork& operator=(const tcp_cork&) = delete;

 private:
  void set(int on) const { (void)::setsockopt(fd_, IPPROTO_TCP, TCP_CORK, &on, sizeof on); }
  int fd_;
};

/// Sends the query: extended protocol, unnamed statement, no parameter types, text results;
/// with `with_reset`, in pipeline mode: the query, its Sync, then the pool's reset, in one
/// TCP segment when they fit.
bool send_query(PGconn* conn, const query_spec& spec, bool with_reset) {
  if (with_reset && PQenterPipelineMode(conn) == 0) return false;
  std::optional<tcp_cork> cork;
  if (with_reset) cork.emplace(PQsocket(conn));
  const param_arrays params = param_pointers(spec);
  const bool binary = params.any_binary;
  if (PQsendQueryParams(conn, spec.query.c_str(), static_cast<int>(params.values.size()), nullptr,
                        params.values.data(), binary ? params.lengths.data() : nullptr,
                        binary ? params.formats.data() : nullptr, 0) == 0) {
    return false;
  }
  (void)PQsetSingleRowMode(conn);
  return !with_reset || (PQpipelineSync(conn) == 1 && send_pipelined_reset(conn));
}

/// Consumes the results of one query, streaming rows into the writer.
class result_reader {
 public:
  result_reader(PGconn* conn, const exec_options& options, const column_resolver& resolve,
                std::string& out)
      : conn_(conn), options_(options), resolve_(resolve), writer_{options, out, {}, false, 0, {}} {}

  /// Handles one result; returns an outcome when the query must stop right away (the
  /// connection is then unusable).
  std::optional<exec_outcome> on_result(result_ptr r) {
    const ExecStatusType st = PQresultStatus(r.get());
    if (failure_) return std::nullopt;  // drain what follows an error
    switch (st) {
      case PGRES_FATAL_ERROR:
        failure_ = exec_outcome{exec_status::failed, query_error(r.get(), conn_)};
        return std::nullopt;
      case PGRES_SINGLE_TUPLE:
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK: return on_rows(std::move(r), st);
      case PGRES_EMPTY_QUERY:
        if (!writer_.header_done) (void)writer_.begin(r.get(), resolve_);
        return std::nullopt;
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:  // libpq would hand out the COPY state forever
        return abort_with(proxy_error(500, "COPY is not supported"), false);
      default:
        failure_ = broken(libpq_error(conn_));
        return std::nullopt;
    }
  }

  /// The outcome once libpq has no more results.
  exec_outcome finish() {
    if (!failure_ && PQstatus(conn_) != CONNECTION_OK) failure_ = broken(libpq_error(conn_));
    if (!failure_ && !writer_.header_done) failure_ = broken(proxy_error(500, "no result"));
    if (!failure_ && types_pending_ && options_.pipelined_reset) {
      // The lookup cannot run in a pipeline: the reset's results first (if it failed, the
      // connection gets a full reset on release, or the lookup fails and it is dropped).
      reset_collected_ = true;
      (void)collect_pipelined_reset(conn_);
    }
    if (!failure_ && types_pending_) append_deferred();
    if (failure_) {
      if (PQstatus(conn_) != CONNECTION_OK) failure_->status = exec_status::broken;
      return std::move(*failure_);
    }
    writer_.finish(tag_.c_str());
    return {exec_status::ok, {}, options_.pipelined_reset && !reset_collected_};
  }

 private:
  std::optional<exec_outcome> on_rows(result_ptr r, ExecStatusType st) {
    if (!writer_.header_done) types_pending_ = !writer_.begin(r.get(), resolve_);
    if (st != PGRES_SINGLE_TUPLE) tag_ = PQcmdStatus(r.get());
    if (types_pending_) {
      if (PQntuples(r.get()) > 0) deferred_.push_back(std::move(r));
      return std::nullopt;
    }
    return append(r.get(), true);
  }

  /// Appends a result's rows; stops at a value that can't be converted or past the limit.
  std::optional<exec_outcome> append(const PGresult* r, bool running) {
    if (!writer_.append_rows(r)) {
      return abort_with(proxy_error(500, "could not parse postgres response"), running);
    }
    if (writer_.out.size() > options_.max_response_bytes) {
      return abort_with(proxy_error(507, k_too_large), running);
    }
    return std::nullopt;
  }

  /// The query is over: looks the column types up on this connection, then writes the rows.
  void append_deferred() {
    if (!writer_.resolve_now(resolve_, conn_)) {
      failure_ = broken(PQstatus(conn_) != CONNECTION_OK
                            ? libpq_error(conn_)
                            : proxy_error(500, "could not look up postgres types"));
    }
    for (std::size_t i = 0; !failure_ && i < deferred_.size(); ++i) {
      if (auto stop = append(deferred_[i].get(), false)) failure_ = std::move(*stop);
    }
    deferred_.clear();
  }

  /// Stops the query (a cancel if it still runs; no drain: the connection is dropped). With
  /// defer_cancel the cancel is left to the caller (cancel_wanted()): it blocks.
  std::optional<exec_outcome> abort_with(sql_error e, bool cancel) {
    if (cancel && defer_cancel_) cancel_wanted_ = true;
    else if (cancel) send_cancel(conn_);
    return broken(std::move(e));
  }

 public:
  /// The event loop's reader: aborts only note that a cancel is wanted.
  void defer_cancel() { defer_cancel_ = true; }
  void want_cancel() { cancel_wanted_ = true; }
  [[nodiscard]] bool cancel_wanted() const { return cancel_wanted_; }
  /// True once the query is over when finish() would have to look column types up (blocks).
  [[nodiscard]] bool finish_blocks() const { return !failure_ && types_pending_; }

 private:
  bool defer_cancel_ = false;
  bool cancel_wanted_ = false;

  PGconn* conn_;
  const exec_options& options_;
  const column_resolver& resolve_;
  row_writer writer_;
  std::optional<exec_outcome> failure_;
  std::string tag_;
  bool types_pending_ = false;
  bool reset_collected_ = false;
  std::vector<result_ptr> deferred_;  ///< rows waiting for their column types
};

}  // namespace

exec_outcome run_query(PGconn* conn, const query_spec& spec, const exec_options& options,
                       const column_resolver& resolve, const client_link& client,
                       std::string& out) {
  const std::size_t start = out.size();
  if (!send_query(conn, spec, options.pipelined_reset)) return broken(libpq_error(conn));
  const std::uint64_t remaining =
      options.max_response_bytes > start ? options.max_response_bytes - start : 0;
  wire_budget budget{PQsocket(conn), 3 * remaining + 64 * 1024, false, std::nullopt};
  result_reader reader(conn, options, resolve, out);
  for (;;) {
    wait_end end = wait_end::result;
    result_ptr r = wrap(next_result(conn, client, budget, end));
    if (end == wait_end::client_gone) {
      abort_query(conn);
      out.resize(start);
      return broken(postgres_error_fields(400, "Query cancelled, connection was terminated",
                                          "08P01", "ERROR"));
    }
    if (end == wait_end::too_large) {
      send_cancel(conn);
      out.resize(start);
      return broken(proxy_error(507, k_too_large));
    }
    if (!r) break;
    if (auto stop = reader.on_result(std::move(r))) {
      out.resize(start);
      return std::move(*stop);
    }
  }
  exec_outcome outcome = reader.finish();
  if (outcome.status != exec_status::ok) out.resize(start);
  return outcome;
}

struct async_query::state {
  state(PGconn* c, const query_spec& sp, const exec_options& o, const column_resolver& r,
        std::string& into)
      : conn(c), spec(sp), options(o), start(into.size()), out(into), reader(c, options, r, into) {}
  PGconn* conn;
  const query_spec& spec;
  exec_options options;
  std::size_t start;
  std::string& out;
  result_reader reader;
  wire_budget budget;
  exec_outcome outcome;
  bool flushing = false;
};

async_query::async_query(PGconn* conn, const query_spec& spec, const exec_options& options,
                         const column_resolver& resolve, std::string& out)
    : s_(std::make_unique<state>(conn, spec, options, resolve, out)) {
  s_->reader.defer_cancel();
}

async_query::~async_query() {
  if (s_->conn != nullptr) (void)PQsetnonblocking(s_->conn, 0);
}

async_query::step async_query::fail(exec_outcome outcome) {
  s_->out.resize(s_->start);
  s_->outcome = std::move(outcome);
  return step::done;
}

async_query::step async_query::start() {
  state& st = *s_;
  if (PQsetnonblocking(st.conn, 1) != 0 || !send_query(st.conn, st.spec, st.options.pipelined_reset)) {
    return fail(broken(libpq_error(st.conn)));
  }
  const std::uint64_t remaining =
      st.options.max_response_bytes > st.start ? st.options.max_response_bytes - st.start : 0;
  st.budget = wire_budget{PQsocket(st.conn), 3 * remaining + 64 * 1024, false, std::nullopt};
  st.flushing = true;
  return flush();
}

async_query::step async_query::flush() {
  const int left = PQflush(s_->conn);
  if (left < 0) return fail(broken(libpq_error(s_->conn)));
  if (left > 0) return step::write;
  s_->flushing = false;
  return step::read;
}

async_query::step async_query::resume() {
  state& st = *s_;
  if (st.flushing) {
    if (const step next = flush(); next != step::read) return next;
  }
  if (PQconsumeInput(st.conn) == 0) return drained();
  // Checked before PQisBusy parses what was read, and counted only once a result is
  // incomplete, as run_query does (see wire_budget).
  if (st.budget.exceeded()) {
    st.reader.want_cancel();
    return fail(broken(proxy_error(507, k_too_large)));
  }
  for (;;) {
    if (PQisBusy(st.conn) != 0) {
      st.budget.begin();
      return step::read;
    }
    result_ptr r = wrap(PQgetResult(st.conn));
    if (!r) return drained();
    if (auto stop = st.reader.on_result(std::move(r))) return fail(std::move(*stop));
  }
}

async_query::step async_query::drained() {
  if (s_->reader.finish_blocks()) return step::finish_blocking;
  exec_outcome outcome = s_->reader.finish();
  if (outcome.status != exec_status::ok) return fail(std::move(outcome));
  s_->outcome = std::move(outcome);
  return step::done;
}

exec_outcome async_query::finish_blocking() {
  (void)PQsetnonblocking(s_->conn, 0);
  exec_outcome outcome = s_->reader.finish();
  if (outcome.status != exec_status::ok) s_->out.resize(s_->start);
  return outcome;
}

exec_outcome async_query::take_outcome() { return std::move(s_->outcome); }

bool async_query::cancel_wanted() const { return s_->reader.cancel_wanted(); }

int async_query::socket() const { return PQsocket(s_->conn); }

exec_outcome cancel_for_gone_client(PGconn* conn) {
  (void)PQsetnonblocking(conn, 0);
  abort_query(conn);
  return broken(postgres_error_fields(400, "Query cancelled, connection was terminated", "08P01",
                                      "ERROR"));
}

void cancel_running(PGconn* conn) { send_cancel(conn); }

namespace {

/// The outcome of a control statement's result.
exec_outcome control_outcome(PGconn* conn, const result_ptr& r) {
  if (r && PQresultStatus(r.get()) == PGRES_COMMAND_OK) return {};
  if (r && PQresultStatus(r.get()) == PGRES_FATAL_ERROR &&
      PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) != nullptr) {
    return {exec_status::failed, query_error(r.get(), conn)};
  }
  return broken(libpq_error(conn));
}

}  // namespace

exec_outcome run_control(PGconn* conn, const char* sql) {
  return control_outcome(conn, wrap(PQexec(conn, sql)));
}

exec_outcome run_control_with_reset(PGconn* conn, const char* sql) {
  if (PQenterPipelineMode(conn) == 0) return broken(libpq_error(conn));
  {
    const tcp_cork cork(PQsocket(conn));
    if (PQsendQueryParams(conn, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 0 ||
        PQpipelineSync(conn) == 0 || !send_pipelined_reset(conn)) {
      return broken(libpq_error(conn));
    }
  }
  exec_outcome outcome = control_outcome(conn, wrap(PQgetResult(conn)));
  // The statement's results end with a null (the reset's follow, for collect_pipelined_reset).
  if (outcome.status == exec_status::ok && PQgetResult(conn) != nullptr) {
    return broken(proxy_error(500, "unexpected result"));
  }
  // A failure leaves the connection in pipeline mode with results pending: not even a
  // ROLLBACK can run on it, so it is dropped (as after any failed batch).
  if (outcome.status == exec_status::failed) outcome.status = exec_status::broken;
  outcome.reset_pending = outcome.status == exec_status::ok;
  return outcome;
}

}  // namespace edgefn::gateway
