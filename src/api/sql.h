#pragma once
// Running one statement as an SQL action and mapping failures to API responses.
//
// Failure mapping (the client never sees SQL text, connection strings or driver messages):
//   the host's deadline passed (outcome timeout), SQLSTATE 57014 (query cancelled: a
//   statement_timeout or a cancel)                       -> 504 timeout
//   no response (dns/connect/tls/other), HTTP 502/503/504, SQLSTATE class 08 (but 08P01)
//   (connection), 53 (insufficient resources: too many clients), 57P01-57P03 (shutdown,
//   cannot connect now), or a proxy error (no SQLSTATE) on a 5xx that speaks of connecting
//                                                        -> 503 service_unavailable + Retry-After
//   23505 unique violation                               -> 409 conflict, the field named
//   23503 foreign key: the referenced row is missing     -> 400 validation_failed, the field named
//   23503 foreign key: the row is still referenced       -> 409 conflict
//   23502 not null, 23514 check, class 22 (bad data: out-of-range values, too long strings)
//                                                        -> 400 validation_failed
//   anything else (other database errors, protocol errors, 5xx) -> 500 internal (request id only)
// Each failure also logs one line with the kind, HTTP status and SQLSTATE (not the SQL).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/bookmark.h"
#include "base/result.h"
#include "db/column.h"
#include "db/statement.h"
#include "exchange/context.h"
#include "exchange/task.h"
#include "neon/result_set.h"

namespace edgefn::api {

using sql_result = basic_result<neon::result_set, exchange::response>;

/// The last statement of a write's batch: the WAL insert position (pg_lsn text) and the
/// transaction's id (api/bookmark.h says why both).
inline constexpr std::string_view k_lsn_query =
    "select pg_current_wal_insert_lsn()::text, pg_current_xact_id()::text";

/// How one statement is sent.
struct sql_options {
  std::span<const db::column_info* const> columns{};  ///< JSON names for constraint errors
  std::uint32_t timeout_ms = 0;  ///< the deadline the host enforces (0 = the host's limit)
  /// The request's bookmark: a cached answer must have been fetched for one at least this
  /// recent (exchange::sql_call::after_lsn). 0 = none.
  std::uint64_t after_lsn = 0;
  /// The read may be sent to the host's read replica (exchange::sql_call::replica); ignored
  /// for writes.
  bool replica = false;
  /// A write is sent with the query that reads its bookmark (config::bookmarks).
  bool bookmark_writes = true;
};

/// The action for `s` on `target_pool`: Neon-Raw-Text-Output and Neon-Array-Mode headers,
/// reads/writes from the statement, cacheable only for a cacheable statement on the cached
/// pool, the options' deadline and bookmark; never a connection string. The body is
/// neon::query_body, except for a write with options.bookmark_writes: a batch (one transaction)
/// of the statement and `select pg_current_wal_insert_lsn(), pg_current_xact_id()`, so that its
/// bookmark comes back in the same round trip.
[[nodiscard]] exchange::sql_call make_sql_call(const db::statement& s, exchange::pool target_pool,
                                               const sql_options& options = {});

/// A statement's outcome: its rows or the error response, and for a write its bookmark: the
/// WAL position and the id of its transaction (0 when not a write or not known).
struct sql_outcome {
  sql_result result;
  std::uint64_t lsn = 0;
  std::uint64_t xid = 0;
};

/// Issues `s` and decodes the result, or the error response (see the mapping above).
[[nodiscard]] exchange::task<sql_outcome> run_sql(exchange::context& ctx, db::statement s,
                                                  exchange::pool target_pool, sql_options options = {});

/// The 4xx response for a constraint or data error the client caused (23505, 23503, 23502,
/// 23514 and class 22 of the mapping above; fields by JSON name where `columns` lists them), or
/// std::nullopt for any other error.
[[nodiscard]] std::optional<exchange::response> client_error(const neon::error& e,
                                                             std::span<const db::column_info* const> columns);

/// 504 `timeout` for a request whose database deadline passed (and its log line).
[[nodiscard]] exchange::response deadline_passed(exchange::context& ctx);

/// The statement's rows from a result the host reported, before any mapping: for a write's
/// batch (`batched`), its next-to-last result, with `written` set from the last (the bookmark).
[[nodiscard]] neon::result<neon::result_set> decode_raw_result(exchange::action_result r, bool batched,
                                                               bookmark& written);

/// The response for a failed statement (the mapping above) and its log line.
[[nodiscard]] exchange::response failure_response(exchange::context& ctx, const neon::error& e,
                                                  std::span<const db::column_info* const> columns = {});

/// The mapping above, for a result the host reported (exposed for tests). `batched`: the
/// result of a write's batch (make_sql_call with bookmark_writes), whose second result is the
/// WAL position.
[[nodiscard]] sql_outcome decode_sql_result(exchange::context& ctx, exchange::action_result r,
                                            std::span<const db::column_info* const> columns = {},
                                            bool batched = false);

}  // namespace edgefn::api
