#include "gateway/pg_pool.h"

#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "gateway/pg_errors.h"

namespace edgefn::gateway {
namespace {

std::string sha256_hex(std::string_view s) {
  // Fetched once: EVP_sha256() makes every EVP_Digest look the algorithm up in the providers
  // again (OpenSSL 3), a visible part of the gateway's CPU per request (pool_key).
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), digest, &len, sha256 != nullptr ? sha256 : EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xF];
  }
  return out;
}

/// The server's message from a libpq connection failure ("FATAL:  …" line), or the text.
std::string server_message(std::string_view text, std::string& severity) {
  for (std::string_view level : {"FATAL:  ", "ERROR:  "}) {
    const auto at = text.find(level);
    if (at == std::string_view::npos) continue;
    severity = std::string(level.substr(0, level.find(':')));
    std::string_view rest = text.substr(at + level.size());
    return std::string(rest.substr(0, rest.find('\n')));
  }
  std::string_view trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.remove_suffix(1);
  return std::string(trimmed);
}

sql_error connect_error(PGconn* conn, const conn_info& info) {
  std::string severity;
  const std::string msg = server_message(PQerrorMessage(conn), severity);
  if (msg.find("password authentication failed") != std::string::npos ||
      msg.find("no password supplied") != std::string::npos) {
    return proxy_error(400, "password authentication failed for user '" + info.user + "'");
  }
  if (msg.starts_with("database \"") && msg.ends_with("\" does not exist")) {
    return postgres_error_fields(400, msg, "3D000", severity);
  }
  if (msg.starts_with("role \"") && msg.ends_with("\" does not exist")) {
    return postgres_error_fields(400, msg, "28000", severity);
  }
  if (const std::string code = connect_failure_sqlstate(msg); !code.empty()) {
    return unavailable_error(msg, code, severity.empty() ? "FATAL" : severity);
  }
  if (!severity.empty()) return postgres_error_fields(500, msg, "", severity);
  // No message from Postgres: refused, unreachable, timed out, closed while starting.
  return unavailable_error("could not connect to postgres: " + msg);
}

void ignore_notice(void*, const char*) {}

/// True when an idle connection still looks alive: a reset, idle connection has nothing to
/// read, so anything readable (EOF, a FATAL error from a terminated backend) means dead.
bool looks_alive(PGconn* conn) {
  if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE) return false;
  pollfd p{PQsocket(conn), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

}  // namespace

