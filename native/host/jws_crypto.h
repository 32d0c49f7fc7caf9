#pragma once
// Signature checks for the verify_signature action, with OpenSSL: RS256 (RSASSA-PKCS1-v1_5 +
// SHA-256), ES256 (ECDSA P-256 + SHA-256, raw r||s signatures) and EdDSA (Ed25519, OKP JWKs per
// RFC 8037) against a JWK, HS256 against the development secret. Also HS256 signing for `edgefn token`.

#include <string>
#include <string_view>

namespace edgefn::host {

/// True when `signature` is a valid `alg` signature of `input` under `jwk_json` ("" = HS256
/// with `dev_secret`). Any unusable key, unknown alg, or alg/key mismatch gives false; HS256
/// with an empty `dev_secret` gives false.
[[nodiscard]] bool verify_jws(std::string_view alg, std::string_view jwk_json,
                              std::string_view input, std::string_view signature,
                              std::string_view dev_secret);

/// HMAC-SHA256 of `input` under `secret` (32 raw bytes).
[[nodiscard]] std::string hmac_sha256(std::string_view secret, std::string_view input);

}  // namespace edgefn::host
