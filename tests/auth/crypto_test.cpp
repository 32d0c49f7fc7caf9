// The native verify_signature executor (OpenSSL) with keys generated at run time.

#include <gtest/gtest.h>

#include "auth/base64.h"
#include "auth/jwt.h"
#include "auth/test_keys.h"
#include "host/jws_crypto.h"

namespace edgefn::host {
namespace {

using testing::test_key;

const std::string k_claims = R"({"sub":"kp_abc123","exp":4000000000})";

void expect_verifies(const test_key& key) {
  const auto t = auth::parse_jwt(key.token(k_claims));
  ASSERT_TRUE(t);
  EXPECT_TRUE(verify_jws(key.alg(), key.jwk(), t->signing_input, t->signature, ""));
  std::string tampered = t->signing_input;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_jws(key.alg(), key.jwk(), tampered, t->signature, ""));
  std::string bad_sig = t->signature;
  bad_sig[5] = static_cast<char>(bad_sig[5] ^ 1);
  EXPECT_FALSE(verify_jws(key.alg(), key.jwk(), t->signing_input, bad_sig, ""));
}

TEST(crypto_test, rs256_verifies_and_rejects_tampering) { expect_verifies(test_key::generate("RS256", "r")); }
TEST(crypto_test, es256_verifies_and_rejects_tampering) { expect_verifies(test_key::generate("ES256", "e")); }

TEST(crypto_test, eddsa_verifies_and_rejects_tampering) { expect_verifies(test_key::generate("EdDSA", "d")); }

TEST(crypto_test, eddsa_needs_an_ed25519_okp_key) {
  const auto a = test_key::generate("EdDSA", "a");
  const auto t = auth::parse_jwt(a.token(k_claims));
  ASSERT_TRUE(t);
  const std::string jwk = a.jwk();
  const auto x_at = jwk.find("\"x\":");
  const std::string x = jwk.substr(x_at, jwk.size() - x_at - 1);
  EXPECT_TRUE(verify_jws("EdDSA", R"({"kty":"OKP","crv":"Ed25519",)" + x + "}", t->signing_input, t->signature, ""));
  for (const std::string& bad : {R"({"kty":"OKP","crv":"Ed448",)" + x + "}", R"({"kty":"OKP","crv":"X25519",)" + x + "}",
                                 R"({"kty":"EC","crv":"Ed25519",)" + x + "}", std::string(R"({"kty":"OKP","crv":"Ed25519"})"),
                                 std::string(R"({"kty":"OKP","crv":"Ed25519","x":"AAAA"})"),
                                 std::string(R"({"kty":"OKP","crv":"Ed25519","x":5})")})
    EXPECT_FALSE(verify_jws("EdDSA", bad, t->signing_input, t->signature, "")) << bad;
  EXPECT_FALSE(verify_jws("ES256", jwk, t->signing_input, t->signature, "")) << "alg/key mismatch";
  EXPECT_FALSE(verify_jws("EdDSA", jwk, t->signing_input, t->signature.substr(0, 63), "")) << "short signature";
  const auto b = test_key::generate("EdDSA", "a");
  EXPECT_FALSE(verify_jws("EdDSA", b.jwk(), t->signing_input, t->signature, "")) << "another key";
  const auto es = test_key::generate("ES256", "e");
  EXPECT_FALSE(verify_jws("EdDSA", es.jwk(), t->signing_input, t->signature, "")) << "EC key";
}

TEST(crypto_test, other_key_fails) {
  const auto a = test_key::generate("ES256", "a");
  const auto b = test_key::generate("ES256", "b");
  const auto t = auth::parse_jwt(a.token(k_claims));
  ASSERT_TRUE(t);
  EXPECT_FALSE(verify_jws("ES256", b.jwk(), t->signing_input, t->signature, ""));
  EXPECT_FALSE(verify_jws("RS256", a.jwk(), t->signing_input, t->signature, "")) << "alg/key mismatch";
}

TEST(crypto_test, hs256_uses_only_the_dev_secret) {
  const auto token = testing::hs256_token("s3cret", k_claims);
  const auto t = auth::parse_jwt(token);
  ASSERT_TRUE(t);
  EXPECT_TRUE(verify_jws("HS256", "", t->signing_input, t->signature, "s3cret"));
  EXPECT_FALSE(verify_jws("HS256", "", t->signing_input, t->signature, "other"));
  EXPECT_FALSE(verify_jws("HS256", "", t->signing_input, t->signature, "")) << "no secret: refused";
  // HS256 "keyed" with a JWK (algorithm confusion) never verifies.
  const auto rsa = test_key::generate("RS256", "r");
  EXPECT_FALSE(verify_jws("HS256", rsa.jwk(), t->signing_input, t->signature, "s3cret"));
}

}  // namespace
}  // namespace edgefn::host