bool send_pipelined_reset(PGconn* conn) {
  return PQsendQueryParams(conn, k_reset_sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
         PQpipelineSync(conn) == 1;
}

namespace {

/// The body of collect_pipelined_reset / try_collect_pipelined_reset: with `wait` false it
/// returns `pending` instead of blocking on input that has not arrived. Resumable: a call
/// after `pending` goes on where the last one stopped (it counts nothing across calls; libpq
/// leaves pipeline mode only once every queued result was read).
reset_collect collect_reset(PGconn* conn, bool wait) {
  // Left: the query's Sync, the reset's result and its end (null), the reset's Sync.
  bool ok = true;
  int nulls = 0;
  for (;;) {
    if (!wait && PQisBusy(conn) == 1) {
      if (PQconsumeInput(conn) == 0) return reset_collect::failed;
      if (PQisBusy(conn) == 1) return reset_collect::pending;
    }
    PGresult* r = PQgetResult(conn);
    if (r == nullptr) {
      if (PQstatus(conn) != CONNECTION_OK) return reset_collect::failed;
      // All read: the reset ran (a refused one leaves its transaction open or failed).
      if (PQexitPipelineMode(conn) == 1) {
        const bool clean = ok && PQtransactionStatus(conn) == PQTRANS_IDLE;
        return clean ? reset_collect::clean : reset_collect::failed;
      }
      // A null ends one statement's results; two in a row: nothing more will come.
      if (++nulls > 1) return reset_collect::failed;
      continue;
    }
    nulls = 0;
    const ExecStatusType st = PQresultStatus(r);
    PQclear(r);
    if (st != PGRES_PIPELINE_SYNC && st != PGRES_COMMAND_OK) ok = false;  // refused, aborted
  }
}

/// Reads and drops whatever a pipeline still holds, then leaves pipeline mode (blocking).
/// False when the connection broke.
bool drain_pipeline(PGconn* conn) {
  int nulls = 0;
  while (PQpipelineStatus(conn) != PQ_PIPELINE_OFF) {
    PGresult* r = PQgetResult(conn);
    if (r != nullptr) {
      nulls = 0;
      PQclear(r);
    } else if (PQexitPipelineMode(conn) != 1 &&
               (++nulls > 2 || PQstatus(conn) != CONNECTION_OK)) {
      return false;
    }
  }
  return PQstatus(conn) == CONNECTION_OK;
}

}  // namespace

bool collect_pipelined_reset(PGconn* conn) {
  return collect_reset(conn, true) == reset_collect::clean;
}

reset_collect try_collect_pipelined_reset(PGconn* conn) { return collect_reset(conn, false); }

std::string pool_key(const conn_info& info) {
  std::string key = info.host;
  for (const std::string* part : {&info.port, &info.database, &info.user}) {
    key += '\0';
    key += *part;
  }
  key += '\0';
  key += sha256_hex(info.password);
  return key;
}

std::string database_key(const conn_info& info) {
  return info.host + '\0' + info.port + '\0' + info.database;
}

pg_pool::pg_pool(pool_config config) : config_(config) {
  config_.max_connections_per_key = std::max<std::size_t>(config_.max_connections_per_key, 1);
  janitor_ = std::thread([this] { janitor(); });
  for (int i = 0; i < 2; ++i) resetters_.emplace_back([this] { resetter(); });
}

pg_pool::~pg_pool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  slot_cv_.notify_all();
  stop_cv_.notify_all();
  janitor_.join();
  for (auto& t : resetters_) t.join();
  for (auto& [conn, key] : dirty_) finish(conn);
  for (auto& [key, conns] : idle_) {
    for (auto& c : conns) finish(c.conn);
  }
}

void pg_pool::on_close(std::function<void(PGconn*)> hook) {
  std::lock_guard lock(hook_mu_);
  on_close_ = std::move(hook);
}

void pg_pool::finish(PGconn* conn) {
  if (conn == nullptr) return;
  {
    std::lock_guard lock(hook_mu_);
    if (on_close_) on_close_(conn);
  }
  PQfinish(conn);
}

void pg_pool::notify_waiters_locked() {
  if (!waiting_.empty()) slot_cv_.notify_all();
}

void pg_pool::close(PGconn* conn, const std::string& key) {
  finish(conn);
  std::lock_guard lock(mu_);
  auto it = open_.find(key);
  if (it != open_.end() && --it->second == 0) open_.erase(it);
  notify_waiters_locked();
}

bool pg_pool::take_locked(const std::string& key, slot& got) {
  if (auto it = idle_.find(key); it != idle_.end() && !it->second.empty()) {
    got = {it->second.back().conn, false};
    it->second.pop_back();
    return true;
  }
  for (auto it = dirty_.rbegin(); it != dirty_.rend(); ++it) {
    if (it->second != key) continue;
    got = {it->first, true};
    dirty_.erase(std::next(it).base());
    return true;
  }
  std::size_t& open = open_[key];
  if (open >= config_.max_connections_per_key) return false;
  ++open;  // reserved: the caller opens it or gives the slot back with close(nullptr, key)
  got = {nullptr, false};
  return true;
}

