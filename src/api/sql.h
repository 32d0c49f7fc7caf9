#pragma once
// Running one statement as an SQL action and mapping failures to API responses.
//
// Failure mapping (the client never sees SQL text, connection strings or driver messages):
//   no response (dns/connect/tls/timeout/other)            -> 503 service_unavailable
//   HTTP 502/503/504, or a proxy error (no SQLSTATE) on a 5xx whose message speaks of
//   connecting ("could not connect", "Couldn't connect to compute node")  -> 503
//   anything else (database errors, protocol errors, 5xx)  -> 500 internal (request id only)
// Each failure also logs one line with the kind, HTTP status and SQLSTATE (not the SQL).

#include <string>
#include <vector>

#include "base/result.h"
#include "exchange/context.h"
#include "exchange/task.h"
#include "neon/request.h"
#include "neon/result_set.h"

namespace edgefn::api {

struct sql_options {
  exchange::pool target_pool = exchange::pool::direct;
  bool cacheable = false;
  std::vector<std::string> reads;
  std::vector<std::string> writes;
};

using sql_result = basic_result<neon::result_set, exchange::response>;

/// The action for `q` (body = neon::query_body, Neon-Raw-Text-Output and Neon-Array-Mode
/// headers; never a connection string).
[[nodiscard]] exchange::sql_call make_sql_call(const neon::query& q, sql_options options);

/// Issues `q` and decodes the result, or the error response (see the mapping above).
[[nodiscard]] exchange::task<sql_result> run_sql(exchange::context& ctx, neon::query q,
                                                 sql_options options);

/// The mapping above, for a result the host reported (exposed for tests).
[[nodiscard]] sql_result decode_sql_result(exchange::context& ctx, exchange::action_result r);

}  // namespace edgefn::api
