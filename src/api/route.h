#pragma once
// An app's route table: what an app declares, the framework does the rest (matching, typed path
// parameters, authentication, body validation, CORS, request ids, the error envelope, the log
// line and the OpenAPI document).
//
//   constexpr api::route_def routes[] = {
//     {.method = "GET", .path = "/posts/:postId{int}", .auth = api::auth_mode::none,
//      .pool = exchange::pool::cached, .handler = get_post, .summary = "...",
//      .response = api::row_of<posts>("Post")},
//   };
//
// Path patterns: literal segments and `:name` parameters, typed by a suffix: `:name` (text, one
// non-empty segment, percent-decoded), `:name{int}` (an int32), `:name{id}` (1..2147483647). A
// segment that does not parse as its type answers 404 like a missing resource (after
// authentication, so it reveals nothing to anonymous clients). Literal segments win over
// parameters ("/a/total" before "/a/:id").

#include <cstdint>
#include <span>
#include <string_view>

#include "db/table.h"
#include "db/validate.h"
#include "exchange/action.h"
#include "exchange/task.h"

namespace edgefn::api {

class route_call;

/// Who may call a route.
enum class auth_mode : std::uint8_t {
  required,  ///< a valid bearer token (401 otherwise); route_call::user() is its `sub`
  optional,  ///< anonymous allowed; a token, when sent, must be valid (401 otherwise)
  none,      ///< public: the Authorization header is ignored
};

/// A route's handler: a coroutine serving one request. `call` outlives the coroutine.
using route_handler = exchange::task<exchange::response> (*)(route_call& call);

/// The columns of a table (static storage), for validation and documentation.
struct table_doc {
  std::string_view name;  ///< component name in OpenAPI ("Post")
  std::span<const db::column_info* const> columns{};
  [[nodiscard]] constexpr bool empty() const noexcept { return columns.empty(); }
};

template <db::table T>
[[nodiscard]] constexpr table_doc table_of(std::string_view component) {
  return {component, db::column_infos_v<T>};
}

/// The JSON body a route accepts: drizzle-zod's insert or update schema of a table, minus the
/// server-set columns in `omit` (SQL names).
struct body_def {
  table_doc table{};
  db::body_mode mode = db::body_mode::insert;
  std::span<const std::string_view> omit{};
  [[nodiscard]] constexpr bool empty() const noexcept { return table.empty(); }
};

/// The success response's shape, for the OpenAPI document.
enum class response_shape : std::uint8_t {
  none,       ///< no body documented
  row,        ///< one row of `table`
  rows,       ///< a JSON array of rows of `table`
  rows_in,    ///< {"<key>": [rows], ...extra}: a page
  custom,     ///< `schema` is the JSON Schema text
};

struct response_def {
  int status = 200;
  std::string_view description = "ok";
  response_shape shape = response_shape::none;
  table_doc table{};
  std::string_view key{};     ///< rows_in: the array's key
  std::string_view schema{};  ///< custom: a JSON Schema; rows_in: extra properties ("\"next\":{...}")
  /// Nested rows (the "comments" of a post): a row plus an array of `nested` rows under
  /// `nested_key` (shape row only).
  table_doc nested{};
  std::string_view nested_key{};
};

template <db::table T>
[[nodiscard]] constexpr response_def row_of(std::string_view component, int status = 200,
                                            std::string_view description = "ok") {
  return {status, description, response_shape::row, table_of<T>(component)};
}
template <db::table T>
[[nodiscard]] constexpr response_def rows_of(std::string_view component, int status = 200,
                                             std::string_view description = "ok") {
  return {status, description, response_shape::rows, table_of<T>(component)};
}

/// A documented query parameter (the handler parses it).
struct query_param_def {
  std::string_view name;
  std::string_view schema;  ///< JSON Schema text ("{\"type\":\"integer\",\"minimum\":1}")
  std::string_view description{};
};

/// One route. Every string has static storage (route tables are constants).
struct route_def {
  std::string_view method;  ///< "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string_view path;    ///< see the file comment
  auth_mode auth = auth_mode::required;
  /// The pool its SQL goes to: `cached` lets a host serve the route's cacheable reads from its
  /// cache; writes always go to the database, whatever the route says.
  exchange::pool pool = exchange::pool::direct;
  /// Replica-safe: when the host has a read replica (DATABASE_URL_READ), every read of the
  /// route may be served by it. A request without a bookmark may then see data a few moments
  /// old; one with a bookmark is answered by the replica only once it has replayed past the
  /// bookmark, else by the primary (see api/replica.h). Cacheable reads on the `cached` pool
  /// use the replica for their misses whatever this says; writes always go to the primary.
  bool replica = false;
  route_handler handler = nullptr;
  /// The 404 message for a malformed path parameter; handlers answer a missing resource with
  /// route_call::not_found(), so both look the same.
  std::string_view not_found = "not found";
  /// The route's database deadline in ms, counted from the request's arrival (host time): each
  /// query is sent with the time left (or less, see route_call::run), the host aborts the /sql
  /// request when it passes, and the client gets 504 `timeout`. 0 = the app's default
  /// (config::sql_timeout_ms: SQL_TIMEOUT_MS, default 10 s).
  std::uint32_t timeout_ms = 0;
  // ---- documentation and validation ----
  std::string_view operation_id{};
  std::string_view summary{};
  body_def body{};
  response_def response{};
  std::span<const query_param_def> query{};
};

/// An app: its routes and its document's metadata (static storage).
struct app_spec {
  std::string_view title;
  std::string_view version = "1.0.0";
  std::string_view description{};
  std::span<const route_def> routes;
  /// Framework routes (no auth, no database); "" disables one.
  std::string_view health_path = "/healthz";
  std::string_view openapi_path = "/api/openapi.json";
};

}  // namespace edgefn::api
