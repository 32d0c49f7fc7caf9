// The wire form of requests, responses, actions and results (for the wasm C ABI): metadata in
// lines (request, result, response) or JSON (actions), plus raw body bytes.

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

TEST(codec_test, result_cache_status_is_its_own_line_empty_for_none) {
  for (auto c : {cache_status::hit, cache_status::miss, cache_status::stale, cache_status::bypass}) {
    action_result r;
    r.id = 3;
    r.cache = c;
    const std::string text = encode(r).meta;
    EXPECT_EQ(text, "3\nok\n0\n0\n" + std::string(to_string(c)) + "\n\n");
    auto back = decode_result(text, {});
    ASSERT_TRUE(back);
    EXPECT_EQ(back->cache, c);
  }
  EXPECT_EQ(encode(action_result{}).meta, "0\nok\n0\n0\n\n\n");
  auto unknown = decode_result("3\nok\n0\n0\nlukewarm\n\n", {});
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
    EXPECT_EQ(meta, "4\nok\n0\n0\n\n" + std::string(to_string(t)) + "\n");
    auto result = decode_result(meta, {});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->target, t);
  }
  auto unknown = decode_result("4\nok\n0\n0\n\nelsewhere\n", {});
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
  EXPECT_EQ(w.meta, "9\nok\n200\n0\n\n\n");
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
  auto r = decode_result("1\nok\n200\n0\n\n\n", std::move(body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.data(), where);
  padded_buffer req_body("{}");
  where = req_body.data();
  auto q = decode_request("POST\n/", std::move(req_body));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->body.data(), where);
}

TEST(codec_test, unknown_action_keys_are_ignored_and_absent_optional_ones_default) {
  auto a = decode_action(R"({"id":3,"exchange":1,"kind":"sql","timeout_ms":5000})", "{}");
  ASSERT_TRUE(a);
  const auto& s = std::get<sql_call>(a->body);
  EXPECT_EQ(s.target_pool, pool::direct);
  EXPECT_FALSE(s.cacheable);
  EXPECT_EQ(s.body, "{}");
}

TEST(codec_test, failed_result_round_trips_and_its_detail_is_the_rest_line_breaks_and_all) {
  action_result r;
  r.id = 4;
  r.status = outcome::failed_timeout;
  r.detail = "slow\nvery slow\n";
  const wire w = encode(r);
  EXPECT_EQ(w.meta, "4\ntimeout\n0\n0\n\n\nslow\nvery slow\n");
  auto back = decode_result(w.meta, padded_buffer());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, outcome::failed_timeout);
  EXPECT_EQ(back->detail, "slow\nvery slow\n");
  EXPECT_EQ(back->http_status, 0);
  auto valid = decode_result("5\nok\n0\n1\n\n", padded_buffer());
  ASSERT_TRUE(valid) << "the detail line may be absent";
  EXPECT_TRUE(valid->valid);
  EXPECT_EQ(valid->detail, "");
  auto unknown = decode_result("6\nteleported\n0\n0\n\n\n", padded_buffer());
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, outcome::failed) << "an unknown outcome is a failure";
}

TEST(codec_test, request_and_response_round_trip) {
  request q;
  q.method = "POST";
  q.target = "/api/wardrobe?limit=2";
  q.headers = {{"content-type", "application/json"}};
  q.body.append("{\"name\":\"\xc3\xa9\"}");
  const wire qw = encode(q);
  EXPECT_EQ(qw.meta, "POST\n/api/wardrobe?limit=2\ncontent-type\napplication/json");
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

TEST(codec_test, response_reuse_horizon_is_the_second_line_zero_for_none) {
  response r{200, {}, "{}"};
  EXPECT_EQ(encode(r).meta, "200\n0");
  r.reuse_until_ms = 1'800'000'660'000;
  const wire w = encode(r);
  EXPECT_EQ(w.meta, "200\n1800000660000");
  auto back = decode_response(w.meta, w.body);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->reuse_until_ms, 1'800'000'660'000);
}

TEST(codec_test, a_line_break_in_a_response_header_value_becomes_a_space_and_adds_no_header) {
  using namespace std::string_literals;  // the value holds a NUL
  response r{401, {{"WWW-Authenticate", "Bearer error_description=\"a\r\nSet-Cookie\nx=1\0\""s}, {"X-B", "b"}}, ""};
  const wire w = encode(r);
  EXPECT_EQ(w.meta, std::string("401\n0\nWWW-Authenticate\nBearer error_description=\"a  Set-Cookie x=1 \"\nX-B\nb"));
  auto back = decode_response(w.meta, w.body);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->headers.size(), 2u);
  EXPECT_EQ(back->headers[1], (std::pair<std::string, std::string>{"X-B", "b"}));
}

TEST(codec_test, malformed_input_is_an_error_that_says_what_was_wrong) {
  EXPECT_FALSE(decode_action("{", ""));
  EXPECT_FALSE(decode_action(R"({"id":1,"kind":"teleport"})", ""));
  const auto message = [](const auto& r) { return r ? std::string("decoded") : r.error().message; };
  EXPECT_EQ(message(decode_request("", padded_buffer())), "request needs method and target");
  EXPECT_EQ(message(decode_request("GET", padded_buffer())), "request needs method and target");
  EXPECT_EQ(message(decode_request("GET\n/\naccept", padded_buffer())), "a header name without a value");
  EXPECT_EQ(message(decode_request("GET\n/\n", padded_buffer())), "a header name without a value");
  EXPECT_EQ(message(decode_result("", padded_buffer())), "result needs an id");
  EXPECT_EQ(message(decode_result("-1\nok\n0\n0\n\n\n", padded_buffer())), "result needs an id");
  EXPECT_EQ(message(decode_result("4294967296\nok\n0\n0\n\n\n", padded_buffer())), "result needs an id");
  EXPECT_EQ(message(decode_result("1\nok\n2xx\n0\n\n\n", padded_buffer())), "result status is not a number");
  EXPECT_EQ(message(decode_result("1\nok\n200\n0", padded_buffer())),
            "result needs id, outcome, status, valid, cache and db lines");
  EXPECT_EQ(message(decode_response("", "")), "response status is not a number");
  EXPECT_EQ(message(decode_response("200", "")), "reuse_until_ms is missing");
  EXPECT_EQ(message(decode_response("200\n0\nx-a", "")), "a header name without a value");
  EXPECT_EQ(message(decode_request("GET\n/", padded_buffer())), "decoded");
}

TEST(codec_test, action_errors_say_what_was_wrong) {
  auto not_object = decode_action("[1]", "");
  ASSERT_FALSE(not_object);
  EXPECT_EQ(not_object.error().code, errc::invalid_argument);
  EXPECT_EQ(not_object.error().message, "expected a JSON object");
  auto malformed = decode_action(R"({"id":1,)", "");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, errc::parse_error);
  EXPECT_EQ(malformed.error().message, "malformed JSON");
  auto headers = decode_action(R"({"id":1,"kind":"sql","headers":[["a","b","c"]]})", "");
  ASSERT_FALSE(headers);
  EXPECT_EQ(headers.error().message, "headers must be [name, value] pairs");
}

TEST(codec_test, keys_of_another_type_count_as_absent) {
  auto a = decode_action(R"({"id":1,"kind":"sql","reads":["a",2,"b"],"writes":"c","timeout_ms":1.5})", "");
  ASSERT_TRUE(a);
  const auto& s = std::get<sql_call>(a->body);
  EXPECT_EQ(s.reads, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(s.writes.empty());
  EXPECT_EQ(s.timeout_ms, 0u);
}

}  // namespace
}  // namespace edgefn::exchange
