#include "wardrobe/handlers.h"

#include "api/errors.h"
#include "api/object_key.h"
#include "api/router.h"
#include "base/json_writer.h"
#include "db/row.h"
#include "wardrobe/input.h"
#include "wardrobe/schema.h"

namespace edgefn::wardrobe {
namespace {

using api::error_code;
using t = items_table;

/// The single item of `rs` as a 200 (or `status`) response; 404 when there is no row.
response one_item(const route_call& call, const neon::result_set& rs, int status = 200) {
  auto rows = db::decode_rows<items_table>(rs);
  if (!rows) return api::internal_error(call.request_id());
  if (rows->empty()) return call.not_found();
  return api::json_response(status, db::to_json<items_table>(rows->front()));
}

db::condition keyset(const cursor& c) {
  if (!c.created_at)
    return db::or_(db::and_(db::is_null(t::created_at), db::lt(t::id, c.id)),
                   db::is_not_null(t::created_at));
  return db::or_(db::lt(t::created_at, *c.created_at),
                 db::and_(db::eq(t::created_at, *c.created_at), db::lt(t::id, c.id)));
}

/// Newest first: created_at desc (NULLs first, as Postgres orders them), then id desc.
db::statement list_query(const std::string& user_id, const list_params& p) {
  db::condition where = db::eq(t::user_id, user_id);
  if (p.type) where = db::and_(where, db::eq(t::type, *p.type));
  if (p.color) where = db::and_(where, db::eq(t::color, *p.color));
  if (p.size) where = db::and_(where, db::eq(t::size, *p.size));
  if (p.after) where = db::and_(where, keyset(*p.after));
  return db::select<items_table>()
      .where(where)
      .order_by(db::desc(t::created_at), db::desc(t::id))
      .limit(p.limit + 1)
      .build();
}

response list_response(const route_call& call, const neon::result_set& rs, std::int64_t limit) {
  auto pos = db::positions_by_name<items_table>(rs);
  if (!pos) return api::internal_error(call.request_id());
  const bool more = static_cast<std::int64_t>(rs.rows()) > limit;
  const std::size_t count = more ? static_cast<std::size_t>(limit) : rs.rows();
  std::string body;
  body.reserve(rs.rows() * 256 + 64);
  json::writer w(body);
  w.begin_object().key("items").begin_array();
  // Rows go from the result's text straight to JSON (no row structs, no copied strings).
  if (!db::write_rows_json<items_table>(w, rs, *pos, count).ok()) return api::internal_error(call.request_id());
  w.end_array();
  if (more) {
    auto last = db::decode_row<items_table>(rs, count - 1, *pos);
    if (!last) return api::internal_error(call.request_id());
    w.key("nextCursor").string(encode_cursor({last->created_at, last->id}));
  }
  w.end_object();
  return api::json_response(200, std::move(body));
}

std::string log_object_failure(const route_call& call, const std::string& key, const std::string& detail,
                               std::string_view level = "error") {
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string(level).key("msg").string("image delete failed");
  w.key("request_id").string(call.request_id()).key("key").string(key).key("detail").string(detail);
  w.end_object();
  return line;
}

}  // namespace

task<response> list_items(route_call& call) {
  auto params = parse_list_params(call.query_string());
  if (!params) co_return std::move(params).error();
  const std::int64_t limit = params->limit;
  task<api::sql_result> running = call.run(list_query(call.user_id(), *params));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return list_response(call, *rs, limit);
}

task<response> create_item(route_call& call) {
  const std::string* base = call.setting("APP_IMAGES_BASE_URL");
  auto values = call.body<items_table>([base](const item_values& v) { return image_url_checks(v, true, base); });
  if (!values) co_return std::move(values).error();
  auto q = wardrobe::create_item(std::move(*values), call.user_id());
  if (!q) co_return api::internal_error(call.request_id());
  task<api::sql_result> running = call.run(std::move(*q));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  response r = one_item(call, *rs, 201);
  if (r.status == 201) {
    auto id = rs->get<std::int32_t>(0, 0);
    if (id) http::add_header(r.headers, "Location", "/api/wardrobe/" + json::decimal(*id));
  }
  co_return r;
}

task<response> total_items(route_call& call) {
  task<api::sql_result> running = call.run(count_items(call.user_id()));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  auto n = rs->get<std::int64_t>(0, 0);
  if (!n) co_return api::internal_error(call.request_id());
  std::string body;
  json::writer(body).begin_object().key("total").integer(*n).end_object();
  co_return api::json_response(200, std::move(body));
}

task<response> get_item(route_call& call) {
  task<api::sql_result> running = call.run(wardrobe::get_item(call.number("id"), call.user_id()));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_item(call, *rs);
}

task<response> update_item(route_call& call) {
  const std::string* base = call.setting("APP_IMAGES_BASE_URL");
  auto values = call.body<items_table>([base](const item_values& v) { return image_url_checks(v, false, base); });
  if (!values) co_return std::move(values).error();
  auto q = wardrobe::update_item(*values, call.number("id"), call.user_id());
  if (!q) co_return api::internal_error(call.request_id());
  task<api::sql_result> running = call.run(std::move(*q));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_item(call, *rs);
}

task<response> delete_item(route_call& call) {
  task<api::sql_result> running = call.run(wardrobe::delete_item(call.number("id"), call.user_id()));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  response r = one_item(call, *rs);
  if (r.status != 200) co_return r;
  auto url = rs->get<std::string>(0, rs->column_index("image_url").value_or(rs->columns()));
  if (!url) co_return r;
  // Only the owner's own objects: a URL naming anything else (another user's key, another
  // host) deletes the row and keeps the object.
  auto owned = owned_object_key(*url, call.user_id(), call.setting("APP_IMAGES_BASE_URL"),
                                call.setting("APP_IMAGES_OWNER_PREFIX"));
  if (!owned) {
    call.log(log_object_failure(call, api::object_key(*url), "not under the owner's prefix: object kept", "warn"));
    co_return r;
  }
  const std::string key = std::move(*owned);
  if (!api::is_safe_object_key(key)) {
    call.log(log_object_failure(call, key, "unsafe object key: not deleted"));
    co_return r;
  }
  exchange::action_body removal = exchange::object_delete{key};
  exchange::action_result done = co_await call.ctx().perform(std::move(removal));
  if (done.status != exchange::outcome::ok) call.log(log_object_failure(call, key, done.detail));
  co_return r;
}

}  // namespace edgefn::wardrobe