bool pg_pool::wait_for_slot(const std::string& key, std::chrono::steady_clock::time_point deadline,
                            slot& got) {
  std::unique_lock lock(mu_);
  if (stopping_) return false;
  // Nobody in line for this key: no ticket, no wait, no wakeups.
  if (!waiting_.contains(key) && take_locked(key, got)) return true;
  auto& queue = waiting_[key];
  const std::uint64_t ticket = next_ticket_++;
  queue.push_back(ticket);
  const bool ok = slot_cv_.wait_until(lock, deadline, [&] {
    return stopping_ || (queue.front() == ticket && take_locked(key, got));
  });
  std::erase(queue, ticket);
  if (queue.empty()) waiting_.erase(key);
  else slot_cv_.notify_all();  // the next in line may go now
  return ok && !stopping_;
}

PGconn* pg_pool::open(const conn_info& info, sql_error& error) {
  const std::string timeout = std::to_string(config_.connect_timeout.count());
  const char* keys[] = {"host",     "port",            "dbname",           "user",
                        "password", "connect_timeout", "client_encoding",  "application_name",
                        nullptr};
  const char* values[] = {info.host.c_str(),
                          info.port.empty() ? nullptr : info.port.c_str(),
                          info.database.c_str(),
                          info.user.c_str(),
                          info.password.c_str(),
                          timeout.c_str(),
                          "UTF8",
                          config_.application_name.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 0);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    error = conn ? connect_error(conn, info) : proxy_error(500, "out of memory");
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  // A fixed receive buffer: with autotuning (tcp_rmem up to 32 MiB here) one read could take
  // that much of a huge row before run_query's wire budget is checked again.
  const int rcvbuf = 1 << 20;
  (void)::setsockopt(PQsocket(conn), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  return conn;
}

bool pg_pool::acquire(const conn_info& info, pg_lease& lease, sql_error& error) {
  lease.key = pool_key(info);
  const auto deadline = std::chrono::steady_clock::now() + config_.acquire_timeout;
  for (;;) {
    slot got;
    if (!wait_for_slot(lease.key, deadline, got)) {
      error = unavailable_error("too many concurrent queries for this database and user (" +
                                std::to_string(config_.max_connections_per_key) +
                                " connections busy); retry later");
      return false;
    }
    if (got.conn == nullptr) {
      lease.conn = open(info, error);
      lease.reused = false;
      if (lease.conn == nullptr) close(nullptr, lease.key);
      return lease.conn != nullptr;
    }
    // A pooled one: an idle connection may have died, a dirty one is reset here and now.
    if (got.dirty ? reset(got.conn) : looks_alive(got.conn)) {
      lease.conn = got.conn;
      lease.reused = true;
      return true;
    }
    close(got.conn, lease.key);
  }
}

bool pg_pool::try_acquire_idle(const conn_info& info, pg_lease& lease, const void* prefer) {
  lease.key = pool_key(info);
  for (;;) {
    PGconn* conn = nullptr;
    {
      std::lock_guard lock(mu_);
      // Requests in line go first (FIFO): this one joins them through acquire().
      if (stopping_ || waiting_.contains(lease.key)) return false;
      const auto it = idle_.find(lease.key);
      if (it == idle_.end() || it->second.empty()) return false;
      auto& conns = it->second;
      auto pick = std::prev(conns.end());
      if (prefer != nullptr) {
        const auto mine = std::find_if(conns.rbegin(), conns.rend(),
                                       [&](const idle_conn& c) { return c.tag == prefer; });
        if (mine != conns.rend()) pick = std::prev(mine.base());
      }
      conn = pick->conn;
      conns.erase(pick);
    }
    if (looks_alive(conn)) {
      lease.conn = conn;
      lease.reused = true;
      return true;
    }
    close(conn, lease.key);
  }
}

void pg_pool::release(pg_lease& lease, bool reusable) {
  PGconn* conn = std::exchange(lease.conn, nullptr);
  const bool reset_sent = std::exchange(lease.reset_pending, false);
  if (conn == nullptr) return;
  // The reset ran behind the query: its results are (almost always) in already, so the
  // connection goes straight back to idle, with no hand-off to a resetter.
  // It runs on the HTTP server's event loop (after_send), so it must not block: a reset whose
  // results are not all in goes to a resetter, which drains the pipeline (reset()).
  if (reusable && reset_sent) {
    const reset_collect got = try_collect_pipelined_reset(conn);
    if (got == reset_collect::clean) return keep(conn, lease.key, lease.tag);
    if (got == reset_collect::failed && PQpipelineStatus(conn) != PQ_PIPELINE_OFF) {
      reusable = false;  // broken mid-pipeline
    }
  }
  if (reusable && PQstatus(conn) == CONNECTION_OK) {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      dirty_.emplace_back(conn, lease.key);
      work_cv_.notify_one();
      notify_waiters_locked();  // a waiter may take it and reset it itself
      return;
    }
  }
  close(conn, lease.key);
}

