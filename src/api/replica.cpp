#include "api/replica.h"

#include "api/errors.h"
#include "base/json_writer.h"
#include "neon/request.h"

namespace edgefn::api {
namespace {

/// The replica's replay position (pg_lsn text; NULL on a server that is not in recovery) and
/// whether the write $1 is visible in a snapshot taken now.
constexpr std::string_view k_replay_query =
    "select pg_last_wal_replay_lsn()::text, pg_visible_in_snapshot($1::xid8, pg_current_snapshot())";

void log_fallback(exchange::context& ctx, std::string_view why) {
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string("debug").key("msg").string("replica read retried on the primary");
  w.key("request_id").string(ctx.request_id()).key("reason").string(why).end_object();
  ctx.log(std::move(line));
}

/// The statement's result when the replica may answer; nullopt when the primary must.
std::optional<neon::result_set> replica_answer(exchange::action_result& r) {
  http::response resp;
  resp.status = r.http_status;
  resp.body = std::move(r.body);
  auto results = neon::decode_batch_response(resp);
  if (!results || results->size() != 2 || !replica_caught_up(results->front())) return std::nullopt;
  return std::move((*results)[1]);
}

}  // namespace

exchange::sql_call make_replica_read(const db::statement& s, exchange::pool target_pool, const sql_options& options,
                                     std::uint64_t xid) {
  exchange::sql_call call;
  call.timeout_ms = options.timeout_ms;
  call.target_pool = target_pool;
  call.replica = true;
  call.reads.assign(s.reads.begin(), s.reads.end());
  neon::add_row_format_headers(call.headers);
  const neon::query both[] = {neon::query{std::string(k_replay_query), {neon::param(json::unsigned_decimal(xid))}},
                              neon::query{s.text, s.params}};
  call.body = neon::batch_body(both);
  return call;
}

bool replica_caught_up(const neon::result_set& check) {
  if (check.rows() != 1 || check.columns() != 2) return false;
  if (check.is_null(0, 0)) return true;  // not in recovery: a primary
  if (check.is_null(0, 1)) return false;
  const std::string_view visible = check.text(0, 1);
  return visible == "t" || visible == "true";
}

exchange::task<sql_outcome> run_replica_read(exchange::context& ctx, db::statement s, exchange::pool target_pool,
                                             sql_options options, std::uint64_t xid) {
  const std::int64_t issued = ctx.now_ms();
  exchange::action_body call = make_replica_read(s, target_pool, options, xid);
  exchange::action_result r = co_await ctx.perform(std::move(call));
  const exchange::db_target asked = r.target;
  if (r.status == exchange::outcome::ok && r.http_status == 200) {
    if (auto rows = replica_answer(r)) co_return sql_outcome{std::move(*rows)};
    log_fallback(ctx, "behind the bookmark");
  } else {
    sql_outcome failed = decode_sql_result(ctx, std::move(r), options.columns);
    if (failed.result || failed.result.error().status != 503) co_return failed;
    log_fallback(ctx, "unavailable");
  }
  ctx.discard_answer(asked);
  if (options.timeout_ms != 0) {
    const std::int64_t left = options.timeout_ms - (ctx.now_ms() - issued);
    if (left <= 0) co_return sql_outcome{deadline_passed(ctx)};
    options.timeout_ms = static_cast<std::uint32_t>(left);
  }
  options.replica = false;
  exchange::task<sql_outcome> primary = run_sql(ctx, std::move(s), target_pool, options);
  co_return co_await std::move(primary);
}

}  // namespace edgefn::api
