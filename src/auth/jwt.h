#pragma once
// JWT (RFC 7519) compact JWS parsing and claim checks. The signature is NOT checked here: the
// core turns it into a signature_check action (the host owns the crypto: OpenSSL natively,
// WebCrypto in the Worker). Messages are safe to return to clients (they never quote the token).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace edgefn::auth {

/// The algorithms the core accepts. Everything else (none, HS384, RS512, PS256, Ed448, ...) is
/// refused. `eddsa` is Ed25519 (header alg "EdDSA" per RFC 8037, or the fully-specified
/// "Ed25519"); it is passed to hosts as "EdDSA".
enum class jws_alg : std::uint8_t { rs256, es256, hs256, eddsa };

[[nodiscard]] std::string_view to_string(jws_alg a) noexcept;

/// A parsed (not yet verified) token.
struct jwt {
  jws_alg alg = jws_alg::rs256;
  std::optional<std::string> kid;
  std::string signing_input;  ///< header "." payload, as received
  std::string signature;      ///< decoded signature bytes
  // claims
  std::optional<std::string> sub, iss;
  std::vector<std::string> aud;  ///< "aud" as a string or an array of strings
  std::optional<std::int64_t> exp, nbf, iat;
};

/// Parses a compact JWS. Errors (errc::invalid_argument, message for the client):
/// "malformed token" (not three base64url parts, bad JSON, header/claims not objects,
/// wrong claim types), "unsupported algorithm" (alg missing, "none", or not
/// RS256/ES256/HS256/EdDSA/Ed25519), "unsupported critical header" (any "crit" header: no
/// extension is understood, RFC 7515 §4.1.11), "bad signature length" (ES256 or EdDSA not 64
/// bytes; empty signature).
[[nodiscard]] result<jwt> parse_jwt(std::string_view token);

/// What claims must satisfy.
struct claim_rules {
  std::string issuer;    ///< "" = not checked
  std::string audience;  ///< "" = not checked; else must be one of `aud`
  std::int64_t leeway_s = 60;
};

/// Checks sub (present, non-empty, <= 256 bytes, no C0/C1 control character or DEL), exp
/// (required; now < exp + leeway), nbf (now >= nbf - leeway), iss and aud; the leeway
/// arithmetic saturates at the int64 limits. Call it only on a token whose signature verified:
/// the claims of an unverified token are attacker-chosen. `now_s`: Unix seconds. Errors
/// (errc::invalid_argument): "token expired", "token not yet valid", "missing exp claim",
/// "missing sub claim", "invalid sub claim", "invalid issuer", "invalid audience".
[[nodiscard]] status check_claims(const jwt& t, const claim_rules& rules, std::int64_t now_s);

/// The first host time (ms since the Unix epoch) at which check_claims refuses `t` as expired:
/// (exp + leeway) * 1000, saturating; INT64_MAX without exp (check_claims refuses it anyway).
[[nodiscard]] std::int64_t expiry_ms(const jwt& t, const claim_rules& rules) noexcept;

/// The WWW-Authenticate value for a rejected token (RFC 6750 §3): quotes and backslashes in
/// `description` are replaced so the header stays well-formed.
[[nodiscard]] std::string invalid_token_challenge(std::string_view description);

}  // namespace edgefn::auth
