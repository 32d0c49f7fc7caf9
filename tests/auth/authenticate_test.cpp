// Bearer authentication end to end through the engine: real keys, real OpenSSL verification of
// each verify_signature action (the native host's executor), and the order of the checks
// (the signature verdict comes before any claim is trusted).

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "api/authenticate.h"
#include "auth/base64.h"
#include "auth/test_keys.h"
#include "exchange/engine.h"
#include "host/jws_crypto.h"

namespace edgefn::testing {
namespace {

constexpr std::int64_t k_now_ms = 1'800'000'000'000;
constexpr std::int64_t k_now_s = k_now_ms / 1000;
constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t k_min = std::numeric_limits<std::int64_t>::min();
const std::string k_secret = "dev-secret";

exchange::task<exchange::response> serve(exchange::context& ctx, const api::auth_state& state) {
  api::auth_result r = co_await api::authenticate(ctx, state);
  if (!r) co_return std::move(r).error();
  co_return exchange::response{200, {}, std::move(*r)};
}

/// Runs authenticate() for one request; verify_signature actions are answered by OpenSSL,
/// fetch_jwks actions with `served_jwks`.
class auth_driver {
 public:
  explicit auth_driver(const std::string& jwks) {
    state_.cfg.auth_dev_hs256 = true;
    state_.cfg.auth_jwks = jwks;
    auto keys = auth::parse_jwks(jwks);
    if (keys) state_.inline_keys = std::move(*keys);
  }

  /// Keys at AUTH_JWKS_URL (no inline keys): the document is `served_jwks`.
  struct from_url {};
  auth_driver(from_url, const std::string& jwks) : served_jwks(jwks) {
    state_.cfg.auth_dev_hs256 = true;
    state_.cfg.auth_jwks_url = "https://issuer.test/.well-known/jwks.json";
  }

  exchange::response run(const std::string& token, std::int64_t now_ms = k_now_ms) {
    exchange::engine engine([this](exchange::context& ctx) { return serve(ctx, state_); });
    exchange::request req;
    req.method = "GET";
    req.target = "/";
    req.headers = {{"Authorization", "Bearer " + token}};
    kinds.clear();
    engine.start(std::move(req), "req-1", now_ms);
    for (;;) {
      std::vector<exchange::action_result> results;
      while (auto a = engine.next_action()) {
        kinds.push_back(a->kind());
        exchange::action_result r;
        r.id = a->id;
        if (auto* v = std::get_if<exchange::signature_check>(&a->body))
          r.valid = host::verify_jws(v->alg, v->key, v->signing_input, v->signature, k_secret);
        if (a->kind() == exchange::action_kind::fetch_jwks) {
          r.http_status = 200;
          r.body = padded_buffer(served_jwks);
        }
        if (a->kind() != exchange::action_kind::log) results.push_back(std::move(r));
      }
      if (auto f = engine.next_response()) return std::move(f->resp);
      if (results.empty()) return exchange::response{-1, {}, "stuck"};
      for (auto& r : results) engine.complete(std::move(r), now_ms);
    }
  }

  /// The error_description of a 401 invalid_token, "200:<sub>" on success, else the status.
  std::string verdict(const std::string& token, std::int64_t now_ms = k_now_ms) {
    const auto r = run(token, now_ms);
    if (r.status == 200) return "200:" + r.body;
    const std::string* h = http::find_header(r.headers, "www-authenticate");
    const std::string prefix = "Bearer error=\"invalid_token\", error_description=\"";
    if (r.status != 401 || !h || h->rfind(prefix, 0) != 0) return std::to_string(r.status) + " " + r.body;
    return h->substr(prefix.size(), h->size() - prefix.size() - 1);
  }

  std::vector<exchange::action_kind> kinds;
  std::string served_jwks;

 private:
  api::auth_state state_;
};

std::string claims(std::int64_t exp, const std::string& extra = "") {
  return R"({"sub":"kp_abc123","exp":)" + std::to_string(exp) + extra + "}";
}

/// `token` with its payload replaced by `claims_json` (header and signature kept).
std::string with_claims(const std::string& token, const std::string& claims_json) {
  return token.substr(0, token.find('.') + 1) + auth::base64url_encode(claims_json) +
         token.substr(token.rfind('.'));
}

/// `token` with a 64-byte signature of 'x's.
std::string forged(const std::string& token) {
  return token.substr(0, token.rfind('.') + 1) + auth::base64url_encode(std::string(64, 'x'));
}

TEST(authenticate_test, a_valid_signed_token_yields_its_sub) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  EXPECT_EQ(d.verdict(key.token(claims(k_now_s + 600))), "200:kp_abc123");
}

TEST(authenticate_test, the_signature_is_checked_before_any_claim) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  const std::string expired = key.token(claims(k_now_s - 3600));
  EXPECT_EQ(d.verdict(forged(expired)), "invalid signature") << "an unsigned token's claims are not read";
  EXPECT_EQ(d.kinds, std::vector{exchange::action_kind::verify_signature});
  EXPECT_EQ(d.verdict(expired), "token expired") << "a signed expired token";
  EXPECT_EQ(d.kinds, std::vector{exchange::action_kind::verify_signature});
}

