#pragma once
// Pooled libpq connections, keyed by (host, port, database, user, SHA-256 of the password).
//
// Password check on every request: a request may only reuse a connection that Postgres
// authenticated with the same user and the same password (the key holds a hash of it), so a
// wrong password never rides on another request's session; it opens a new connection and
// Postgres rejects it. (As with Neon, a password changed in Postgres after a connection was
// pooled keeps working on that connection until it idles out.)
//
// Connections are reset when returned, with the same effect as Neon's reset (see k_reset_sql),
// discarded after a failed query or a broken connection, and closed after `idle_timeout` unused.
//
// Bounded: at most `max_connections_per_key` connections are open per key (leased, being reset
// or idle). A request that finds none free waits in a FIFO queue for up to `acquire_timeout`,
// then gets 503 + Retry-After, so a burst of slow queries queues here instead of exhausting
// Postgres's max_connections.

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gateway/conn_string.h"
#include "gateway/error_body.h"

namespace edgefn::gateway {

/// Neon's reset (#12681) is "ROLLBACK; CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL;
/// DEALLOCATE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD
/// SEQUENCES;". Postgres documents DISCARD ALL as exactly that list plus DISCARD PLANS (which
/// only drops cached plans), and runs it as one utility command: pgbench on this machine gave
/// 2,988 tps for `select 1` + Neon's list against 13,059 tps for `select 1` + DISCARD ALL.
/// DISCARD ALL refuses to run inside a transaction block, so an open transaction is rolled
/// back first (k_rollback_sql), as Neon's leading ROLLBACK does.
inline constexpr const char* k_reset_sql = "DISCARD ALL";
inline constexpr const char* k_rollback_sql = "ROLLBACK";

/// Pool limits.
struct pool_config {
  std::size_t max_idle_per_key = 20;                ///< idle connections kept per key
  std::chrono::milliseconds idle_timeout{300000};   ///< idle connections close after this
  std::chrono::seconds connect_timeout{10};
  std::size_t max_connections_per_key = 64;         ///< open (active + idle) per key
  std::chrono::milliseconds acquire_timeout{5000};  ///< longest wait in the queue for one
  /// Postgres's application_name for every connection (pg_stat_activity shows it).
  std::string application_name = "edgefn-gateway";
};

/// A connection checked out of the pool.
struct pg_lease {
  PGconn* conn = nullptr;
  std::string key;
  bool reused = false;
  /// The query ran in pipeline mode with the reset queued behind it (send_pipelined_reset):
  /// release() collects the reset's results instead of handing the connection to a resetter.
  bool reset_pending = false;
  /// Who used it last (e.g. an event loop), kept with it while idle: try_acquire_idle() prefers
  /// a connection with the caller's tag. Never dereferenced by the pool.
  const void* tag = nullptr;
};

/// Queues k_reset_sql behind the query just sent on `conn`, which is in pipeline mode with
/// that query's Sync sent: Postgres runs the reset right after the query, in the same wakeup,
/// and no separate round trip is needed when the connection comes back. False if libpq
/// refused (the connection is then discarded).
[[nodiscard]] bool send_pipelined_reset(PGconn* conn);

/// Reads what send_pipelined_reset left after the query's own results (the query's Sync, the
/// reset's result, its Sync) and leaves pipeline mode. True when the reset succeeded and no
/// transaction is open: the connection is clean. False when the reset failed (e.g. the query
/// opened a transaction, so DISCARD ALL was refused; a full reset() still works if the
/// connection is OK and out of pipeline mode) or the connection broke. Blocks until Postgres
/// answers; it normally has, since the reset ran right after the query.
[[nodiscard]] bool collect_pipelined_reset(PGconn* conn);

/// What try_collect_pipelined_reset found.
enum class reset_collect {
  clean,    ///< the reset succeeded, pipeline mode left, no transaction open
  failed,   ///< the reset was refused (pipeline mode left: reset() works) or the connection broke
  pending,  ///< not all of it has arrived yet; still in pipeline mode (reset() drains it)
};

/// collect_pipelined_reset without blocking: what has arrived is consumed, and `pending` says
/// the rest has not (the caller hands the connection to pg_pool's resetters).
[[nodiscard]] reset_collect try_collect_pipelined_reset(PGconn* conn);

/// A thread-safe pool of libpq connections.
class pg_pool {
 public:
  explicit pg_pool(pool_config config);
  ~pg_pool();
  pg_pool(const pg_pool&) = delete;
  pg_pool& operator=(const pg_pool&) = delete;

