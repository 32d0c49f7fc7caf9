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

#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "db/column.h"
#include "db/statement.h"
#include "exchange/context.h"
#include "exchange/task.h"
#include "neon/result_set.h"

namespace edgefn::api {

using sql_result = basic_result<neon::result_set, exchange::response>;

/// The action for `s` on `target_pool`: body = neon::query_body, Neon-Raw-Text-Output and
/// Neon-Array-Mode headers, reads/writes from the statement, cacheable only for a cacheable
/// statement on the cached pool; the deadline `timeout_ms` (0 = the host's limit); never a
/// connection string.
[[nodiscard]] exchange::sql_call make_sql_call(const db::statement& s, exchange::pool target_pool,
                                               std::uint32_t timeout_ms = 0);

/// Issues `s` and decodes the result, or the error response (see the mapping above). Column
/// names in constraint errors are reported by their JSON names from `columns` when listed.
/// `timeout_ms`: the deadline the host enforces (0 = the host's limit).
[[nodiscard]] exchange::task<sql_result> run_sql(exchange::context& ctx, db::statement s,
                                                 exchange::pool target_pool,
                                                 std::span<const db::column_info* const> columns = {},
                                                 std::uint32_t timeout_ms = 0);

/// 504 `timeout` for a request whose database deadline passed (and its log line).
[[nodiscard]] exchange::response deadline_passed(exchange::context& ctx);

/// The mapping above, for a result the host reported (exposed for tests).
[[nodiscard]] sql_result decode_sql_result(exchange::context& ctx, exchange::action_result r,
                                           std::span<const db::column_info* const> columns = {});

}  // namespace edgefn::api
