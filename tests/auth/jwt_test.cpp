// JWT parsing and claim checks: the corpus of bad tokens.

#include <gtest/gtest.h>

#include <limits>

#include "auth/base64.h"
#include "auth/jwt.h"

namespace edgefn::auth {
namespace {

constexpr std::int64_t k_now = 1'800'000'000;

std::string token(std::string_view header, std::string_view claims, std::string_view sig = "sig") {
  return base64url_encode(header) + "." + base64url_encode(claims) + "." + base64url_encode(sig);
}

std::string claims_with(std::string_view extra) {
  return R"({"sub":"kp_abc123","exp":)" + std::to_string(k_now + 600) + std::string(extra) + "}";
}

const std::string k_rs = R"({"alg":"RS256","kid":"k1","typ":"JWT"})";

TEST(jwt_test, parses_a_well_formed_token) {
  const auto t = token(k_rs, claims_with(R"(,"iss":"https://issuer","aud":["a","b"],"nbf":5,"iat":6)"));
  auto j = parse_jwt(t);
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ(j->alg, jws_alg::rs256);
  EXPECT_EQ(j->kid, "k1");
  EXPECT_EQ(j->sub, "kp_abc123");
  EXPECT_EQ(j->iss, "https://issuer");
  EXPECT_EQ(j->aud, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(j->nbf, 5);
  EXPECT_EQ(j->signature, "sig");
  EXPECT_EQ(j->signing_input, t.substr(0, t.rfind('.')));
}

TEST(jwt_test, keys_are_read_unescaped_and_a_duplicate_member_is_refused) {
  // RFC 7515 §4 / 7519 §4: refuse, or use the last. Refused, in the header and the claims: a
  // reader taking the last "sub" would act for another user than one taking the first, and
  // "s\u0075b" is "sub". Trailing bytes after the object are refused too.
  auto plain = parse_jwt(token(k_rs, R"({"s\u0075b":"kp_first","exp":1})"));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->sub, "kp_first");
  for (const auto* claims : {R"({"s\u0075b":"kp_first","sub":"kp_second","exp":1})", R"({"sub":"a","sub":"b","exp":1})",
                             R"({"sub":"a","exp":1,"x":{"k":1,"k":2}})"}) {
    auto j = parse_jwt(token(k_rs, claims));
    ASSERT_FALSE(j) << claims;
    EXPECT_EQ(j.error().message, "malformed token");
  }
  EXPECT_FALSE(parse_jwt(token(R"({"alg":"HS256","alg":"none"})", claims_with(""))));
  EXPECT_FALSE(parse_jwt(token(R"({"alg":"RS256","kid":"k1","kid":"k2"})", claims_with(""))));
  EXPECT_FALSE(parse_jwt(token(k_rs, claims_with("") + "x")));
  EXPECT_FALSE(parse_jwt(token(k_rs + " {}", claims_with(""))));
  auto fraction = parse_jwt(token(k_rs, R"({"sub":"s","exp":1.9e9})"));
  ASSERT_TRUE(fraction);
  EXPECT_EQ(fraction->exp, 1'900'000'000);
}

TEST(jwt_test, malformed_tokens_are_refused) {
  const std::string good = token(k_rs, claims_with(""));
  const std::string bad[] = {
      "", "abc", "a.b", "a.b.c.d", good + ".x", "..", "!!.??.xx",
      token("not json", claims_with("")), token(k_rs, "not json"), token("[1]", claims_with("")),
      token(k_rs, "[1]"), token(k_rs, R"({"sub":5,"exp":1})"), token(k_rs, R"({"sub":"a","exp":"x"})"),
      token(k_rs, R"({"sub":"a","exp":1,"aud":[1]})"),
      base64url_encode(k_rs) + "=." + base64url_encode(claims_with("")) + ".c2ln",
  };
  for (const auto& t : bad) {
    auto j = parse_jwt(t);
    EXPECT_FALSE(j) << t;
    if (!j) {
      EXPECT_EQ(j.error().message, "malformed token") << t;
    }
  }
}

TEST(jwt_test, alg_none_and_unknown_algorithms_are_refused) {
  for (const char* h : {R"({"alg":"none"})", R"({"alg":"None"})", R"({"alg":"HS512"})",
                        R"({"alg":"PS256"})", R"({"typ":"JWT"})", R"({"alg":5})"}) {
    auto j = parse_jwt(token(h, claims_with("")));
    ASSERT_FALSE(j) << h;
    EXPECT_EQ(j.error().message, "unsupported algorithm") << h;
  }
  // alg none with an empty signature part
  auto j = parse_jwt(base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(claims_with("")) + ".");
  EXPECT_FALSE(j);
}

TEST(jwt_test, signature_lengths) {
  EXPECT_FALSE(parse_jwt(token(k_rs, claims_with(""), "")));
  EXPECT_FALSE(parse_jwt(token(R"({"alg":"ES256"})", claims_with(""), std::string(63, 'x'))));
  EXPECT_TRUE(parse_jwt(token(R"({"alg":"ES256"})", claims_with(""), std::string(64, 'x'))));
}

jwt with_times(std::optional<std::int64_t> exp, std::optional<std::int64_t> nbf) {
  jwt t;
  t.sub = "kp_1";
  t.exp = exp;
  t.nbf = nbf;
  return t;
}

TEST(jwt_test, exp_with_60s_leeway) {
  const claim_rules rules;
  EXPECT_TRUE(check_claims(with_times(k_now + 1, {}), rules, k_now));
  EXPECT_TRUE(check_claims(with_times(k_now - 59, {}), rules, k_now)) << "inside the leeway";
  auto at_edge = check_claims(with_times(k_now - 60, {}), rules, k_now);
  ASSERT_FALSE(at_edge);
  EXPECT_EQ(at_edge.error().message, "token expired");
  EXPECT_FALSE(check_claims(with_times(k_now - 3600, {}), rules, k_now));
  auto missing = check_claims(with_times({}, {}), rules, k_now);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "missing exp claim");
}

TEST(jwt_test, nbf_with_60s_leeway) {
  const claim_rules rules;
  EXPECT_TRUE(check_claims(with_times(k_now + 600, k_now + 60), rules, k_now));
  auto future = check_claims(with_times(k_now + 600, k_now + 61), rules, k_now);
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().message, "token not yet valid");
}

TEST(jwt_test, times_at_the_int64_limits_saturate) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  const claim_rules rules;
  EXPECT_TRUE(check_claims(with_times(max, min), rules, k_now));
  EXPECT_EQ(check_claims(with_times(min, {}), rules, k_now).error().message, "token expired");
  EXPECT_EQ(check_claims(with_times(max, max), rules, k_now).error().message, "token not yet valid");
  EXPECT_EQ(check_claims(with_times(max, {}), rules, max).error().message, "token expired") << "now at the limit";
  EXPECT_TRUE(check_claims(with_times(k_now + 1, min), rules, min)) << "now at the lower limit";
}

TEST(jwt_test, sub_with_control_characters_is_refused) {
  for (std::string sub : {std::string("kp\0abc", 6), std::string("a\nb"), std::string("\x7f"),
                          std::string("kp\xc2\x85"), std::string("\x1f")}) {
    jwt t = with_times(k_now + 600, {});
    t.sub = sub;
    auto s = check_claims(t, {}, k_now);
    ASSERT_FALSE(s) << sub;
    EXPECT_EQ(s.error().message, "invalid sub claim");
  }
  jwt t = with_times(k_now + 600, {});
  t.sub = "kp_\xc3\xa9|user@example.com";
  EXPECT_TRUE(check_claims(t, {}, k_now));
}

TEST(jwt_test, crit_header_is_refused) {
  for (const char* h : {R"({"alg":"RS256","crit":["exp"],"exp":1})", R"({"alg":"RS256","crit":[]})",
                        R"({"alg":"RS256","crit":["b64"],"b64":false})", R"({"alg":"RS256","crit":null})"}) {
    auto j = parse_jwt(token(h, claims_with("")));
    ASSERT_FALSE(j) << h;
    EXPECT_EQ(j.error().message, "unsupported critical header") << h;
  }
}

TEST(jwt_test, eddsa_algorithm_names) {
  for (const char* h : {R"({"alg":"EdDSA","kid":"k"})", R"({"alg":"Ed25519","kid":"k"})"}) {
    auto j = parse_jwt(token(h, claims_with(""), std::string(64, 's')));
    ASSERT_TRUE(j) << h;
    EXPECT_EQ(j->alg, jws_alg::eddsa);
    EXPECT_EQ(to_string(j->alg), "EdDSA");
    EXPECT_FALSE(parse_jwt(token(h, claims_with(""), std::string(63, 's')))) << "Ed25519 signatures are 64 bytes";
    EXPECT_FALSE(parse_jwt(token(h, claims_with(""), std::string(65, 's'))));
  }
  for (const char* h : {R"({"alg":"Ed448"})", R"({"alg":"eddsa"})", R"({"alg":"EDDSA"})"})
    EXPECT_EQ(parse_jwt(token(h, claims_with(""), std::string(64, 's'))).error().message, "unsupported algorithm") << h;
}

TEST(jwt_test, issuer_and_audience) {
  claim_rules rules;
  rules.issuer = "https://issuer";
  rules.audience = "edgefn";
  jwt t = with_times(k_now + 600, {});
  EXPECT_EQ(check_claims(t, rules, k_now).error().message, "invalid issuer");
  t.iss = "https://other";
  EXPECT_EQ(check_claims(t, rules, k_now).error().message, "invalid issuer");
  t.iss = "https://issuer";
  EXPECT_EQ(check_claims(t, rules, k_now).error().message, "invalid audience");
  t.aud = {"x", "y"};
  EXPECT_EQ(check_claims(t, rules, k_now).error().message, "invalid audience");
  t.aud = {"x", "edgefn"};
  EXPECT_TRUE(check_claims(t, rules, k_now));
}

TEST(jwt_test, sub_is_required) {
  jwt t = with_times(k_now + 600, {});
  t.sub.reset();
  EXPECT_EQ(check_claims(t, {}, k_now).error().message, "missing sub claim");
  t.sub = "";
  EXPECT_FALSE(check_claims(t, {}, k_now));
}

TEST(jwt_test, challenge_stays_a_valid_header) {
  EXPECT_EQ(invalid_token_challenge("token expired"),
            "Bearer error=\"invalid_token\", error_description=\"token expired\"");
  EXPECT_EQ(invalid_token_challenge("a\"b\\c\n"),
            "Bearer error=\"invalid_token\", error_description=\"a'b'c'\"");
}

}  // namespace
}  // namespace edgefn::auth
