#include "api/app.h"

#include "api/authenticate.h"
#include "api/cors.h"
#include "api/errors.h"
#include "api/openapi.h"
#include "api/router.h"
#include "base/json_writer.h"
#include "wardrobe/handlers.h"

namespace edgefn::api {
namespace {

using exchange::context;
using exchange::response;
using exchange::task;

task<response> not_found_task() { co_return error_response(error_code::not_found, "not found"); }

/// The handler coroutine of `id` (not yet started).
task<response> route_handler(context& ctx, route id, std::string user, std::int32_t item) {
  switch (id) {
    case route::list_items: return wardrobe::list_items(ctx, std::move(user));
    case route::create_item: return wardrobe::create_item(ctx, std::move(user));
    case route::total_items: return wardrobe::total_items(ctx, std::move(user));
    case route::get_item: return wardrobe::get_item(ctx, std::move(user), item);
    case route::update_item: return wardrobe::update_item(ctx, std::move(user), item);
    case route::delete_item: return wardrobe::delete_item(ctx, std::move(user), item);
    default: return not_found_task();
  }
}

task<response> route_authenticated(context& ctx, const auth_state& state, match m) {
  task<auth_result> authenticating = authenticate(ctx, state);
  auth_result who = co_await std::move(authenticating);
  if (!who) co_return std::move(who).error();
  std::string user = std::move(*who);
  std::optional<std::int32_t> id;
  if (!m.item_segment.empty()) {
    id = parse_item_id(m.item_segment);
    if (!id) co_return error_response(error_code::not_found, "item not found");
  }
  task<response> handler = route_handler(ctx, m.id, std::move(user), id.value_or(0));
  response r = co_await std::move(handler);
  co_return r;
}

task<response> dispatch(context& ctx, const auth_state& state, match m) {
  switch (m.id) {
    case route::not_found: co_return error_response(error_code::not_found, "not found");
    case route::method_not_allowed: co_return method_not_allowed(m.allow);
    case route::healthz: co_return json_response(200, "{\"status\":\"ok\"}");
    case route::openapi: co_return json_response(200, std::string(openapi_json()));
    default: break;
  }
  task<response> routed = route_authenticated(ctx, state, std::move(m));
  response r = co_await std::move(routed);
  co_return r;
}

void log_request(context& ctx, std::string_view route_pattern, int status) {
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string("info").key("msg").string("request");
  w.key("method").string(ctx.req().method).key("route").string(route_pattern);
  w.key("status").integer(status).key("duration_ms").integer(ctx.now_ms() - ctx.started_ms());
  w.key("db_round_trips").integer(ctx.sql_actions()).key("request_id").string(ctx.request_id());
  w.end_object();
  ctx.log(std::move(line));
}

task<response> serve(context& ctx, std::shared_ptr<const auth_state> state) {
  const auto path = std::string(split_target(ctx.req().target).first);
  match m = match_route(ctx.req().method, path);
  const std::string pattern(m.pattern.empty() ? std::string_view("(unmatched)") : m.pattern);
  response r;
  if (is_preflight(ctx.req())) r = preflight(ctx.req(), state->cfg.cors_origins);
  else {
    task<response> dispatching = dispatch(ctx, *state, std::move(m));
    r = co_await std::move(dispatching);
  }
  if (!is_preflight(ctx.req())) decorate(r, ctx.req(), state->cfg.cors_origins);
  r.headers.emplace_back("X-Request-Id", ctx.request_id());
  log_request(ctx, pattern, r.status);
  co_return r;
}

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

}  // namespace

bool valid_jwks(std::string_view jwks) { return auth::parse_jwks(jwks).has_value(); }

exchange::handler make_handler(config cfg) {
  auto state = std::make_shared<auth_state>();
  if (!cfg.auth_jwks.empty()) {
    auto keys = auth::parse_jwks(cfg.auth_jwks);
    if (keys) state->inline_keys = std::move(*keys);
  }
  state->cfg = std::move(cfg);
  std::shared_ptr<const auth_state> shared = std::move(state);
  return [shared](context& ctx) { return serve(ctx, shared); };
}

std::string choose_request_id(const exchange::request& req, std::string host_id) {
  const std::string* h = http::find_header(req.headers, "x-request-id");
  if (!h || h->empty() || h->size() > 64) return host_id;
  for (char c : *h)
    if (!id_char(c)) return host_id;
  return *h;
}

}  // namespace edgefn::api