TEST(authenticate_test, a_repeated_token_is_verified_by_the_host_once) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  const std::string token = key.token(claims(k_now_s + 600));
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.kinds, std::vector{exchange::action_kind::verify_signature});
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.kinds, std::vector<exchange::action_kind>{}) << "the verdict is remembered";
}

TEST(authenticate_test, a_remembered_token_still_expires) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  const std::string token = key.token(claims(k_now_s + 600));
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.verdict(token, (k_now_s + 3600) * 1000), "token expired");
  EXPECT_EQ(d.kinds, std::vector<exchange::action_kind>{}) << "claims are checked without asking the host again";
}

TEST(authenticate_test, a_failed_signature_is_asked_again_and_never_remembered) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  const std::string token = key.token(claims(k_now_s + 600));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(d.verdict(forged(token)), "invalid signature");
    EXPECT_EQ(d.kinds, std::vector{exchange::action_kind::verify_signature});
  }
  // Same signing input as a remembered token, another signature: verified, and refused.
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.verdict(forged(token)), "invalid signature");
  EXPECT_EQ(d.kinds, std::vector{exchange::action_kind::verify_signature});
}

TEST(authenticate_test, hs256_verdicts_are_remembered_too) {
  auth_driver d(R"({"keys":[]})");
  const std::string token = hs256_token(k_secret, claims(k_now_s + 600));
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.kinds, std::vector{exchange::action_kind::verify_signature});
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.kinds, std::vector<exchange::action_kind>{});
}

TEST(authenticate_test, a_token_remembered_whole_is_refused_once_expired_and_forgeries_of_it_are_not_taken_for_it) {
  auth_driver d(R"({"keys":[]})");
  const std::string token = hs256_token(k_secret, claims(k_now_s + 600));
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.kinds, std::vector<exchange::action_kind>{});
  EXPECT_EQ(d.verdict(token, (k_now_s + 3600) * 1000), "token expired");
  EXPECT_EQ(d.verdict(token + " "), "200:kp_abc123") << "trailing blanks are not part of the token";
  EXPECT_EQ(d.verdict(forged(token)), "invalid signature");
  EXPECT_EQ(d.verdict(with_claims(token, claims(k_now_s + 600, R"(,"iss":"x")"))), "invalid signature");
  EXPECT_EQ(d.verdict(token.substr(0, token.size() - 1)), "malformed token") << "a prefix of a remembered token";
}

TEST(authenticate_test, a_token_of_a_jwks_url_key_asks_for_the_keys_every_time_and_fails_once_its_key_rotated_away) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(auth_driver::from_url{}, key.jwks());
  const std::string token = key.token(claims(k_now_s + 600));
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.kinds, (std::vector{exchange::action_kind::fetch_jwks, exchange::action_kind::verify_signature}));
  EXPECT_EQ(d.verdict(token), "200:kp_abc123");
  EXPECT_EQ(d.kinds, std::vector{exchange::action_kind::fetch_jwks}) << "the verdict is remembered, not the key";
  d.served_jwks = test_key::generate("ES256", "e2").jwks();
  EXPECT_EQ(d.verdict(token), "unknown kid");
}

TEST(authenticate_test, times_at_the_int64_limits_do_not_overflow) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  const std::string max = std::to_string(k_max), min = std::to_string(k_min);
  // Unsigned: refused on the signature alone.
  EXPECT_EQ(d.verdict(forged(key.token(claims(k_max)))), "invalid signature");
  EXPECT_EQ(d.verdict(forged(key.token(claims(k_max, ",\"nbf\":" + min)))), "invalid signature");
  // Signed: the arithmetic saturates.
  EXPECT_EQ(d.verdict(key.token(claims(k_max))), "200:kp_abc123");
  EXPECT_EQ(d.verdict(key.token(claims(k_max, ",\"nbf\":" + min))), "200:kp_abc123");
  EXPECT_EQ(d.verdict(key.token(claims(k_min))), "token expired");
  EXPECT_EQ(d.verdict(key.token(claims(k_max, ",\"nbf\":" + max))), "token not yet valid");
  EXPECT_EQ(d.verdict(key.token(claims(k_max - 59, ",\"nbf\":" + std::to_string(k_min + 59)))), "200:kp_abc123");
  EXPECT_EQ(d.verdict(key.token(R"({"sub":"kp_abc123","exp":9.1e18,"nbf":-9.1e18})")), "200:kp_abc123");
}