  /// An idle connection for `info` or a new one, waiting in line (up to acquire_timeout) while
  /// the key has max_connections_per_key open. Failures become Neon errors: wrong password ->
  /// 400 proxy error, unknown database -> 400 3D000, queue deadline, refused connection or a
  /// Postgres refusal such as 53300/57P03 -> 503 + Retry-After, other FATAL -> 500.
  bool acquire(const conn_info& info, pg_lease& lease, sql_error& error);

  /// An idle connection for `info` without waiting or opening one: false (nothing taken) when
  /// requests are queued for the key or none is idle; the caller then uses acquire(). Never
  /// blocks (for the HTTP server's loop). The most recently used one whose lease carried
  /// `prefer` as its tag is taken first (a loop finds its own connections: their sockets are
  /// registered with it already), else the most recently used one.
  bool try_acquire_idle(const conn_info& info, pg_lease& lease, const void* prefer = nullptr);

  /// Sets what runs with each connection just before the pool closes it, on the closing thread
  /// (e.g. to drop what the caller tied to its socket); null clears it. The pool never calls it
  /// after this returns with null.
  void on_close(std::function<void(PGconn*)> hook);

  /// Returns a connection: when `reusable`, it is reset (k_reset_sql) and then kept; otherwise
  /// (or if the reset fails) it is closed. With `lease.reset_pending` the reset already ran
  /// behind the query and only its results are read, on the caller's thread; otherwise the
  /// connection is queued to be reset by a background thread. A connection is never handed
  /// out before its reset has finished: a request that finds no idle connection resets a
  /// queued one itself rather than open a new one.
  void release(pg_lease& lease, bool reusable);

  /// Returns a connection whose pipelined reset the caller collected as clean
  /// (try_collect_pipelined_reset): it goes straight back to idle. Never blocks.
  void release_clean(pg_lease& lease);

  /// Idle connections currently held (for tests and logs).
  [[nodiscard]] std::size_t idle_count();

  /// Connections open for all keys: leased, being reset or idle (for tests and logs).
  [[nodiscard]] std::size_t open_count();

 private:
  struct idle_conn {
    PGconn* conn;
    std::chrono::steady_clock::time_point since;
    const void* tag = nullptr;  ///< pg_lease::tag when it came back
  };
  /// How a waiter got its turn: a pooled connection (idle or still dirty) or room to open one.
  struct slot {
    PGconn* conn = nullptr;
    bool dirty = false;
  };
  void janitor();
  void resetter();
  void sweep();
  void keep(PGconn* conn, const std::string& key, const void* tag = nullptr);
  void close(PGconn* conn, const std::string& key);
  /// PQfinish after the on_close hook (null: nothing).
  void finish(PGconn* conn);
  bool wait_for_slot(const std::string& key, std::chrono::steady_clock::time_point deadline,
                     slot& got);
  bool take_locked(const std::string& key, slot& got);
  PGconn* open(const conn_info& info, sql_error& error);
  static bool reset(PGconn* conn);

  /// Wakes the waiters for a slot, if any (they are woken only when one may be free).
  void notify_waiters_locked();

  pool_config config_;
  std::mutex mu_;
  // One condition per kind of sleeper, so that a connection coming back wakes only who can
  // use it: every wakeup is a futex call and a context switch on a shared 2-core machine.
  std::condition_variable work_cv_;     ///< resetters: dirty_ not empty, or stopping
  std::condition_variable slot_cv_;     ///< waiters in waiting_: a slot may be free
  std::condition_variable stop_cv_;     ///< the janitor: stopping
  bool stopping_ = false;
  std::map<std::string, std::vector<idle_conn>> idle_;
  std::vector<std::pair<PGconn*, std::string>> dirty_;  ///< waiting for their reset
  std::map<std::string, std::size_t> open_;             ///< open connections per key
  std::map<std::string, std::deque<std::uint64_t>> waiting_;  ///< FIFO of waiter tickets
  std::uint64_t next_ticket_ = 0;
  std::thread janitor_;
  std::vector<std::thread> resetters_;
  std::mutex hook_mu_;  ///< guards on_close_ (held while it runs)
  std::function<void(PGconn*)> on_close_;
};

/// A key for a connection's pool: never contains the password itself.
[[nodiscard]] std::string pool_key(const conn_info& info);

/// A key for a database (type caches): host, port and database.
[[nodiscard]] std::string database_key(const conn_info& info);

}  // namespace edgefn::gateway
