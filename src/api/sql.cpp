#include "api/sql.h"

#include "api/errors.h"
#include "base/json_writer.h"

namespace edgefn::api {
namespace {

bool mentions_connect(std::string_view message) {
  std::string lower;
  for (char c : message) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return lower.find("connect") != std::string::npos;
}

bool unavailable(const neon::error& e) {
  if (e.is_transport()) return true;
  if (e.http_status == 502 || e.http_status == 503 || e.http_status == 504) return true;
  return e.http_status >= 500 && e.sqlstate().empty() && mentions_connect(e.message);
}

void log_failure(exchange::context& ctx, const neon::error& e) {
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string("error").key("msg").string("sql action failed");
  w.key("request_id").string(ctx.request_id()).key("kind").string(neon::to_string(e.kind));
  w.key("http_status").integer(e.http_status).key("sqlstate").string(e.sqlstate());
  w.end_object();
  ctx.log(std::move(line));
}

neon::transport transport_of(exchange::outcome o) {
  switch (o) {
    case exchange::outcome::failed_dns: return neon::transport::dns;
    case exchange::outcome::failed_connect: return neon::transport::connect;
    case exchange::outcome::failed_tls: return neon::transport::tls;
    case exchange::outcome::failed_timeout: return neon::transport::timeout;
    default: return neon::transport::other;
  }
}

}  // namespace

exchange::sql_call make_sql_call(const neon::query& q, sql_options options) {
  exchange::sql_call call;
  call.target_pool = options.target_pool;
  call.cacheable = options.cacheable;
  call.reads = std::move(options.reads);
  call.writes = std::move(options.writes);
  call.headers = {{"Neon-Raw-Text-Output", "true"}, {"Neon-Array-Mode", "true"}};
  call.body = neon::query_body(q.text, q.params);
  return call;
}

sql_result decode_sql_result(exchange::context& ctx, exchange::action_result r) {
  neon::result<neon::result_set> rs = [&]() -> neon::result<neon::result_set> {
    if (r.status != exchange::outcome::ok) return neon::transport_error(transport_of(r.status), r.detail);
    http::response resp;
    resp.status = r.http_status;
    resp.body = std::move(r.body);
    return neon::decode_response(resp);
  }();
  if (rs) return std::move(*rs);
  log_failure(ctx, rs.error());
  if (unavailable(rs.error()))
    return error_response(error_code::service_unavailable, "database unavailable, retry later");
  return internal_error(ctx.request_id());
}

exchange::task<sql_result> run_sql(exchange::context& ctx, neon::query q, sql_options options) {
  exchange::action_body call = make_sql_call(q, std::move(options));
  exchange::action_result r = co_await ctx.perform(std::move(call));
  co_return decode_sql_result(ctx, std::move(r));
}

}  // namespace edgefn::api
