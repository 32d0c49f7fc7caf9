#pragma once
// Reads on the read replica for requests that carry a bookmark.
//
// A read replica (DATABASE_URL_READ) replays the primary's WAL some time after the primary
// wrote it. A read for a request with a bookmark (a write's WAL position, api/app.h) may be
// answered by the replica only once it has replayed that write's commit. Such a read goes to
// the replica as one batch, in one round trip: `select pg_last_wal_replay_lsn()`, then the
// statement (READ COMMITTED: each statement of the transaction takes its own snapshot, after
// the position was read, so the statement sees every commit replayed by then).
//
// The position must be strictly beyond the bookmark: the bookmark is the insert position read
// inside the write's transaction, just before its commit record, so a replica that has
// replayed exactly up to it has not replayed the commit yet. When the replica is not past the
// bookmark, the answer is discarded and the statement is read again on the primary (a second
// round trip); likewise when the replica is unavailable (503). A NULL position means the
// server is not in recovery (a primary): its answer stands.
//
// Limit: a record another transaction writes between the bookmark and the write's own commit
// record (a window of one gateway-to-Postgres round trip inside the write's commit) moves the
// replay position past the bookmark before the commit is replayed; a replica that has stopped
// exactly there would answer without the write.

#include "api/sql.h"

namespace edgefn::api {

/// The checked read of `s` (a read): the batch above, marked for the replica, never cacheable;
/// the options' deadline.
[[nodiscard]] exchange::sql_call make_replica_read(const db::statement& s, exchange::pool target_pool,
                                                   const sql_options& options);

/// True when `position` (the batch's first result: one pg_lsn cell) shows a server that may
/// answer a request with bookmark `after_lsn`: replayed strictly beyond it, or not a replica.
[[nodiscard]] bool replica_caught_up(const neon::result_set& position, std::uint64_t after_lsn);

/// Runs read `s` for a request with bookmark `options.after_lsn` (non-zero): on the replica
/// when it has replayed past the bookmark, else on the primary (run_sql, with the time left of
/// options.timeout_ms). Errors as run_sql.
[[nodiscard]] exchange::task<sql_outcome> run_replica_read(exchange::context& ctx, db::statement s,
                                                           exchange::pool target_pool, sql_options options);

}  // namespace edgefn::api
