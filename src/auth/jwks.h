#pragma once
// JSON Web Key Sets (RFC 7517): choosing the key a token names. Keys are passed on as their
// JSON text (the host imports them); the core only checks they fit the token's algorithm, which
// is what blocks algorithm confusion (an RS256/ES256 token never meets a symmetric key, and an
// HS256 token never meets a JWKS key).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt.h"
#include "base/result.h"

namespace edgefn::auth {

struct jwk {
  std::string kty;  ///< "RSA", "EC", "OKP", "oct", ...
  std::string crv;  ///< EC or OKP curve ("P-256", "Ed25519")
  std::optional<std::string> kid, alg, use;
  std::string json;  ///< the key object as JSON text (for the host)
};

/// Parses {"keys":[...]}; keys that are not objects or lack kty are skipped. Errors
/// (errc::parse_error): not JSON, or no "keys" array.
[[nodiscard]] result<std::vector<jwk>> parse_jwks(std::string_view json);

/// The key for `token`: RS256 needs kty RSA, ES256 needs kty EC with crv P-256, EdDSA needs kty
/// OKP with crv Ed25519 (RFC 8037); a key's `alg`, when present, must name the token's
/// algorithm ("EdDSA" or "Ed25519" for EdDSA); `use`, when present, must be "sig". The token must
/// name its key: a token without kid is refused (no guessing among keys). Errors
/// (errc::invalid_argument): "missing kid", "unknown kid", "key does not match algorithm";
/// HS256 tokens always fail here ("algorithm not allowed for JWKS keys").
[[nodiscard]] result<jwk> select_key(const std::vector<jwk>& keys, const jwt& token);

}  // namespace edgefn::auth
