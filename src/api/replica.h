#pragma once
// Reads on the read replica for requests that carry a bookmark.
//
// A read replica (DATABASE_URL_READ) replays the primary's WAL some time after the primary
// wrote it. A read for a request with a bookmark (api/bookmark.h: a write's WAL position and
// transaction id) may be answered by the replica only once it has replayed that write's
// commit. Such a read goes to the replica as one batch, in one round trip: first
//   select pg_last_wal_replay_lsn()::text, pg_visible_in_snapshot($1::xid8, pg_current_snapshot())
// with the write's transaction id, then the statement. READ COMMITTED: each statement takes its
// own snapshot, so the statement's (taken later) sees at least what the first one did.
//
// The transaction id decides, not the position: the bookmark's position is read just before the
// write's commit record, and other transactions' WAL may come between the two, so a replay
// position past the bookmark does not prove the commit was replayed (the test saw exactly that
// under load). A snapshot in which the transaction is visible does; it then also holds every
// commit before it in WAL order. pg_visible_in_snapshot reads no commit log, so an id the
// replica has not seen yet is simply not visible (pg_xact_status would fail on it).
//
// When the write is not visible the answer is discarded and the statement is read again on the
// primary (a second round trip); likewise when the replica is unavailable (503). A NULL position
// means the server is not in recovery (a primary): its answer stands.

#include "api/sql.h"

namespace edgefn::api {

/// The checked read of `s` (a read) for the write `xid`: the batch above, marked for the
/// replica, never cacheable; the options' deadline.
[[nodiscard]] exchange::sql_call make_replica_read(const db::statement& s, exchange::pool target_pool,
                                                   const sql_options& options, std::uint64_t xid);

/// True when `check` (the batch's first result: the replay position and the visibility of the
/// write) shows a server that may answer: the write is visible, or it is not a replica.
[[nodiscard]] bool replica_caught_up(const neon::result_set& check);

/// Runs read `s` for a request whose bookmark names the write `xid` (and options.after_lsn):
/// on the replica when the write is visible there, else on the primary (run_sql, with the
/// time left of options.timeout_ms). Errors as run_sql.
[[nodiscard]] exchange::task<sql_outcome> run_replica_read(exchange::context& ctx, db::statement s,
                                                           exchange::pool target_pool, sql_options options,
                                                           std::uint64_t xid);

}  // namespace edgefn::api
