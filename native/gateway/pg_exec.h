#pragma once
// Runs one query on a libpq connection with the extended protocol (unnamed statement, text
// params, no types) and streams its rows into Neon's JSON result object, watching the HTTP
// client so that a disconnect cancels the backend query.

#include <libpq-fe.h>

#include <cstddef>
#include <memory>
#include <string>

#include "gateway/error_body.h"
#include "gateway/http_server.h"
#include "gateway/pg_to_json.h"
#include "gateway/request_body.h"

namespace edgefn::gateway {

/// Output options of one query.
struct exec_options {
  bool raw = false;         ///< Neon-Raw-Text-Output: true
  bool array_mode = false;  ///< the effective array mode
  std::size_t max_response_bytes = 10485760;
  /// Run the query in pipeline mode with the pool's reset queued right behind it
  /// (send_pipelined_reset): one round trip less when the connection goes back to the pool.
  bool pipelined_reset = false;
};

/// How a query ended.
enum class exec_status {
  ok,          ///< the result object was appended
  failed,      ///< `error` holds the reply; the connection is usable for ROLLBACK
  broken,      ///< `error` holds the reply; the connection must be discarded
};

/// The outcome of run_query.
struct exec_outcome {
  exec_status status = exec_status::ok;
  sql_error error;
  /// With exec_options::pipelined_reset: the reset's results are still to be read
  /// (collect_pipelined_reset; pg_pool::release does it for a lease with reset_pending).
  bool reset_pending = false;
};

/// Resolves type conversions for a result's columns (non-raw mode only). With `lookup_on`
/// null only known types are used and false means some must be looked up; otherwise unknown
/// ones are looked up with a query on `lookup_on` (idle: the query's results are all in) and
/// false means that lookup failed.
using column_resolver =
    std::function<bool(const std::vector<Oid>&, std::vector<type_conv>&, PGconn* lookup_on)>;

/// Runs `spec` on `conn` and appends `{"fields":…,"rows":…,"command":…,"rowCount":…,
/// "rowAsArray":…}` to `out`. On failure `out` is restored to its size on entry. The 507
/// check runs after each row against out.size() (escaped JSON bytes, cumulative across a
/// batch), so the last row counts too; while a row arrives, reading stops once the query has
/// read more than 3x the remaining budget off the wire after its first read (which is at
/// most libpq's input buffer; no JSON form is that much smaller than the protocol bytes,
/// except json text padded with whitespace), checked before libpq parses what a read brought,
/// so a huge row is never copied into a result or written as JSON. One read may still bring
/// the rest of a row that is arriving as fast as it is read: libpq sizes its buffer to the
/// row's length (at most Postgres' 1 GB field limit per column). Columns of types not yet
/// known are converted once the query has finished, after a pg_type lookup on `conn` itself
/// (their rows wait, within the same bound); with a pipelined reset, the reset's results are
/// read first (lookups cannot run in a pipeline).
[[nodiscard]] exec_outcome run_query(PGconn* conn, const query_spec& spec,
                                     const exec_options& options, const column_resolver& resolve,
                                     const client_link& client, std::string& out);

/// run_query for an event loop: the same query, results, limits and errors, driven by the
/// caller without blocking. The connection is non-blocking from start() until the query is
/// over (destruction or finish_blocking()). `spec`, `resolve` and `out` must outlive it.
class async_query {
 public:
  /// What the caller waits for before calling resume(), or that the query is over.
  enum class step {
    read,             ///< the socket to be readable
    write,            ///< the socket to be writable (the query is still being sent)
    done,             ///< over: take_outcome() (on failure `out` is as on entry)
    finish_blocking,  ///< over, but column types must be looked up: finish_blocking() on a
                      ///< thread that may block
  };
  async_query(PGconn* conn, const query_spec& spec, const exec_options& options,
              const column_resolver& resolve, std::string& out);
  ~async_query();
  async_query(const async_query&) = delete;
  async_query& operator=(const async_query&) = delete;

  /// Sends the query.
  [[nodiscard]] step start();
  /// Goes on once the socket is ready as asked (a spurious wakeup is harmless).
  [[nodiscard]] step resume();
  /// After step::done.
  [[nodiscard]] exec_outcome take_outcome();
  /// After step::finish_blocking: looks the types up and ends the query (blocks).
  [[nodiscard]] exec_outcome finish_blocking();
  /// True when the query stopped early (507, a value that cannot be converted) while Postgres
  /// may still run it: the caller sends cancel_running() from a thread that may block.
  [[nodiscard]] bool cancel_wanted() const;
  /// The connection's socket (to wait on).
  [[nodiscard]] int socket() const;

 private:
  struct state;
  step fail(exec_outcome outcome);
  step flush();
  step drained();
  std::unique_ptr<state> s_;
};

/// Cancels the query running on `conn` for a client that went away, drains it (blocks up to
/// 2 s) and returns the reply run_query gives then. The connection is then to be discarded.
[[nodiscard]] exec_outcome cancel_for_gone_client(PGconn* conn);

/// Asks Postgres to cancel what runs on `conn` (blocks: it connects to Postgres).
void cancel_running(PGconn* conn);

/// Runs a parameterless control statement (START TRANSACTION, COMMIT, ROLLBACK).
[[nodiscard]] exec_outcome run_control(PGconn* conn, const char* sql);

/// run_control in pipeline mode with the pool's reset queued behind the statement (a batch's
/// COMMIT): on success the outcome has reset_pending set, as run_query's with pipelined_reset.
/// On failure the connection must be discarded (it is still in pipeline mode).
[[nodiscard]] exec_outcome run_control_with_reset(PGconn* conn, const char* sql);

}  // namespace edgefn::gateway
