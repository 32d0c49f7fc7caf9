#include "api/sql.h"

#include "api/errors.h"
#include "base/json_writer.h"
#include "base/text.h"
#include "neon/lsn.h"
#include "neon/request.h"

namespace edgefn::api {
namespace {

/// The bookmark in the LSN query's result; zeros when it is not there (the write still
/// succeeded).
bookmark written_bookmark(const neon::result_set& rs) {
  if (rs.rows() != 1 || rs.columns() < 1 || rs.is_null(0, 0)) return {};
  bookmark b{neon::parse_lsn(rs.text(0, 0)).value_or(0), 0};
  if (b.lsn != 0 && rs.columns() >= 2 && !rs.is_null(0, 1))
    b.xid = parse_bookmark("0/0:" + std::string(rs.text(0, 1))).value_or(bookmark{}).xid;
  return b;
}

bool timed_out(const neon::error& e) {
  return e.kind == neon::error_kind::transport_timeout || e.sqlstate() == "57014";
}

bool unavailable(const neon::error& e) {
  if (e.is_transport()) return true;
  if (e.http_status == 502 || e.http_status == 503 || e.http_status == 504) return true;
  const auto state = e.sqlstate();
  if ((state.starts_with("08") && state != "08P01") || state.starts_with("53") || state == "57P01" || state == "57P02" ||
      state == "57P03")
    return true;
  return e.http_status >= 500 && state.empty() &&
         text::ascii_lower(e.message).find("connect") != std::string::npos;
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

/// The columns of Postgres' "Key (a, b)=(...)" detail, by JSON name where `columns` lists them.
std::vector<std::string> key_columns(const neon::error& e, std::span<const db::column_info* const> columns) {
  std::vector<std::string> out;
  const std::string detail_text = e.fields.detail.value_or("");
  const std::string_view detail = detail_text;
  const auto open = detail.find("Key (");
  const auto close = open == std::string_view::npos ? open : detail.find(")=", open);
  if (close == std::string_view::npos) {
    if (e.fields.column) out.push_back(*e.fields.column);
    return out;
  }
  std::string_view list = detail.substr(open + 5, close - open - 5);
  while (!list.empty()) {
    auto name = list.substr(0, list.find(','));
    list.remove_prefix(std::min(list.size(), name.size() + 1));
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    std::string json_name(name);
    for (const auto* c : columns)
      if (c->name == name) json_name = std::string(c->json.view());
    out.push_back(std::move(json_name));
  }
  return out;
}

/// The referenced table in "... is not present in table "users"." / "... from table "posts"."
std::string table_in(std::string_view detail) {
  const auto t = detail.rfind("table \"");
  if (t == std::string_view::npos) return "another table";
  auto rest = detail.substr(t + 7);
  return std::string(rest.substr(0, rest.find('"')));
}

field_errors fields_of(const std::vector<std::string>& names, std::string_view message) {
  field_errors out;
  for (const auto& n : names) out.emplace_back(n, std::string(message));
  return out;
}

/// A write sent with the query that reads its bookmark (one batch): make_sql_call builds it,
/// run_sql decodes it.
bool reads_bookmark(const db::statement& s, const sql_options& options) {
  return !s.writes.empty() && options.bookmark_writes;
}

}  // namespace

std::optional<exchange::response> client_error(const neon::error& e,
                                               std::span<const db::column_info* const> columns) {
  const auto state = e.sqlstate();
  const std::string detail = e.fields.detail.value_or("");
  if (state == "23505")
    return error_response(error_code::conflict, "a row with these values already exists",
                          fields_of(key_columns(e, columns), "already exists"));
  if (state == "23503" && detail.find("is still referenced") != std::string::npos)
    return error_response(error_code::conflict, "the row is still referenced by " + table_in(detail));
  if (state == "23503")
    return error_response(error_code::validation_failed, "invalid fields",
                          fields_of(key_columns(e, columns), "must reference an existing row of " + table_in(detail)));
  if (state == "23502")
    return error_response(error_code::validation_failed, "invalid fields",
                          fields_of(key_columns(e, columns), "is required"));
  if (state == "23514" || state.starts_with("22"))
    return error_response(error_code::validation_failed, "a value is out of range or invalid for its column");
  return std::nullopt;
}

exchange::response deadline_passed(exchange::context& ctx) {
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string("error").key("msg").string("sql deadline passed");
  w.key("request_id").string(ctx.request_id()).end_object();
  ctx.log(std::move(line));
  return error_response(error_code::timeout, "the database did not answer in time");
}

exchange::sql_call make_sql_call(const db::statement& s, exchange::pool target_pool, const sql_options& options) {
  exchange::sql_call call;
  call.timeout_ms = options.timeout_ms;
  call.target_pool = target_pool;
  call.cacheable = s.cacheable && target_pool == exchange::pool::cached;
  call.after_lsn = call.cacheable ? options.after_lsn : 0;
  call.replica = options.replica && s.writes.empty();
  call.reads.assign(s.reads.begin(), s.reads.end());
  call.writes.assign(s.writes.begin(), s.writes.end());
  neon::add_row_format_headers(call.headers);
  if (!reads_bookmark(s, options)) {
    call.body = neon::query_body(s.text, s.params);
  } else {
    // Read in the write's own transaction, after it: a position no earlier than its changes.
    const neon::query both[] = {neon::query{s.text, s.params}, neon::query{std::string(k_lsn_query), {}}};
    call.body = neon::batch_body(both);
  }
  return call;
}

neon::result<neon::result_set> decode_raw_result(exchange::action_result r, bool batched, bookmark& written) {
  if (r.status != exchange::outcome::ok) return neon::transport_error(transport_of(r.status), r.detail);
  http::response resp;
  resp.status = r.http_status;
  resp.body = std::move(r.body);
  if (!batched) return neon::decode_response(resp);
  auto results = neon::decode_batch_response(resp);
  if (!results) return std::move(results).error();
  // The statement is next to last: a keyed write (api/idempotency.h) runs bookkeeping first.
  if (results->size() < 2) return neon::make_error(neon::error_kind::protocol, "a write's batch must have 2 results");
  written = written_bookmark(results->back());
  return std::move((*results)[results->size() - 2]);
}

exchange::response failure_response(exchange::context& ctx, const neon::error& e,
                                    std::span<const db::column_info* const> columns) {
  log_failure(ctx, e);
  if (timed_out(e)) return error_response(error_code::timeout, "the database did not answer in time");
  if (unavailable(e)) return error_response(error_code::service_unavailable, "database unavailable, retry later");
  if (auto client = client_error(e, columns)) return std::move(*client);
  return internal_error(ctx.request_id());
}

sql_outcome decode_sql_result(exchange::context& ctx, exchange::action_result r,
                              std::span<const db::column_info* const> columns, bool batched) {
  bookmark written;
  auto rs = decode_raw_result(std::move(r), batched, written);
  if (rs) return {std::move(*rs), written.lsn, written.xid};
  return {failure_response(ctx, rs.error(), columns)};
}

exchange::task<sql_outcome> run_sql(exchange::context& ctx, db::statement s, exchange::pool target_pool,
                                    sql_options options) {
  const bool batched = reads_bookmark(s, options);
  exchange::action_body call = make_sql_call(s, target_pool, options);
  exchange::action_result r = co_await ctx.perform(std::move(call));
  co_return decode_sql_result(ctx, std::move(r), options.columns, batched);
}

}  // namespace edgefn::api
