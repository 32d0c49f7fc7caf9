#pragma once
// The HTTP application framework: an app's route table (api/route.h) served as an
// exchange::handler. The framework owns routing, typed path parameters, authentication, CORS,
// X-Request-Id on every response, the error envelope, body validation, the OpenAPI document and
// one structured log line per request ({"msg":"request","method","route","status",
// "duration_ms","db_round_trips","request_id"}; never tokens or secrets). db_round_trips counts
// the SQL actions issued (a read the host answers from its cache still counts).
//
// With config::server_timing (SERVER_TIMING=true) every response also carries
//   Server-Timing: db;dur=<ms>, cache;desc=<hit|miss|stale|bypass>, auth;dur=<ms>
// and the log line "db_ms", "cache" and "auth_ms" with the same values. db is the host time
// spent waiting on SQL (concurrent queries counted once), auth the time spent authenticating
// (signature checks, JWKS fetches), both from the host times the engine is given; cache is the
// costliest answer of the request's SQL as the hosts report it (miss > stale > hit > bypass;
// bypass when no query went through the cache).
//
// With a read replica (config::read_replica), the db entry also names the databases whose
// answers the request used — `db;dur=12;desc=replica` (or primary, or replica+primary when its
// queries used both; none when every answer came from the cache) — and the log line carries
// "db" with the same word. A replica answer discarded for being behind the bookmark does not
// count (its time does, in dur).
//
// Bookmarks: a response to a request whose writes committed carries `Edgefn-Bookmark: <WAL
// position>:<transaction id>` (api/bookmark.h; read in each write's own transaction). A request that sends it back has its
// cacheable reads answered only from cache entries fetched for that bookmark or a later one
// (exchange::sql_call::after_lsn), so it observes the write from any host instance; a bookmark
// that does not parse is ignored (logged).
//
// Order of checks: CORS preflight (204, no auth, no DB) -> unknown path (404) -> method not
// allowed (405 + Allow) -> health / OpenAPI (no auth) -> authentication per route (401) ->
// path parameters (a malformed one: 404, like a missing resource) -> the handler.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "api/body.h"
#include "api/config.h"
#include "api/errors.h"
#include "api/idempotency.h"
#include "api/route.h"
#include "api/router.h"
#include "api/sql.h"
#include "exchange/engine.h"

namespace edgefn::api {

/// One request as a route handler sees it. Owned by the framework's coroutine; it outlives the
/// handler coroutine, so handlers may hold `route_call&` across co_await.
class route_call {
 public:
  /// `request_bookmark`: the request's Edgefn-Bookmark (api/bookmark.h; lsn 0 = none).
  route_call(exchange::context& ctx, const route_def& def, const config& cfg,
             std::optional<std::string> user, std::vector<path_value> params, bookmark request_bookmark = {})
      : ctx_(ctx), def_(def), cfg_(cfg), user_(std::move(user)), params_(std::move(params)),
        bookmark_(request_bookmark) {}
  route_call(const route_call&) = delete;
  route_call& operator=(const route_call&) = delete;

  [[nodiscard]] exchange::context& ctx() const noexcept { return ctx_; }
  [[nodiscard]] const exchange::request& req() const noexcept { return ctx_.req(); }
  /// The request's id. A handler that reads it may put it in its answer, which then holds
  /// for this request only: the response is never replayed (response::reuse_until_ms).
  [[nodiscard]] const std::string& request_id() const noexcept {
    ctx_.limit_reuse(0);
    return ctx_.request_id();
  }
  [[nodiscard]] const route_def& route() const noexcept { return def_; }
  /// The authenticated user (`sub`); nullopt for anonymous calls of optional/public routes.
  [[nodiscard]] const std::optional<std::string>& user() const noexcept { return user_; }
  /// The user of an auth_mode::required route (never empty there).
  [[nodiscard]] const std::string& user_id() const noexcept;
  /// A numeric path parameter ({int} / {id}); 0 when the route has no such parameter.
  [[nodiscard]] std::int32_t number(std::string_view name) const noexcept;
  /// A path parameter's percent-decoded text ("" when absent).
  [[nodiscard]] const std::string& text(std::string_view name) const noexcept;
  /// The app setting `name` (an APP_* variable of the host), or nullptr.
  [[nodiscard]] const std::string* setting(std::string_view name) const { return cfg_.setting(name); }
  /// The raw query string (after '?').
  [[nodiscard]] std::string_view query_string() const noexcept;

