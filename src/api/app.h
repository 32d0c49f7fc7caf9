#pragma once
// The wardrobe API as an exchange handler: routing, CORS, authentication, the route handlers,
// X-Request-Id on every response, and one structured log line per request
// ({"msg":"request","method","route","status","duration_ms","db_round_trips","request_id"};
// never tokens or secrets). db_round_trips counts the SQL actions issued (a read the host
// answers from its cache still counts: the core cannot tell).
//
// Order of checks: CORS preflight (204, no auth, no DB) -> unknown path (404) -> method not
// allowed (405 + Allow) -> /healthz and /api/openapi.json (no auth) -> authentication (401)
// -> the route (an :id that is not 1..2^31-1 gives the same 404 as a missing item).

#include <memory>
#include <string>

#include "api/config.h"
#include "exchange/engine.h"

namespace edgefn::api {

/// The handler for an exchange::engine. The configuration is copied into read-only state shared
/// by all exchanges of the engine. An AUTH_JWKS that does not parse leaves no inline keys
/// (RS256/ES256 tokens are then refused; the host should reject such a config at startup).
[[nodiscard]] exchange::handler make_handler(config cfg);

/// True when `jwks` parses as a JWKS (for hosts validating configuration).
[[nodiscard]] bool valid_jwks(std::string_view jwks);

/// The request id to use: the request's X-Request-Id when it is 1..64 characters of
/// [A-Za-z0-9._:-], else `host_id`.
[[nodiscard]] std::string choose_request_id(const exchange::request& req, std::string host_id);

}  // namespace edgefn::api
