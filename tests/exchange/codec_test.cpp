// The wire form of requests, responses, actions and results (for the wasm C ABI): JSON
// metadata plus raw body bytes.

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
  const wire w = encode(a);
  EXPECT_EQ(w.meta,
            R"({"id":7,"exchange":3,"kind":"sql","pool":"cached","cacheable":true,"reads":["items"],)"
            R"("writes":[],"headers":[["Neon-Array-Mode","true"]]})");
  EXPECT_EQ(w.body, s.body) << "the /sql body crosses as itself, never escaped inside the metadata";
  auto back = decode_action(w.meta, w.body);
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
  const std::string text = encode(action{1, 1, s}).meta;
  EXPECT_NE(text.find(R"("timeout_ms":2500)"), std::string::npos) << text;
  auto back = decode_action(text, {});
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<sql_call>(back->body).timeout_ms, 2500u);
  // No deadline: no key, and an action without the key (an older core) decodes to none.
  s.timeout_ms = 0;
  EXPECT_EQ(encode(action{1, 1, s}).meta.find("timeout_ms"), std::string::npos);
  auto old = decode_action(R"({"id":1,"exchange":1,"kind":"sql","body":"{}"})", {});
  ASSERT_TRUE(old);
  EXPECT_EQ(std::get<sql_call>(old->body).timeout_ms, 0u);
  auto negative = decode_action(R"({"id":1,"exchange":1,"kind":"sql","timeout_ms":-5})", {});
  ASSERT_TRUE(negative);
  EXPECT_EQ(std::get<sql_call>(negative->body).timeout_ms, 0u);
}

TEST(codec_test, sql_bookmark_is_an_optional_key_in_postgres_text_form) {
  sql_call s;
  s.after_lsn = 0x16B374D848u;
  const std::string text = encode(action{1, 1, s}).meta;
  EXPECT_NE(text.find(R"("after_lsn":"16/B374D848")"), std::string::npos) << text;
  auto back = decode_action(text, {});
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<sql_call>(back->body).after_lsn, 0x16B374D848u);
  s.after_lsn = 0;
  EXPECT_EQ(encode(action{1, 1, s}).meta.find("after_lsn"), std::string::npos);
  auto junk = decode_action(R"({"id":1,"exchange":1,"kind":"sql","after_lsn":"nope"})", {});
  ASSERT_TRUE(junk);
  EXPECT_EQ(std::get<sql_call>(junk->body).after_lsn, 0u);
}

TEST(codec_test, result_cache_status_is_an_optional_key) {
  for (auto c : {cache_status::hit, cache_status::miss, cache_status::stale, cache_status::bypass}) {
    action_result r;
    r.id = 3;
    r.cache = c;
    const std::string text = encode(r).meta;
    EXPECT_NE(text.find("\"cache\":\"" + std::string(to_string(c)) + "\""), std::string::npos) << text;
    auto back = decode_result(text, {});
    ASSERT_TRUE(back);
    EXPECT_EQ(back->cache, c);
  }
  action_result none;
  EXPECT_EQ(encode(none).meta.find("cache"), std::string::npos);
  auto unknown = decode_result(R"({"id":3,"outcome":"ok","cache":"lukewarm"})", {});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->cache, cache_status::none);
}

