#pragma once
// The API's error responses: {"error":{"code":"…","message":"…","fields":{…}}} with the exact
// codes of the contract. Messages are for clients: never SQL text, connection strings, tokens
// or stack traces.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exchange/action.h"

namespace edgefn::api {

enum class error_code : std::uint8_t {
  invalid_json,            ///< 400
  validation_failed,       ///< 400, with fields
  unauthorized,            ///< 401, with WWW-Authenticate
  not_found,               ///< 404
  method_not_allowed,      ///< 405, with Allow
  conflict,                ///< 409 (a unique or foreign-key constraint), with fields
  payload_too_large,       ///< 413
  unsupported_media_type,  ///< 415
  service_unavailable,     ///< 503, with Retry-After: 5
  internal,                ///< 500
  timeout,                 ///< 504: the route's database deadline passed
  idempotency_key_reused,  ///< 422: an Idempotency-Key sent again with another request
  /// 400 (431 for a head over the limit): the HTTP message itself is malformed (its framing or
  /// headers); the server refuses it before any route sees it.
  bad_request,
};

/// The last error_code: every code is in 0..k_last_error_code (the OpenAPI document lists them).
inline constexpr error_code k_last_error_code = error_code::bad_request;

[[nodiscard]] std::string_view to_string(error_code c) noexcept;
[[nodiscard]] int status_of(error_code c) noexcept;

/// Per-field messages, in report order: {"limit":"must be an integer from 1 to 100"}.
using field_errors = std::vector<std::pair<std::string, std::string>>;

/// The JSON error response (Content-Type: application/json). `fields` are written only when
/// non-empty. 503 gets Retry-After: 5.
[[nodiscard]] exchange::response error_response(error_code code, std::string_view message,
                                                const field_errors& fields = {});

/// 401 for a missing Authorization header: WWW-Authenticate: Bearer realm="edgefn".
[[nodiscard]] exchange::response missing_token();
/// 401 for a rejected token, with error="invalid_token" and `reason` as error_description.
[[nodiscard]] exchange::response invalid_token(std::string_view reason);
/// 405 with the Allow header.
[[nodiscard]] exchange::response method_not_allowed(std::string_view allow);
/// 500 whose message carries the request id (and nothing else internal).
[[nodiscard]] exchange::response internal_error(std::string_view request_id);

/// A JSON response with `status` and the body as given.
[[nodiscard]] exchange::response json_response(int status, std::string body);

}  // namespace edgefn::api