TEST(authenticate_test, a_sub_with_control_characters_is_refused) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  const std::string exp = std::to_string(k_now_s + 600);
  for (const char* sub : {R"(kp\u0000abc)", R"(kp\nabc)", R"(\u0000)", R"(kp\u001f)", R"(kp\u007f)",
                          R"(kp\u0085)", R"(kp\tabc)"}) {
    const std::string c = std::string(R"({"sub":")") + sub + R"(","exp":)" + exp + "}";
    EXPECT_EQ(d.verdict(key.token(c)), "invalid sub claim") << sub;
  }
  EXPECT_EQ(d.verdict(key.token(R"({"sub":"kp_\u00e9\u4e2d","exp":)" + exp + "}")), "200:kp_\xc3\xa9\xe4\xb8\xad")
      << "non-ASCII letters are fine";
}

TEST(authenticate_test, an_unknown_crit_header_is_refused) {
  const auto key = test_key::generate("ES256", "e1");
  auth_driver d(key.jwks());
  const std::string c = claims(k_now_s + 600);
  EXPECT_EQ(d.verdict(key.token_with_header(R"({"alg":"ES256","kid":"e1","crit":["exp"],"exp":1})", c)),
            "unsupported critical header");
  EXPECT_EQ(d.verdict(key.token_with_header(R"({"alg":"ES256","kid":"e1","crit":["b64"],"b64":false})", c)),
            "unsupported critical header");
  EXPECT_EQ(d.verdict(key.token_with_header(R"({"alg":"ES256","kid":"e1","crit":[]})", c)),
            "unsupported critical header");
  EXPECT_EQ(d.verdict(key.token_with_header(R"({"alg":"ES256","kid":"e1","crit":"exp"})", c)),
            "unsupported critical header");
  EXPECT_EQ(d.verdict(key.token_with_header(R"({"alg":"ES256","kid":"e1","typ":"JWT"})", c)), "200:kp_abc123");
}

TEST(authenticate_test, eddsa_tokens_verify_with_an_okp_key) {
  const auto key = test_key::generate("EdDSA", "ed1");
  auth_driver d(key.jwks());
  const std::string c = claims(k_now_s + 600);
  EXPECT_EQ(d.verdict(key.token(c)), "200:kp_abc123");
  EXPECT_EQ(d.verdict(key.token_with_header(R"({"alg":"Ed25519","kid":"ed1"})", c)), "200:kp_abc123")
      << "the fully-specified algorithm name";
  EXPECT_EQ(d.verdict(forged(key.token(c))), "invalid signature");
  EXPECT_EQ(d.verdict(with_claims(key.token(c), R"({"sub":"kp_other","exp":4000000000})")),
            "invalid signature")
      << "claims swapped under a valid signature";
  const auto other = test_key::generate("EdDSA", "ed1");
  EXPECT_EQ(d.verdict(other.token(c)), "invalid signature") << "signed by another key with the same kid";
}

TEST(authenticate_test, eddsa_key_confusion_is_refused) {
  const auto ed = test_key::generate("EdDSA", "ed1");
  const auto rsa = test_key::generate("RS256", "rsa1");
  std::string x = ed.jwk();
  x = x.substr(x.find("\"x\":"));
  const std::string jwks = R"({"keys":[)" + ed.jwk() + "," + rsa.jwk() +
                           R"(,{"kid":"ed448","kty":"OKP","crv":"Ed448",)" + x +
                           R"(,{"kid":"x25519","kty":"OKP","crv":"X25519",)" + x +
                           R"(,{"kid":"okp-rs","kty":"OKP","crv":"Ed25519","alg":"RS256",)" + x + "]}";
  auth_driver d(jwks);
  const std::string c = claims(k_now_s + 600);
  for (const char* kid : {"ed448", "x25519", "okp-rs", "rsa1"})
    EXPECT_EQ(d.verdict(ed.token(c, kid)), "key does not match algorithm") << kid;
  EXPECT_EQ(d.verdict(rsa.token(c, "ed1")), "key does not match algorithm") << "RS256 naming an OKP key";
  EXPECT_EQ(d.verdict(ed.token(c)), "200:kp_abc123");
}

}  // namespace
}  // namespace edgefn::testing