TEST(codec_test, sql_replica_mark_and_the_answering_database_are_optional_keys) {
  sql_call s;
  s.replica = true;
  const std::string text = encode(action{1, 1, s}).meta;
  EXPECT_NE(text.find(R"("replica":true)"), std::string::npos) << text;
  auto back = decode_action(text, {});
  ASSERT_TRUE(back);
  EXPECT_TRUE(std::get<sql_call>(back->body).replica);
  s.replica = false;
  EXPECT_EQ(encode(action{1, 1, s}).meta.find("replica"), std::string::npos);

  for (auto t : {db_target::primary, db_target::replica}) {
    action_result r;
    r.id = 4;
    r.target = t;
    const std::string meta = encode(r).meta;
    EXPECT_NE(meta.find("\"db\":\"" + std::string(to_string(t)) + "\""), std::string::npos) << meta;
    auto result = decode_result(meta, {});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->target, t);
  }
  EXPECT_EQ(encode(action_result{}).meta.find("\"db\""), std::string::npos);
  auto unknown = decode_result(R"({"id":4,"outcome":"ok","db":"elsewhere"})", {});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->target, db_target::none);
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
    const wire w = encode(a);
    auto back = decode_action(w.meta, w.body);
    ASSERT_TRUE(back) << w.meta;
    EXPECT_EQ(back->kind(), a.kind());
    const wire again = encode(*back);
    EXPECT_EQ(again.meta, w.meta);
    EXPECT_EQ(again.body, w.body);
  }
  const wire sig = encode(all[0]);
  auto v = decode_action(sig.meta, sig.body);
  EXPECT_EQ(std::get<signature_check>(v->body).signature, binary_sig);
  const wire line = encode(all[3]);
  EXPECT_EQ(line.meta, R"({"id":4,"exchange":1,"kind":"log"})");
  EXPECT_EQ(line.body, R"({"msg":"x"})");
}

TEST(codec_test, result_body_crosses_raw_whatever_its_bytes) {
  action_result r;
  r.id = 9;
  r.status = outcome::ok;
  r.http_status = 200;
  r.body.append(std::string_view("\xff\xfe\x00\"\\", 5));
  const wire w = encode(r);
  EXPECT_EQ(w.meta, R"({"id":9,"outcome":"ok","status":200,"valid":false,"detail":""})");
  EXPECT_EQ(w.body, std::string_view("\xff\xfe\x00\"\\", 5));
  auto back = decode_result(w.meta, padded_buffer(w.body));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->body.view(), std::string_view("\xff\xfe\x00\"\\", 5));
  EXPECT_EQ(back->http_status, 200);
}

TEST(codec_test, decoders_adopt_the_host_written_body_without_copying) {
  padded_buffer body;
  body.append(R"({"rows":[]})");
  const char* where = body.data();
  auto r = decode_result(R"({"id":1,"outcome":"ok","status":200})", std::move(body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.data(), where);
  padded_buffer req_body("{}");
  where = req_body.data();
  auto q = decode_request(R"({"method":"POST","target":"/"})", std::move(req_body));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->body.data(), where);
}

TEST(codec_test, unknown_metadata_keys_are_ignored_and_absent_optional_ones_default) {
  auto r = decode_result(R"({"id":2,"outcome":"ok","status":200,"cache":"hit","future":[1,{"x":2}]})", padded_buffer());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->http_status, 200);
  EXPECT_FALSE(r->valid);
  EXPECT_EQ(r->detail, "");
  auto a = decode_action(R"({"id":3,"exchange":1,"kind":"sql","timeout_ms":5000})", "{}");
  ASSERT_TRUE(a);
  const auto& s = std::get<sql_call>(a->body);
  EXPECT_EQ(s.target_pool, pool::direct);
  EXPECT_FALSE(s.cacheable);
  EXPECT_EQ(s.body, "{}");
}

TEST(codec_test, failed_result_round_trips) {
  auto back = decode_result(R"({"id":4,"outcome":"timeout","detail":"slow"})", padded_buffer());
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
  const wire qw = encode(q);
  EXPECT_EQ(qw.meta, R"({"method":"POST","target":"/api/wardrobe?limit=2","headers":[["content-type","application/json"]]})");
  auto q2 = decode_request(qw.meta, padded_buffer(qw.body));
  ASSERT_TRUE(q2);
  EXPECT_EQ(q2->method, q.method);
  EXPECT_EQ(q2->target, q.target);
  EXPECT_EQ(q2->headers, q.headers);
  EXPECT_EQ(q2->body.view(), q.body.view());

  response r{201, {{"Location", "/api/wardrobe/1"}}, "{}"};
  const wire rw = encode(r);
  auto r2 = decode_response(rw.meta, rw.body);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 201);
  EXPECT_EQ(r2->headers, r.headers);
  EXPECT_EQ(r2->body, "{}");
}

