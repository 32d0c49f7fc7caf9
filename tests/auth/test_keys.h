#pragma once
// Test keys generated with OpenSSL at run time: RS256, ES256 and EdDSA (Ed25519) signers with
// their public JWKs, and compact-JWS helpers (for unit and integration tests).

#include <memory>
#include <string>

namespace edgefn::testing {

class test_key {
 public:
  /// "RS256" (RSA 2048), "ES256" (P-256) or "EdDSA" (Ed25519).
  static test_key generate(const std::string& alg, const std::string& kid);
  test_key(test_key&&) noexcept;
  ~test_key();

  /// The public key as a JWK object with kid, alg and use.
  [[nodiscard]] std::string jwk() const;
  /// {"keys":[jwk]}.
  [[nodiscard]] std::string jwks() const { return "{\"keys\":[" + jwk() + "]}"; }
  /// The JWS signature of `input` (ES256: raw r||s; EdDSA: the 64-byte Ed25519 signature).
  [[nodiscard]] std::string sign(const std::string& input) const;
  /// A compact JWS: header {"alg","typ","kid"} (kid omitted when `kid` is "-").
  [[nodiscard]] std::string token(const std::string& claims_json, const std::string& kid = {}) const;
  /// A compact JWS with `header_json` exactly as given (for crit, alg spellings, ...).
  [[nodiscard]] std::string token_with_header(const std::string& header_json,
                                              const std::string& claims_json) const;

  [[nodiscard]] const std::string& alg() const { return alg_; }
  [[nodiscard]] const std::string& kid() const { return kid_; }

 private:
  test_key() = default;
  std::string alg_, kid_;
  void* pkey_ = nullptr;
};

/// An HS256 token signed with `secret`.
[[nodiscard]] std::string hs256_token(const std::string& secret, const std::string& claims_json);

}  // namespace edgefn::testing
