// The byte form of requests, responses, actions and results (for the wasm C ABI).

#include <gtest/gtest.h>

#include "exchange/codec.h"

namespace edgefn::exchange {
namespace {

TEST(codec_test, sql_action_round_trips) {
  sql_call s;
  s.target_pool = pool::cached;
  s.cacheable = true;
  s.reads = {"items"};
  s.headers = {{"Neon-Array-Mode", "true"}};
  s.body = R"({"query":"select 1","params":[]})";
  const action a{7, 3, s};
  const std::string text = encode(a);
  EXPECT_EQ(text,
            R"({"id":7,"exchange":3,"kind":"sql","pool":"cached","cacheable":true,"reads":["items"],)"
            R"("writes":[],"headers":[["Neon-Array-Mode","true"]],"body":"{\"query\":\"select 1\",\"params\":[]}"})");
  auto back = decode_action(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 7u);
  EXPECT_EQ(back->exchange, 3u);
  const auto& b = std::get<sql_call>(back->body);
  EXPECT_EQ(b.target_pool, pool::cached);
  EXPECT_TRUE(b.cacheable);
  EXPECT_EQ(b.reads, s.reads);
  EXPECT_TRUE(b.writes.empty());
  EXPECT_EQ(b.headers, s.headers);
  EXPECT_EQ(b.body, s.body);
}

TEST(codec_test, sql_deadline_is_an_optional_key) {
  sql_call s;
  s.timeout_ms = 2500;
  const std::string text = encode(action{1, 1, s});
  EXPECT_NE(text.find(R"("timeout_ms":2500)"), std::string::npos) << text;
  auto back = decode_action(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<sql_call>(back->body).timeout_ms, 2500u);
  // No deadline: no key, and an action without the key (an older core) decodes to none.
  s.timeout_ms = 0;
  EXPECT_EQ(encode(action{1, 1, s}).find("timeout_ms"), std::string::npos);
  auto old = decode_action(R"({"id":1,"exchange":1,"kind":"sql","body":"{}"})");
  ASSERT_TRUE(old);
  EXPECT_EQ(std::get<sql_call>(old->body).timeout_ms, 0u);
  auto negative = decode_action(R"({"id":1,"exchange":1,"kind":"sql","timeout_ms":-5})");
  ASSERT_TRUE(negative);
  EXPECT_EQ(std::get<sql_call>(negative->body).timeout_ms, 0u);
}

TEST(codec_test, sql_bookmark_is_an_optional_key_in_postgres_text_form) {
  sql_call s;
  s.after_lsn = 0x16B374D848u;
  const std::string text = encode(action{1, 1, s});
  EXPECT_NE(text.find(R"("after_lsn":"16/B374D848")"), std::string::npos) << text;
  auto back = decode_action(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<sql_call>(back->body).after_lsn, 0x16B374D848u);
  s.after_lsn = 0;
  EXPECT_EQ(encode(action{1, 1, s}).find("after_lsn"), std::string::npos);
  auto junk = decode_action(R"({"id":1,"exchange":1,"kind":"sql","after_lsn":"nope"})");
  ASSERT_TRUE(junk);
  EXPECT_EQ(std::get<sql_call>(junk->body).after_lsn, 0u);
}

TEST(codec_test, result_cache_status_is_an_optional_key) {
  for (auto c : {cache_status::hit, cache_status::miss, cache_status::stale, cache_status::bypass}) {
    action_result r;
    r.id = 3;
    r.cache = c;
    const std::string text = encode(r);
    EXPECT_NE(text.find("\"cache\":\"" + std::string(to_string(c)) + "\""), std::string::npos) << text;
    auto back = decode_result(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->cache, c);
  }
  action_result none;
  EXPECT_EQ(encode(none).find("cache"), std::string::npos);
  auto unknown = decode_result(R"({"id":3,"outcome":"ok","cache":"lukewarm"})");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->cache, cache_status::none);
}

TEST(codec_test, every_other_action_kind_round_trips) {
  const std::string binary_sig("\x00\xff\x10 sig", 7);
  std::vector<action> all = {
      {1, 1, signature_check{"ES256", R"({"kty":"EC"})", "aa.bb", binary_sig}},
      {2, 1, jwks_fetch{"https://example.test/.well-known/jwks.json", true}},
      {3, 1, object_delete{"images/a b.png"}},
      {4, 1, log_line{R"({"msg":"x"})"}},
  };
  for (const auto& a : all) {
    auto back = decode_action(encode(a));
    ASSERT_TRUE(back) << encode(a);
    EXPECT_EQ(back->kind(), a.kind());
    EXPECT_EQ(encode(*back), encode(a));
  }
  auto v = decode_action(encode(all[0]));
  EXPECT_EQ(std::get<signature_check>(v->body).signature, binary_sig);
}

TEST(codec_test, result_with_binary_body_uses_base64) {
  action_result r;
  r.id = 9;
  r.status = outcome::ok;
  r.http_status = 200;
  r.body.append(std::string_view("\xff\xfe\x00", 3));
  const auto text = encode(r);
  EXPECT_NE(text.find("\"body_b64\""), std::string::npos);
  auto back = decode_result(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->body.view(), std::string_view("\xff\xfe\x00", 3));
  EXPECT_EQ(back->http_status, 200);
}

TEST(codec_test, failed_result_round_trips) {
  auto back = decode_result(R"({"id":4,"outcome":"timeout","detail":"slow"})");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, outcome::failed_timeout);
  EXPECT_EQ(back->detail, "slow");
  EXPECT_EQ(back->http_status, 0);
}

TEST(codec_test, request_and_response_round_trip) {
  request q;
  q.method = "POST";
  q.target = "/api/wardrobe?limit=2";
  q.headers = {{"content-type", "application/json"}};
  q.body.append("{\"name\":\"\xc3\xa9\"}");
  auto q2 = decode_request(encode(q));
  ASSERT_TRUE(q2);
  EXPECT_EQ(q2->method, q.method);
  EXPECT_EQ(q2->target, q.target);
  EXPECT_EQ(q2->headers, q.headers);
  EXPECT_EQ(q2->body.view(), q.body.view());

  response r{201, {{"Location", "/api/wardrobe/1"}}, "{}"};
  auto r2 = decode_response(encode(r));
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 201);
  EXPECT_EQ(r2->headers, r.headers);
  EXPECT_EQ(r2->body, "{}");
}

TEST(codec_test, malformed_input_is_an_error) {
  EXPECT_FALSE(decode_action("{"));
  EXPECT_FALSE(decode_action(R"({"id":1,"kind":"teleport"})"));
  EXPECT_FALSE(decode_result(R"({"outcome":"ok"})"));
  EXPECT_FALSE(decode_request(R"({"method":"GET"})"));
  EXPECT_FALSE(decode_request(R"({"method":"GET","target":"/","headers":[["a"]]})"));
}

}  // namespace
}  // namespace edgefn::exchange
