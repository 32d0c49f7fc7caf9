#include <gtest/gtest.h>

#include "fake_host.h"
#include "wardrobe/handlers.h"
#include "wardrobe/input.h"
#include "api/object_key.h"

namespace edgefn::wardrobe {
namespace {

exchange::request body_request(std::string body, std::string ct = "application/json") {
  exchange::request r;
  r.method = "POST";
  r.target = "/api/wardrobe";
  if (!ct.empty()) r.headers.emplace_back("Content-Type", ct);
  r.body.append(body);
  return r;
}

using input_result = basic_result<item_values, exchange::response>;

/// What POST (create) / PUT bodies go through: the framework's parse plus the imageUrl rules.
input_result parse_item_body(const exchange::request& req, bool create) {
  const api::body_def def{api::table_of<items_table>("Item"), create ? db::body_mode::insert : db::body_mode::update,
                          server_set};
  return api::parse_body<items_table>(req, def, 64 * 1024,
                                      [create](const item_values& v) { return image_url_checks(v, create); });
}

std::string code_of(const input_result& r) {
  if (r) return "ok";
  const auto& b = r.error().body;
  const auto at = b.find("\"code\":\"") + 8;
  return b.substr(at, b.find('"', at) - at);
}

TEST(input_test, cursor_round_trip) {
  cursor c{neon::timestamp{1'795'000'000'123'456}, 42};
  auto back = decode_cursor(encode_cursor(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->created_at, c.created_at);
  EXPECT_EQ(back->id, 42);
  auto null_ts = decode_cursor(encode_cursor({std::nullopt, 7}));
  ASSERT_TRUE(null_ts);
  EXPECT_FALSE(null_ts->created_at);
  for (const char* bad : {"", "!!", "bm90LWEtY3Vyc29y", "MS4w", "eC4x"}) EXPECT_FALSE(decode_cursor(bad)) << bad;
}

TEST(input_test, list_params) {
  auto d = parse_list_params("");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->limit, 100);
  auto p = parse_list_params("limit=5&type=top&color=blue&size=M");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->limit, 5);
  EXPECT_EQ(p->type, "top");
  for (const char* bad : {"limit=0", "limit=101", "limit=abc", "limit=-1", "limit=", "cursor=zzz", "type=%00",
                          "color=%ff"}) {
    auto r = parse_list_params(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().status, 400);
    EXPECT_NE(r.error().body.find("\"fields\":{"), std::string::npos) << r.error().body;
  }
}

TEST(input_test, body_media_type_size_and_encoding) {
  EXPECT_EQ(code_of(parse_item_body(body_request(R"({"imageUrl":"https://x/a.png"})"), true)), "ok");
  EXPECT_EQ(code_of(parse_item_body(body_request(R"({"imageUrl":"https://x/a.png"})", "application/json; charset=utf-8"), true)), "ok");
  EXPECT_EQ(code_of(parse_item_body(body_request("{}", "text/plain"), true)), "unsupported_media_type");
  EXPECT_EQ(code_of(parse_item_body(body_request("{}", ""), true)), "unsupported_media_type");
  EXPECT_EQ(code_of(parse_item_body(body_request(std::string(64 * 1024 + 1, ' ')), true)), "payload_too_large");
  EXPECT_EQ(code_of(parse_item_body(body_request("{nope"), true)), "invalid_json");
  EXPECT_EQ(code_of(parse_item_body(body_request("{\"name\":\"\xff\"}"), true)), "invalid_json");
  EXPECT_EQ(code_of(parse_item_body(body_request(std::string("{\"name\":\"a\0b\"}", 14)), true)), "invalid_json");
}

TEST(input_test, body_validation) {
  const char* failing[] = {
      R"({"name":"x"})",                                           // imageUrl required
      R"({"imageUrl":"ftp://x/a"})", R"({"imageUrl":"/relative.png"})", R"({"imageUrl":"https://"})",
      R"({"imageUrl":"https://x/a b"})", R"({"imageUrl":5})", R"({"imageUrl":null})",
      R"({"imageUrl":"https://x/a","owner":"me"})",                 // unknown field
      R"({"imageUrl":"https://x/a","userId":"kp_other"})",          // server-set
      R"({"imageUrl":"https://x/a","id":5})",
      R"({"imageUrl":"https://x/a","name":"a\u0000b"})",            // NUL
      R"({"imageUrl":"https://x/a","name":12})",                    // wrong type
  };
  for (const char* b : failing) EXPECT_EQ(code_of(parse_item_body(body_request(b), true)), "validation_failed") << b;
  const std::string long_url = R"({"imageUrl":"https://x/)" + std::string(2040, 'a') + "\"}";
  EXPECT_EQ(code_of(parse_item_body(body_request(long_url), true)), "validation_failed");
  const std::string name256 = R"({"imageUrl":"https://x/a","name":")" + std::string(256, 'n') + "\"}";
  EXPECT_EQ(code_of(parse_item_body(body_request(name256), true)), "ok");
  const std::string name257 = R"({"imageUrl":"https://x/a","name":")" + std::string(257, 'n') + "\"}";
  EXPECT_EQ(code_of(parse_item_body(body_request(name257), true)), "validation_failed");
  std::string emoji = R"({"imageUrl":"https://x/a","name":")";
  for (int i = 0; i < 256; ++i) emoji += "\xF0\x9F\x91\x95";  // 256 characters, 1024 bytes
  EXPECT_EQ(code_of(parse_item_body(body_request(emoji + "\"}"), true)), "ok");
  EXPECT_EQ(code_of(parse_item_body(body_request(R"({"imageUrl":"https://x/a","name":"'; drop table items;--\t\u0001"})"), true)), "ok");
}

TEST(input_test, every_stage_reports_its_fields_in_one_answer_one_message_each) {
  // The schema (name too long), NUL characters (color) and the app's rule (imageUrl) together.
  const std::string body = R"({"name":")" + std::string(257, 'x') + R"(","color":"a\u0000","imageUrl":"ftp://x"})";
  auto r = parse_item_body(body_request(body), true);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().body.find(R"("name":"must be at most 256 characters")"), std::string::npos) << r.error().body;
  EXPECT_NE(r.error().body.find(R"("color":"must not contain NUL characters")"), std::string::npos) << r.error().body;
  EXPECT_NE(r.error().body.find(R"("imageUrl":"must be an absolute http(s) URL")"), std::string::npos) << r.error().body;
  // A field failing two stages, or an unknown key given twice, is named once (the first stage's
  // message): JSON.parse would keep only the last of two.
  for (const char* twice : {R"({"imageUrl":"https://a.b/c\u0000"})", R"({"imageUrl":"https://a.b/c","foo":1,"foo":2})",
                            R"({"imageUrl":5})"}) {
    auto t = parse_item_body(body_request(twice), true);
    ASSERT_FALSE(t) << twice;
    const std::string& b = t.error().body;
    const std::string key = std::string_view(twice).find("foo") != std::string_view::npos ? "\"foo\"" : "\"imageUrl\"";
    ASSERT_NE(b.find(key), std::string::npos) << b;  // named at all, then once
    EXPECT_EQ(b.find(key), b.rfind(key)) << b;
  }
}

TEST(input_test, update_bodies) {
  EXPECT_EQ(code_of(parse_item_body(body_request(R"({"color":"red"})"), false)), "ok");
  EXPECT_EQ(code_of(parse_item_body(body_request(R"({})"), false)), "validation_failed");
  EXPECT_EQ(code_of(parse_item_body(body_request(R"({"imageUrl":"nope"})"), false)), "validation_failed");
  EXPECT_EQ(code_of(parse_item_body(body_request(R"([1])"), false)), "validation_failed");
}

TEST(input_test, unsafe_object_keys_are_refused_in_the_core) {
  using edgefn::api::object_key;
  using edgefn::api::is_safe_object_key;
  for (const char* k : {"", "/abs", "a/../b", "..", "../outside.txt", "./a", "a//b", "a/", "a\\b"})
    EXPECT_FALSE(is_safe_object_key(k)) << k;
  EXPECT_FALSE(is_safe_object_key(std::string_view("a\0b", 3)));
  EXPECT_TRUE(is_safe_object_key("images/a b.png"));
  EXPECT_TRUE(is_safe_object_key("a..b/c"));
  // %2e%2e in the URL path decodes to "..": refused after decoding.
  EXPECT_FALSE(is_safe_object_key(object_key("https://img.example.com/%2e%2e/outside.txt")));
}

TEST(input_test, object_keys) {
  EXPECT_EQ(edgefn::api::object_key("https://img.example/images/1.png"), "images/1.png");
  EXPECT_EQ(edgefn::api::object_key("https://img.example/images/1.png?v=2#x"), "images/1.png");
  EXPECT_EQ(edgefn::api::object_key("https://img.example"), "");
  EXPECT_EQ(edgefn::api::object_key("https://img.example/"), "");
  EXPECT_EQ(edgefn::api::object_key("https://img.example/images/a%20b+c.png"), "images/a b+c.png");
}

TEST(input_test, a_sub_holding_a_slash_owns_a_prefix_of_its_own) {
  // Raw, user "a"'s users/a/ would cover user "a/b"'s objects (and the reverse for a/b's own).
  const std::string url = "https://img.example/users/a/b/photo.jpg";
  EXPECT_EQ(owned_object_key(url, "a", nullptr, nullptr), "users/a/b/photo.jpg");
  EXPECT_EQ(owned_object_key(url, "a/b", nullptr, nullptr), std::nullopt);
  // The sub's own prefix is users/a%2Fb/: its URL spells the '%' as %25.
  EXPECT_EQ(owned_object_key("https://img.example/users/a%252Fb/photo.jpg", "a/b", nullptr, nullptr),
            "users/a%2Fb/photo.jpg");
  EXPECT_EQ(owned_object_key("https://img.example/users/a%252Fb/photo.jpg", "a", nullptr, nullptr), std::nullopt);
  // '%' itself is encoded, so "a%2Fb" and "a/b" are different owners.
  EXPECT_EQ(owned_object_key("https://img.example/users/a%252Fb/photo.jpg", "a%2Fb", nullptr, nullptr), std::nullopt);
  const std::string prefix = "u/{sub}/";
  EXPECT_EQ(owned_object_key("https://img.example/u/a/b/x.png", "a/b", nullptr, &prefix), std::nullopt);
}

TEST(input_test, dot_segments_leave_the_bucket) {
  const std::string base = "https://cdn.example/bucket";
  EXPECT_TRUE(is_under("https://cdn.example/bucket/users/a/x.png", base));
  EXPECT_TRUE(is_under("https://cdn.example/bucket/a..b/x.png?v=../", base));
  for (const char* url : {"https://cdn.example/bucket/../private/x.png", "https://cdn.example/bucket/%2e%2e/private/x.png",
                          "https://cdn.example/bucket/a/%2E%2e/../x.png", "https://cdn.example/bucket/./x.png",
                          "https://cdn.example/bucket/..", "https://cdn.example/bucket/..%2fprivate/x.png"})
    EXPECT_FALSE(is_under(url, base)) << url;
  // So a body cannot name such a URL when the bucket is set.
  item_values v;
  v[items_table::image_url] = "https://cdn.example/bucket/../private/secret.jpg";
  const auto fields = image_url_checks(v, true, &base);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].first, "imageUrl");
}

}  // namespace
}  // namespace edgefn::wardrobe
