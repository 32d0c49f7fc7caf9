#include "src/handlers.h"

#include <charconv>

#include "api/errors.h"
#include "api/router.h"
#include "db/row.h"
#include "src/schema.h"

namespace {{name}} {
namespace {

namespace api = edgefn::api;

constexpr std::int64_t k_default_limit = 50;
constexpr std::int64_t k_max_limit = 100;

/// ?limit=1..100, or the 400 naming the field.
edgefn::basic_result<std::int64_t, response> parse_limit(std::string_view query) {
  const auto text = api::find_param(api::parse_query(query), "limit");
  if (!text) return k_default_limit;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc{} || end != text->data() + text->size() || n < 1 || n > k_max_limit)
    return api::error_response(api::error_code::validation_failed, "invalid query parameters",
                               {{"limit", "must be an integer from 1 to 100"}});
  return n;
}

/// The single row of `rs` as JSON with `status`; the route's 404 when there is none.
response one_note(const route_call& call, const neon::result_set& rs, int status = 200) {
  auto rows = db::decode_rows<notes_table>(rs);
  if (!rows) return api::internal_error(call.request_id());
  if (rows->empty()) return call.not_found();
  return api::json_response(status, db::to_json<notes_table>(rows->front()));
}

}  // namespace

task<response> list_notes(route_call& call) {
  auto limit = parse_limit(call.query_string());
  if (!limit) co_return std::move(limit).error();
  task<api::sql_result> running = call.run({{name}}::list_notes(*limit));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  auto rows = db::decode_rows<notes_table>(*rs);
  if (!rows) co_return api::internal_error(call.request_id());
  co_return api::json_response(200, db::to_json<notes_table>(*rows));
}

task<response> get_note(route_call& call) {
  task<api::sql_result> running = call.run({{name}}::get_note(call.number("id")));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_note(call, *rs);
}

task<response> create_note(route_call& call) {
  auto values = call.body<notes_table>();
  if (!values) co_return std::move(values).error();
  auto q = {{name}}::create_note(*values);
  if (!q) co_return api::internal_error(call.request_id());
  task<api::sql_result> running = call.run(std::move(*q));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  response r = one_note(call, *rs, 201);
  if (auto id = rs->get<std::int32_t>(0, 0); r.status == 201 && id)
    r.headers.emplace_back("Location", "/notes/" + std::to_string(*id));
  co_return r;
}

task<response> update_note(route_call& call) {
  auto values = call.body<notes_table>();
  if (!values) co_return std::move(values).error();
  auto q = {{name}}::update_note(*values, call.number("id"));
  if (!q) co_return api::internal_error(call.request_id());
  task<api::sql_result> running = call.run(std::move(*q));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_note(call, *rs);
}

task<response> delete_note(route_call& call) {
  task<api::sql_result> running = call.run({{name}}::delete_note(call.number("id")));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_note(call, *rs);
}

}  // namespace {{name}}
