#include "api/errors.h"

#include "auth/jwt.h"
#include "base/json_writer.h"

namespace edgefn::api {

std::string_view to_string(error_code c) noexcept {
  switch (c) {
    case error_code::invalid_json: return "invalid_json";
    case error_code::validation_failed: return "validation_failed";
    case error_code::unauthorized: return "unauthorized";
    case error_code::not_found: return "not_found";
    case error_code::method_not_allowed: return "method_not_allowed";
    case error_code::conflict: return "conflict";
    case error_code::payload_too_large: return "payload_too_large";
    case error_code::unsupported_media_type: return "unsupported_media_type";
    case error_code::service_unavailable: return "service_unavailable";
    case error_code::internal: return "internal";
    case error_code::timeout: return "timeout";
    case error_code::idempotency_key_reused: return "idempotency_key_reused";
    case error_code::bad_request: return "bad_request";
  }
  return "internal";
}

int status_of(error_code c) noexcept {
  switch (c) {
    case error_code::invalid_json: return 400;
    case error_code::validation_failed: return 400;
    case error_code::unauthorized: return 401;
    case error_code::not_found: return 404;
    case error_code::method_not_allowed: return 405;
    case error_code::conflict: return 409;
    case error_code::payload_too_large: return 413;
    case error_code::unsupported_media_type: return 415;
    case error_code::service_unavailable: return 503;
    case error_code::internal: return 500;
    case error_code::timeout: return 504;
    case error_code::idempotency_key_reused: return 422;
    case error_code::bad_request: return 400;
  }
  return 500;
}

exchange::response json_response(int status, std::string body) {
  exchange::response r;
  r.status = status;
  http::add_header(r.headers, "Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

exchange::response error_response(error_code code, std::string_view message,
                                  const field_errors& fields) {
  std::string body;
  json::writer w(body);
  w.begin_object().key("error").begin_object();
  w.key("code").string(to_string(code)).key("message").string(message);
  if (!fields.empty()) {
    w.key("fields").begin_object();
    for (const auto& [k, v] : fields) w.key(k).string(v);
    w.end_object();
  }
  w.end_object().end_object();
  auto r = json_response(status_of(code), std::move(body));
  if (code == error_code::service_unavailable) http::add_header(r.headers, "Retry-After", "5");
  return r;
}

exchange::response missing_token() {
  auto r = error_response(error_code::unauthorized, "missing bearer token");
  http::add_header(r.headers, "WWW-Authenticate", "Bearer realm=\"edgefn\"");
  return r;
}

exchange::response invalid_token(std::string_view reason) {
  auto r = error_response(error_code::unauthorized, reason);
  http::add_header(r.headers, "WWW-Authenticate", auth::invalid_token_challenge(reason));
  return r;
}

exchange::response method_not_allowed(std::string_view allow) {
  auto r = error_response(error_code::method_not_allowed, "method not allowed");
  http::add_header(r.headers, "Allow", std::string(allow));
  return r;
}

exchange::response internal_error(std::string_view request_id) {
  return error_response(error_code::internal,
                        "internal error (request id " + std::string(request_id) + ")");
}

}  // namespace edgefn::api