TEST(codec_test, response_reuse_horizon_is_an_optional_key) {
  response r{200, {}, "{}"};
  EXPECT_EQ(encode(r).meta, R"({"status":200,"headers":[]})");
  r.reuse_until_ms = 1'800'000'660'000;
  const wire w = encode(r);
  EXPECT_EQ(w.meta, R"({"status":200,"headers":[],"reuse_until_ms":1800000660000})");
  auto back = decode_response(w.meta, w.body);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->reuse_until_ms, 1'800'000'660'000);
  auto absent = decode_response(R"({"status":200,"headers":[]})", "");
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->reuse_until_ms, 0);
}

TEST(codec_test, malformed_input_is_an_error) {
  EXPECT_FALSE(decode_action("{", ""));
  EXPECT_FALSE(decode_action(R"({"id":1,"kind":"teleport"})", ""));
  EXPECT_FALSE(decode_result(R"({"outcome":"ok"})", padded_buffer()));
  EXPECT_FALSE(decode_result(R"({"id":1,"outcome":"ok"} trailing)", padded_buffer()));
  EXPECT_FALSE(decode_request(R"({"method":"GET"})", padded_buffer()));
  EXPECT_FALSE(decode_request(R"({"method":"GET","target":"/","headers":[["a"]]})", padded_buffer()));
  EXPECT_FALSE(decode_request("", padded_buffer()));
}

TEST(codec_test, headers_must_be_pairs_of_strings) {
  for (const char* meta : {R"({"method":"GET","target":"/","headers":[["a","b","c"]]})",
                           R"({"method":"GET","target":"/","headers":[["a",1]]})",
                           R"({"method":"GET","target":"/","headers":[{"a":"b","c":"d"}]})",
                           R"({"method":"GET","target":"/","headers":["a"]})"}) {
    auto r = decode_request(meta, padded_buffer());
    ASSERT_FALSE(r) << meta;
    EXPECT_EQ(r.error().code, errc::invalid_argument) << meta;
    EXPECT_EQ(r.error().message, "headers must be [name, value] pairs") << meta;
  }
  auto none = decode_request(R"({"method":"GET","target":"/","headers":{"a":"b"}})", padded_buffer());
  ASSERT_TRUE(none);  // not an array: no headers
  EXPECT_TRUE(none->headers.empty());
}

TEST(codec_test, metadata_errors_say_what_was_wrong) {
  auto not_object = decode_request("[1]", padded_buffer());
  ASSERT_FALSE(not_object);
  EXPECT_EQ(not_object.error().code, errc::invalid_argument);
  EXPECT_EQ(not_object.error().message, "expected a JSON object");
  auto malformed = decode_request(R"({"method":"GET",)", padded_buffer());
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, errc::parse_error);
  EXPECT_EQ(malformed.error().message, "malformed JSON");
}

TEST(codec_test, keys_of_another_type_count_as_absent_and_the_first_duplicate_wins) {
  auto r = decode_result(R"({"id":5,"id":6,"status":"200","valid":1,"detail":7,"cache":"hit"})", padded_buffer());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, 5u);
  EXPECT_EQ(r->http_status, 0);
  EXPECT_FALSE(r->valid);
  EXPECT_EQ(r->detail, "");
  EXPECT_EQ(r->cache, cache_status::hit);
  auto a = decode_action(R"({"id":1,"kind":"sql","reads":["a",2,"b"],"writes":"c","timeout_ms":1.5})", "");
  ASSERT_TRUE(a);
  const auto& s = std::get<sql_call>(a->body);
  EXPECT_EQ(s.reads, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(s.writes.empty());
  EXPECT_EQ(s.timeout_ms, 0u);
}

}  // namespace
}  // namespace edgefn::exchange
