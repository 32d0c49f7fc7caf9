#pragma once
// Bearer authentication (RFC 6750) of one exchange: parse the JWT in the core, choose the key
// (inline JWKS, or a fetch_jwks action when only AUTH_JWKS_URL is set), ask the host to verify
// the signature (a verify_signature action), and only then check the claims.
//
// A positive verdict is remembered per engine (auth::verdict_memo, in auth_state): the same
// token again skips the verify_signature action; its claims are still checked every time. A
// token verified against a fixed key (HS256 with the development secret, AUTH_JWKS) is also
// remembered whole (auth::token_memo): the same token again skips its parse and key choice too.
//
// Outcomes: the user id (`sub`), or a ready response: 401 with `WWW-Authenticate: Bearer
// realm="edgefn"` when there is no bearer token, 401 invalid_token (with error_description)
// for any token problem (malformed, alg none / unsupported, a "crit" header, HS256 without
// the development secret, HS256 against a JWKS key, unknown kid, bad signature, then expired,
// not yet valid, a sub with control characters, wrong iss/aud), or 503 when the JWKS cannot
// be fetched.

#include <string>
#include <vector>

#include "api/config.h"
#include "auth/jwks.h"
#include "auth/token_memo.h"
#include "auth/verdicts.h"
#include "base/result.h"
#include "exchange/context.h"
#include "exchange/task.h"

namespace edgefn::api {

/// Positive signature verdicts an engine remembers (32-byte digests: 1024 entries cost ~100 KB).
inline constexpr std::size_t k_verdict_memo_entries = 1024;

/// Tokens an engine remembers whole. Each entry is the token (at most 2 KiB) and its claims
/// (decoded from it, so smaller): under 1 MiB for all of them at most (arithmetic, not measured).
inline constexpr std::size_t k_token_memo_entries = 256;

/// State shared by every exchange of an engine: the configuration and keys never change after
/// construction; `verified` and `tokens` are caches (an engine is driven from one thread, so no
/// lock).
struct auth_state {
  config cfg;
  std::vector<auth::jwk> inline_keys;  ///< parsed AUTH_JWKS (empty when unset or invalid)
  mutable auth::verdict_memo verified{k_verdict_memo_entries};
  mutable auth::token_memo tokens{k_token_memo_entries};
};

using auth_result = basic_result<std::string, exchange::response>;

/// Authenticates the exchange's request. `state` must outlive the exchange.
[[nodiscard]] exchange::task<auth_result> authenticate(exchange::context& ctx,
                                                       const auth_state& state);

}  // namespace edgefn::api
