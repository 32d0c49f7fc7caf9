// Key selection: kid lookup, algorithm/key-type fit (algorithm confusion), unknown kids.

#include <gtest/gtest.h>

#include "auth/jwks.h"

namespace edgefn::auth {
namespace {

const char* k_jwks = R"({"keys":[
  {"kty":"RSA","kid":"rsa1","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"},
  {"kty":"EC","kid":"ec1","crv":"P-256","x":"AA","y":"AA"},
  {"kty":"oct","kid":"sym","k":"c2VjcmV0"},
  {"kty":"EC","kid":"ec384","crv":"P-384","x":"AA","y":"AA"},
  {"kid":"no-kty"}, 5
]})";

jwt token(jws_alg alg, std::optional<std::string> kid) {
  jwt t;
  t.alg = alg;
  t.kid = std::move(kid);
  return t;
}

TEST(jwks_test, parses_keys_and_skips_unusable_entries) {
  auto keys = parse_jwks(k_jwks);
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 4u);
  EXPECT_EQ((*keys)[0].kty, "RSA");
  EXPECT_EQ((*keys)[0].json.find("\"n\":\"AQAB\"") != std::string::npos, true);
  EXPECT_FALSE(parse_jwks("{}"));
  EXPECT_FALSE(parse_jwks("nope"));
}

TEST(jwks_test, selects_by_kid_when_the_key_fits) {
  auto keys = *parse_jwks(k_jwks);
  auto rsa = select_key(keys, token(jws_alg::rs256, "rsa1"));
  ASSERT_TRUE(rsa);
  EXPECT_EQ(rsa->kid, "rsa1");
  auto ec = select_key(keys, token(jws_alg::es256, "ec1"));
  ASSERT_TRUE(ec);
  EXPECT_EQ(ec->kid, "ec1");
}

TEST(jwks_test, unknown_kid_is_refused) {
  auto keys = *parse_jwks(k_jwks);
  auto r = select_key(keys, token(jws_alg::rs256, "rotated-away"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unknown kid");
}

TEST(jwks_test, algorithm_confusion_is_refused) {
  auto keys = *parse_jwks(k_jwks);
  // HS256 "signed with the RSA public key": never verified against a JWKS key.
  EXPECT_FALSE(select_key(keys, token(jws_alg::hs256, "rsa1")));
  EXPECT_FALSE(select_key(keys, token(jws_alg::hs256, "sym")));
  // An RS256 token naming an EC key, an ES256 token naming an RSA key or a P-384 key.
  EXPECT_EQ(select_key(keys, token(jws_alg::rs256, "ec1")).error().message, "key does not match algorithm");
  EXPECT_FALSE(select_key(keys, token(jws_alg::es256, "rsa1")));
  EXPECT_FALSE(select_key(keys, token(jws_alg::es256, "ec384")));
  EXPECT_FALSE(select_key(keys, token(jws_alg::rs256, "sym")));
}

TEST(jwks_test, eddsa_needs_an_ed25519_okp_key) {
  auto keys = *parse_jwks(R"({"keys":[
    {"kty":"OKP","kid":"ed","crv":"Ed25519","x":"AA"},
    {"kty":"OKP","kid":"ed-alg","crv":"Ed25519","alg":"EdDSA","x":"AA"},
    {"kty":"OKP","kid":"ed-full","crv":"Ed25519","alg":"Ed25519","x":"AA"},
    {"kty":"OKP","kid":"ed448","crv":"Ed448","x":"AA"},
    {"kty":"OKP","kid":"x25519","crv":"X25519","x":"AA"},
    {"kty":"OKP","kid":"ed-rs","crv":"Ed25519","alg":"RS256","x":"AA"},
    {"kty":"OKP","kid":"ed-enc","crv":"Ed25519","use":"enc","x":"AA"},
    {"kty":"EC","kid":"ec","crv":"Ed25519","x":"AA","y":"AA"},
    {"kty":"RSA","kid":"rsa","n":"AQAB","e":"AQAB"}
  ]})");
  for (const char* kid : {"ed", "ed-alg", "ed-full"}) EXPECT_TRUE(select_key(keys, token(jws_alg::eddsa, kid))) << kid;
  for (const char* kid : {"ed448", "x25519", "ed-rs", "ed-enc", "ec", "rsa"})
    EXPECT_FALSE(select_key(keys, token(jws_alg::eddsa, kid))) << kid;
  EXPECT_EQ(select_key(keys, token(jws_alg::rs256, "ed")).error().message, "key does not match algorithm");
  EXPECT_FALSE(select_key(keys, token(jws_alg::es256, "ed")));
  EXPECT_FALSE(select_key(keys, token(jws_alg::hs256, "ed")));
}

TEST(jwks_test, key_alg_must_match_when_present) {
  auto keys = *parse_jwks(R"({"keys":[{"kty":"RSA","kid":"k","alg":"RS512"}]})");
  EXPECT_FALSE(select_key(keys, token(jws_alg::rs256, "k")));
  auto enc = *parse_jwks(R"({"keys":[{"kty":"RSA","kid":"k","use":"enc"}]})");
  EXPECT_FALSE(select_key(enc, token(jws_alg::rs256, "k")));
}

TEST(jwks_test, a_token_without_kid_is_refused) {
  auto one = *parse_jwks(R"({"keys":[{"kty":"RSA","kid":"a"}]})");
  auto r = select_key(one, token(jws_alg::rs256, std::nullopt));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "missing kid");
}

}  // namespace
}  // namespace edgefn::auth
