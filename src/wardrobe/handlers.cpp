#include "wardrobe/handlers.h"

#include "api/errors.h"
#include "api/router.h"
#include "api/sql.h"
#include "base/json_writer.h"
#include "db/row.h"
#include "wardrobe/input.h"
#include "wardrobe/schema.h"

namespace edgefn::wardrobe {
namespace {

using api::error_code;
using t = items_table;

api::sql_options cached_read() { return {exchange::pool::cached, true, {"items"}, {}}; }
api::sql_options direct_write() { return {exchange::pool::direct, false, {"items"}, {"items"}}; }

response not_found() { return api::error_response(error_code::not_found, "item not found"); }

/// The single item of `rs` as a 200 (or `status`) response; 404 when there is no row.
response one_item(context& ctx, const neon::result_set& rs, int status = 200) {
  auto rows = db::decode_rows<items_table>(rs);
  if (!rows) return api::internal_error(ctx.request_id());
  if (rows->empty()) return not_found();
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
neon::query list_query(const std::string& user_id, const list_params& p) {
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

response list_response(context& ctx, const neon::result_set& rs, std::int64_t limit) {
  auto rows = db::decode_rows<items_table>(rs);
  if (!rows) return api::internal_error(ctx.request_id());
  const bool more = static_cast<std::int64_t>(rows->size()) > limit;
  if (more) rows->resize(static_cast<std::size_t>(limit));
  std::string body;
  json::writer w(body);
  w.begin_object().key("items").begin_array();
  for (const auto& it : *rows) db::write_json<items_table>(w, it);
  w.end_array();
  if (more) {
    const auto& last = rows->back();
    w.key("nextCursor").string(encode_cursor({last.created_at, last.id}));
  }
  w.end_object();
  return api::json_response(200, std::move(body));
}

std::string log_object_failure(context& ctx, const std::string& key, const std::string& detail) {
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string("error").key("msg").string("image delete failed");
  w.key("request_id").string(ctx.request_id()).key("key").string(key).key("detail").string(detail);
  w.end_object();
  return line;
}

}  // namespace

bool is_safe_object_key(std::string_view key) noexcept {
  if (key.empty() || key.front() == '/' || key.find('\0') != std::string_view::npos ||
      key.find('\\') != std::string_view::npos)
    return false;
  while (true) {
    const auto slash = key.find('/');
    const auto seg = key.substr(0, slash);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return true;
    key.remove_prefix(slash + 1);
  }
}

std::string object_key(std::string_view image_url) {
  auto rest = image_url;
  const auto scheme = rest.find("://");
  if (scheme != std::string_view::npos) {
    rest = rest.substr(scheme + 3);
    const auto slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  rest = rest.substr(0, rest.find_first_of("?#"));
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  // The URL path is percent-encoded; the object key is not ("a%20b.png" names "a b.png").
  return api::percent_decode(rest, false);
}

task<response> list_items(context& ctx, std::string user_id) {
  auto params = parse_list_params(api::split_target(ctx.req().target).second);
  if (!params) co_return std::move(params).error();
  const std::int64_t limit = params->limit;
  task<api::sql_result> running = api::run_sql(ctx, list_query(user_id, *params), cached_read());
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return list_response(ctx, *rs, limit);
}

task<response> create_item(context& ctx, std::string user_id) {
  auto values = parse_item_body(ctx.req(), true);
  if (!values) co_return std::move(values).error();
  auto q = wardrobe::create_item(std::move(*values), user_id);
  if (!q) co_return api::internal_error(ctx.request_id());
  task<api::sql_result> running = api::run_sql(ctx, std::move(*q), direct_write());
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  response r = one_item(ctx, *rs, 201);
  if (r.status == 201) {
    auto id = rs->get<std::int32_t>(0, 0);
    if (id) r.headers.emplace_back("Location", "/api/wardrobe/" + json::decimal(*id));
  }
  co_return r;
}

task<response> total_items(context& ctx, std::string user_id) {
  task<api::sql_result> running = api::run_sql(ctx, count_items(user_id), cached_read());
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  auto n = rs->get<std::int64_t>(0, 0);
  if (!n) co_return api::internal_error(ctx.request_id());
  std::string body;
  json::writer(body).begin_object().key("total").integer(*n).end_object();
  co_return api::json_response(200, std::move(body));
}

task<response> get_item(context& ctx, std::string user_id, std::int32_t id) {
  task<api::sql_result> running = api::run_sql(ctx, wardrobe::get_item(id, user_id), cached_read());
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_item(ctx, *rs);
}

task<response> update_item(context& ctx, std::string user_id, std::int32_t id) {
  auto values = parse_item_body(ctx.req(), false);
  if (!values) co_return std::move(values).error();
  auto q = wardrobe::update_item(*values, id, user_id);
  if (!q) co_return api::internal_error(ctx.request_id());
  task<api::sql_result> running = api::run_sql(ctx, std::move(*q), direct_write());
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_item(ctx, *rs);
}

task<response> delete_item(context& ctx, std::string user_id, std::int32_t id) {
  task<api::sql_result> running = api::run_sql(ctx, wardrobe::delete_item(id, user_id), direct_write());
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  response r = one_item(ctx, *rs);
  if (r.status != 200) co_return r;
  auto url = rs->get<std::string>(0, rs->column_index("image_url").value_or(rs->columns()));
  const std::string key = url ? object_key(*url) : std::string();
  if (key.empty()) co_return r;
  if (!is_safe_object_key(key)) {
    ctx.log(log_object_failure(ctx, key, "unsafe object key: not deleted"));
    co_return r;
  }
  exchange::action_body removal = exchange::object_delete{key};
  exchange::action_result done = co_await ctx.perform(std::move(removal));
  if (done.status != exchange::outcome::ok) ctx.log(log_object_failure(ctx, key, done.detail));
  co_return r;
}

}  // namespace edgefn::wardrobe