  /// The route's body validated and typed for T (T must be the route's body table), or the
  /// error response. `extra` (optional) adds app rules: it returns field errors reported with
  /// the framework's in one 400.
  template <db::table T, class Extra = std::nullptr_t>
  [[nodiscard]] basic_result<db::values<T>, exchange::response> body(Extra extra = nullptr) const;

  /// Runs `s` on the route's pool (writes always go to the database, the primary); with a read
  /// replica, a replica-safe read (route_def::replica, or a cacheable read on the cached pool)
  /// is marked for it: without a bookmark as is (it may be stale), with one on a replica-safe
  /// route as a checked replica read (api/replica.h), and a cached-pool read with a bookmark
  /// goes to the cache's entries for it or the primary. Constraint errors name
  /// the route body's fields. The query's deadline is the time left of the route's
  /// (route_def::timeout_ms), or `timeout_ms` when that is sooner (0: the route's alone); once
  /// the route's deadline has passed it answers 504 `timeout` without querying. A write of a
  /// request with an Idempotency-Key is recorded with it, or replayed (api/idempotency.h).
  [[nodiscard]] exchange::task<sql_result> run(db::statement s, std::uint32_t timeout_ms = 0);

  /// 404 with the route's not_found message (the same as for a malformed path parameter).
  [[nodiscard]] exchange::response not_found() const { return error_response(error_code::not_found, def_.not_found); }

  /// Sends the request's writes under its Idempotency-Key (api/idempotency.h); `writes`
  /// outlives this call. nullptr: none.
  void set_idempotency(idempotent_writes* writes) noexcept { idempotent_ = writes; }

  /// Queues a structured log line.
  void log(std::string line) { ctx_.log(std::move(line)); }

  /// The bookmark the response carries: the WAL position of the last write run() committed
  /// (0 = none) and its transaction id.
  [[nodiscard]] std::uint64_t written_lsn() const noexcept { return written_.lsn; }
  [[nodiscard]] const bookmark& written() const noexcept { return written_; }

 private:
  exchange::context& ctx_;
  const route_def& def_;
  const config& cfg_;
  std::optional<std::string> user_;
  std::vector<path_value> params_;
  bookmark bookmark_;
  bookmark written_;
  idempotent_writes* idempotent_ = nullptr;
};

/// A request's body for `def` typed as T's values (T must be def's table), or the error
/// response: 413/415/400 invalid_json, then 400 validation_failed with the schema's field
/// errors, NUL characters in text, and `extra`'s app rules (a callable taking the values and
/// returning field_errors; nullptr for none), all in one response, one message per field (the
/// earliest stage's). `extra` runs on the fields that passed the schema (a failing one is
/// absent from its values).
template <db::table T, class Extra = std::nullptr_t>
[[nodiscard]] basic_result<db::values<T>, exchange::response> parse_body(const exchange::request& req,
                                                                         const body_def& def,
                                                                         std::size_t max_bytes,
                                                                         Extra extra = nullptr) {
  if (def.table.columns.data() != db::column_infos_v<T>.data())
    return error_response(error_code::internal, "route body does not match its table");
  auto read = read_body(req, def, max_bytes);
  if (!read) return std::move(read).error();
  auto values = db::values_from_cells<T>(read->cells);
  if constexpr (!std::is_same_v<Extra, std::nullptr_t>) add_field_errors(read->fields, extra(values));
  if (!read->fields.empty()) return invalid_fields(read->fields);
  return values;
}

template <db::table T, class Extra>
basic_result<db::values<T>, exchange::response> route_call::body(Extra extra) const {
  return parse_body<T>(req(), def_.body, cfg_.max_body_bytes, std::move(extra));
}

/// The handler serving `app` for an exchange::engine. `app` (static storage) must outlive it;
/// the configuration is copied into read-only state shared by all exchanges. Errors:
/// invalid_argument for a malformed route pattern or a max_body_bytes outside
/// 1..k_max_body_bytes_ceiling. An AUTH_JWKS that does not parse leaves no
/// inline keys (RS256/ES256 tokens are then refused; hosts reject such a config at startup).
[[nodiscard]] result<exchange::handler> make_handler(const app_spec& app, config cfg);

/// True when `jwks` parses as a JWKS (for hosts validating configuration).
[[nodiscard]] bool valid_jwks(std::string_view jwks);

/// The request id to use: the request's X-Request-Id when it is 1..64 characters of
/// [A-Za-z0-9._:-], else `host_id`.
[[nodiscard]] std::string choose_request_id(const exchange::request& req, std::string host_id);

}  // namespace edgefn::api