void pg_pool::release_clean(pg_lease& lease) {
  lease.reset_pending = false;
  if (PGconn* conn = std::exchange(lease.conn, nullptr)) keep(conn, lease.key, lease.tag);
}

void pg_pool::resetter() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !dirty_.empty(); });
    if (stopping_) return;
    auto [conn, key] = std::move(dirty_.back());
    dirty_.pop_back();
    lock.unlock();
    if (reset(conn)) keep(conn, key);
    else close(conn, key);
    lock.lock();
  }
}

bool pg_pool::reset(PGconn* conn) {
  // A pipelined reset still in flight (release() did not wait for it): its answer decides
  // nothing here, the full reset below runs anyway.
  if (PQpipelineStatus(conn) != PQ_PIPELINE_OFF && !drain_pipeline(conn)) return false;
  if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
    PGresult* rollback = PQexec(conn, k_rollback_sql);
    const bool rolled_back = PQresultStatus(rollback) == PGRES_COMMAND_OK;
    PQclear(rollback);
    if (!rolled_back) return false;
  }
  PGresult* r = PQexec(conn, k_reset_sql);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
  PQclear(r);
  return ok;
}

void pg_pool::keep(PGconn* conn, const std::string& key, const void* tag) {
  {
    std::lock_guard lock(mu_);
    auto& conns = idle_[key];
    if (conns.size() < config_.max_idle_per_key && !stopping_) {
      conns.push_back({conn, std::chrono::steady_clock::now(), tag});
      notify_waiters_locked();
      return;
    }
  }
  close(conn, key);
}

std::size_t pg_pool::idle_count() {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [key, conns] : idle_) n += conns.size();
  return n;
}

std::size_t pg_pool::open_count() {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [key, count] : open_) n += count;
  return n;
}

void pg_pool::janitor() {
  std::unique_lock lock(mu_);
  const auto period = std::clamp<std::chrono::steady_clock::duration>(
      config_.idle_timeout / 2, std::chrono::milliseconds(100), std::chrono::seconds(5));
  auto next = std::chrono::steady_clock::now();
  while (!stopping_) {
    next += period;
    if (stop_cv_.wait_until(lock, next, [this] { return stopping_; })) break;
    lock.unlock();
    sweep();
    lock.lock();
  }
}

void pg_pool::sweep() {
  std::vector<std::pair<PGconn*, std::string>> expired;
  {
    std::lock_guard lock(mu_);
    const auto cutoff = std::chrono::steady_clock::now() - config_.idle_timeout;
    for (auto it = idle_.begin(); it != idle_.end();) {
      auto& conns = it->second;
      std::erase_if(conns, [&](const idle_conn& c) {
        if (c.since >= cutoff) return false;
        expired.emplace_back(c.conn, it->first);
        return true;
      });
      it = conns.empty() ? idle_.erase(it) : std::next(it);
    }
  }
  for (auto& [conn, key] : expired) close(conn, key);
}

}  // namespace edgefn::gateway
