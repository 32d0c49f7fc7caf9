#pragma once
// The engine configuration blob the host passes to edgefn_engine_create: a JSON object
// (the Worker builds it from its vars; secrets never appear in it).
//
//   {"auth_issuer":"https://issuer","auth_audience":"edgefn","auth_jwks":"{\"keys\":[...]}",
//    "auth_jwks_url":"https://.../jwks.json","auth_dev_hs256":true,
//    "cors_origins":"https://a.example, https://b.example","max_body_bytes":65536,
//    "app_settings":{"APP_IMAGES_OWNER_PREFIX":"users/{sub}/"},"sql_timeout_ms":10000,
//    "server_timing":false,"read_replica":false,"bookmarks":true}
//
// Every key is optional; unknown keys are ignored.

#include <string_view>

#include "api/config.h"
#include "base/result.h"

namespace edgefn::wasm {

/// Decodes the blob. Errors: malformed JSON (errc::parse_error), an ill-typed key or an
/// AUTH_JWKS that is not a JWKS document (errc::invalid_argument). Messages quote no values.
[[nodiscard]] result<api::config> decode_config(std::string_view json);

}  // namespace edgefn::wasm
