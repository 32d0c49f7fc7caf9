#include "api/app.h"

#include <algorithm>

#include "api/authenticate.h"
#include "api/cors.h"
#include "api/openapi.h"
#include "api/replica.h"
#include "base/json_writer.h"

namespace edgefn::api {
namespace {

using exchange::context;
using exchange::response;
using exchange::task;

/// Read-only state shared by every exchange of one handler.
struct app_state {
  auth_state auth;
  router routes;
  /// The OpenAPI document, generated on its first request: not at start-up, where every
  /// isolate (and every rebuilt instance) would pay for a document few requests ask for. An
  /// engine is driven from one thread, so the cache needs no lock.
  mutable std::optional<std::string> openapi;
  [[nodiscard]] const std::string& openapi_text() const {
    if (!openapi) openapi = openapi_document(routes);
    return *openapi;
  }
};

const std::string& empty_string() {
  static const std::string s;
  return s;
}

/// What serve() reports about a request besides the context's own counters.
struct request_facts {
  std::int64_t auth_ms = 0;
  bookmark written;  ///< the response's Edgefn-Bookmark (lsn 0 = none)
};

constexpr std::string_view k_bookmark_header = "Edgefn-Bookmark";

/// The request's bookmark; zeros when absent or unparseable (then logged and ignored).
bookmark request_bookmark(context& ctx) {
  const std::string* h = http::find_header(ctx.req().headers, k_bookmark_header);
  if (!h) return {};
  if (auto b = parse_bookmark(*h)) return *b;
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string("warn").key("msg").string("bookmark ignored: not a WAL position");
  w.key("request_id").string(ctx.request_id()).end_object();
  ctx.log(std::move(line));
  return {};
}

task<response> call_route(context& ctx, const app_state& state, match m, request_facts& facts) {
  const route_def& def = *m.route->def;
  std::optional<std::string> user;
  const bool wants_auth = def.auth == auth_mode::required ||
                          (def.auth == auth_mode::optional && http::find_header(ctx.req().headers, "authorization"));
  if (wants_auth) {
    const std::int64_t auth_started = ctx.now_ms();
    task<auth_result> authenticating = authenticate(ctx, state.auth);
    auth_result who = co_await std::move(authenticating);
    facts.auth_ms = ctx.now_ms() - auth_started;
    if (!who) co_return std::move(who).error();
    user = std::move(*who);
  }
  auto params = parse_path_params(m);
  if (!params) co_return error_response(error_code::not_found, def.not_found);
  auto key = read_idempotency_key(ctx.req(), user);
  if (!key) co_return std::move(key).error();
  std::optional<idempotent_writes> keyed;
  if (*key) keyed.emplace(std::move(**key));
  route_call call(ctx, def, state.auth.cfg, std::move(user), std::move(*params), request_bookmark(ctx));
  call.set_idempotency(keyed ? &*keyed : nullptr);
  task<response> handling = def.handler(call);
  response r = co_await std::move(handling);
  facts.written = call.written();
  if (keyed && keyed->verdict()) co_return *keyed->verdict();  // whatever the handler made of it
  if (keyed && keyed->replayed()) http::add_header(r.headers, k_replayed_header, "true");
  co_return r;
}

/// A task that yields `r` when awaited: the answers dispatch gives without a route.
task<response> answer(response r) { co_return r; }

/// The task that answers `m`. Not a coroutine itself: it hands back call_route's task rather
/// than awaiting it in a frame of its own (one coroutine less per request, ~3 KB of the wasm
/// module). serve awaits the task at once, so `state` and `facts` outlive it.
task<response> dispatch(context& ctx, const app_state& state, match m, request_facts& facts) {
  switch (m.kind) {
    case match_kind::not_found: return answer(error_response(error_code::not_found, "not found"));
    case match_kind::method_not_allowed: return answer(method_not_allowed(m.allow));
    case match_kind::health: return answer(json_response(200, "{\"status\":\"ok\"}"));
    case match_kind::openapi: return answer(json_response(200, state.openapi_text()));
    case match_kind::route: break;
  }
  return call_route(ctx, state, std::move(m), facts);
}

std::string_view cache_word(const context& ctx) {
  return ctx.cache() == exchange::cache_status::none ? std::string_view("bypass") : exchange::to_string(ctx.cache());
}

/// The databases whose answers were used: "primary", "replica", "replica+primary" ("" for none).
std::string_view targets_word(const context& ctx) {
  const auto t = ctx.db_targets();
  const auto has = [t](exchange::db_target x) { return (t & static_cast<std::uint8_t>(x)) != 0; };
  if (has(exchange::db_target::replica) && has(exchange::db_target::primary)) return "replica+primary";
  if (has(exchange::db_target::replica)) return "replica";
  if (has(exchange::db_target::primary)) return "primary";
  return "";
}

/// "db;dur=12, cache;desc=hit, auth;dur=3"; with a read replica configured the db entry names
/// the databases that answered ("db;dur=12;desc=replica").
std::string server_timing(const context& ctx, const request_facts& facts, bool replica) {
  std::string v = "db;dur=";
  json::append_int(v, ctx.db_ms());
  if (replica && !targets_word(ctx).empty()) {
    v += ";desc=";
    v += targets_word(ctx);
  }
  v += ", cache;desc=";
  v += cache_word(ctx);
  v += ", auth;dur=";
  json::append_int(v, facts.auth_ms);
  return v;
}

void log_request(context& ctx, std::string_view route_pattern, int status, const request_facts* facts, bool replica) {
  std::string line;
  json::writer w(line);
  w.begin_object().key("level").string("info").key("msg").string("request");
  w.key("method").string(ctx.req().method).key("route").string(route_pattern);
  w.key("status").integer(status).key("duration_ms").integer(ctx.now_ms() - ctx.started_ms());
  w.key("db_round_trips").integer(ctx.sql_actions()).key("request_id").string(ctx.request_id());
  if (facts) {
    w.key("db_ms").integer(ctx.db_ms()).key("cache").string(cache_word(ctx));
    w.key("auth_ms").integer(facts->auth_ms);
  }
  if (replica && !targets_word(ctx).empty()) w.key("db").string(targets_word(ctx));
  w.end_object();
  ctx.log(std::move(line));
}

task<response> serve(context& ctx, std::shared_ptr<const app_state> state) {
  const std::string path(split_target(ctx.req().target).first);
  match m = state->routes.find(ctx.req().method, path);
  const std::string pattern(m.pattern.empty() ? std::string_view("(unmatched)") : m.pattern);
  const auto& origins = state->auth.cfg.cors_origins;
  response r;
  request_facts facts;
  const bool preflight_request = is_preflight(ctx.req());
  if (preflight_request) r = preflight(ctx.req(), origins);
  else {
    task<response> dispatching = dispatch(ctx, *state, std::move(m), facts);
    r = co_await std::move(dispatching);
    decorate(r, ctx.req(), origins);
  }
  http::add_header(r.headers, "X-Request-Id", ctx.request_id());
  if (facts.written.lsn != 0) http::add_header(r.headers, k_bookmark_header, format_bookmark(facts.written));
  const bool timed = state->auth.cfg.server_timing;
  const bool replica = state->auth.cfg.read_replica;
  if (timed) http::add_header(r.headers, "Server-Timing", server_timing(ctx, facts, replica));
  // Replayable (response::reuse_until_ms) when nothing of this request but its id is in the
  // answer: a read answered 200, no bookmark written, no Server-Timing (its durations are this
  // request's).
  const bool read = ctx.req().method == "GET" || ctx.req().method == "HEAD";
  if (read && r.status == 200 && facts.written.lsn == 0 && !timed) r.reuse_until_ms = ctx.reuse_until_ms();
  if (ctx.logs(exchange::log_level::info)) log_request(ctx, pattern, r.status, timed ? &facts : nullptr, replica);
  co_return r;
}

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

}  // namespace

const std::string& route_call::user_id() const noexcept { return user_ ? *user_ : empty_string(); }

std::int32_t route_call::number(std::string_view name) const noexcept {
  for (const auto& p : params_)
    if (p.name == name) return p.number;
  return 0;
}

const std::string& route_call::text(std::string_view name) const noexcept {
  for (const auto& p : params_)
    if (p.name == name) return p.text;
  return empty_string();
}

std::string_view route_call::query_string() const noexcept { return split_target(req().target).second; }

task<sql_result> route_call::run(db::statement s, std::uint32_t timeout_ms) {
  const std::int64_t budget = def_.timeout_ms != 0 ? def_.timeout_ms : cfg_.sql_timeout_ms;
  if (budget != 0) {
    const std::int64_t left = ctx_.started_ms() + budget - ctx_.now_ms();
    if (left <= 0) co_return deadline_passed(ctx_);
    if (timeout_ms == 0 || left < timeout_ms) timeout_ms = static_cast<std::uint32_t>(left);
  }
  // Replica-safe: the route says so, or a cacheable read on the cached pool (a miss of a
  // cache that may already answer stale). A bookmark sends the cached pool's reads to its
  // entries for the bookmark or the primary; a replica-safe route's to a checked replica read.
  const bool cached_read = def_.pool == exchange::pool::cached && s.cacheable;
  const bool replica = cfg_.read_replica && s.writes.empty() && (def_.replica || cached_read);
  const bool bookmarked = bookmark_.lsn != 0;
  const sql_options options{def_.body.table.columns, timeout_ms, bookmark_.lsn, replica && !bookmarked,
                            cfg_.bookmarks};
  // Only a bookmark with its transaction id lets the replica prove it has the write.
  task<sql_outcome> running = idempotent_ && !s.writes.empty() ? idempotent_->run(ctx_, std::move(s), options)
                              : replica && bookmarked && def_.replica && bookmark_.xid != 0
                                  ? run_replica_read(ctx_, std::move(s), def_.pool, options, bookmark_.xid)
                                  : run_sql(ctx_, std::move(s), def_.pool, options);
  sql_outcome out = co_await std::move(running);
  if (out.lsn > written_.lsn) written_ = bookmark{out.lsn, out.xid};
  co_return std::move(out.result);
}

bool valid_jwks(std::string_view jwks) { return auth::parse_jwks(jwks).has_value(); }

result<exchange::handler> make_handler(const app_spec& app, config cfg) {
  // Checked here, once for both hosts (each reads MAX_BODY_BYTES its own way).
  if (cfg.max_body_bytes == 0 || cfg.max_body_bytes > k_max_body_bytes_ceiling)
    return fail(errc::invalid_argument, "MAX_BODY_BYTES must be a number of bytes from 1 to " +
                                            json::decimal(static_cast<std::int64_t>(k_max_body_bytes_ceiling)) +
                                            " (Neon's /sql request limit)");
  auto routes = router::compile(app);
  if (!routes) return std::move(routes).error();
  auto state = std::make_shared<app_state>();
  if (!cfg.auth_jwks.empty()) {
    auto keys = auth::parse_jwks(cfg.auth_jwks);
    if (keys) state->auth.inline_keys = std::move(*keys);
  }
  state->auth.cfg = std::move(cfg);
  state->routes = std::move(*routes);
  std::shared_ptr<const app_state> shared = std::move(state);
  return exchange::handler([shared](context& ctx) { return serve(ctx, shared); });
}

std::string choose_request_id(const exchange::request& req, std::string host_id) {
  const std::string* h = http::find_header(req.headers, "x-request-id");
  if (!h || h->empty() || h->size() > 64) return host_id;
  for (char c : *h)
    if (!id_char(c)) return host_id;
  return *h;
}

}  // namespace edgefn::api
