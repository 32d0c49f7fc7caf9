// The wardrobe API driven through the engine by a scripted host: routing, auth, actions issued
// per route (pool, cacheability, one SQL round trip), failure mapping, CORS, logs.

#include <gtest/gtest.h>

#include "fake_host.h"

namespace edgefn::testing {
namespace {

const exchange::sql_call& only_sql(const fake_host& h) {
  const exchange::sql_call* found = nullptr;
  int n = 0;
  for (const auto& a : h.actions)
    if (auto* s = std::get_if<exchange::sql_call>(&a.body)) { found = s; ++n; }
  EXPECT_EQ(n, 1) << "exactly one Neon round trip";
  static const exchange::sql_call none;
  return found ? *found : none;
}

TEST(app_test, healthz_needs_no_auth_and_no_actions) {
  fake_host h;
  auto r = h.run("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_EQ(header(r, "x-request-id"), "req-1");
  EXPECT_TRUE(h.actions.empty());
  ASSERT_EQ(h.logs.size(), 1u);
  EXPECT_NE(h.logs[0].find(R"("route":"/healthz","status":200)"), std::string::npos) << h.logs[0];
}

TEST(app_test, request_id_from_the_client_is_kept_when_safe) {
  exchange::request req;
  req.headers = {{"X-Request-Id", "abc-123"}};
  EXPECT_EQ(api::choose_request_id(req, "host-1"), "abc-123");
  req.headers = {{"X-Request-Id", "bad id\""}};
  EXPECT_EQ(api::choose_request_id(req, "host-1"), "host-1");
  req.headers = {{"X-Request-Id", std::string(65, 'a')}};
  EXPECT_EQ(api::choose_request_id(req, "host-1"), "host-1");
}

TEST(app_test, openapi_document_lists_every_route) {
  fake_host h;
  auto r = h.run("GET", "/api/openapi.json");
  EXPECT_EQ(r.status, 200);
  for (const char* s : {"\"openapi\":\"3.1.0\"", "/api/wardrobe/total-items", "/api/wardrobe/{id}", "validation_failed",
                        "service_unavailable", "nextCursor"})
    EXPECT_NE(r.body.find(s), std::string::npos) << s;
}

TEST(app_test, not_found_and_method_not_allowed) {
  fake_host h;
  EXPECT_EQ(h.run("GET", "/nope").status, 404);
  auto r = h.run("PATCH", "/api/wardrobe/1");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "allow"), "GET, HEAD, PUT, DELETE");
  EXPECT_NE(r.body.find("method_not_allowed"), std::string::npos);
  EXPECT_TRUE(h.actions.empty());
  // HEAD is GET's (the hosts drop the body): same status, same statement.
  auto head = h.run("HEAD", "/healthz");
  EXPECT_EQ(head.status, 200);
  h.sql_body = R"({"command":"SELECT","rowCount":1,"fields":[{"name":"count","dataTypeID":20,"tableID":0,"columnID":0,"dataTypeSize":8,"dataTypeModifier":-1,"format":"text"}],"rows":[["12"]],"rowAsArray":true})";
  EXPECT_EQ(h.authed("HEAD", "/api/wardrobe/total-items").status, 200);
  ASSERT_FALSE(h.actions.empty());
  EXPECT_EQ(h.actions.back().kind(), exchange::action_kind::sql);
}

TEST(app_test, preflight_touches_neither_auth_nor_database) {
  fake_host h;
  auto r = h.run("OPTIONS", "/api/wardrobe/5",
                 {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "DELETE"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "access-control-allow-origin"), "https://app.example");
  EXPECT_TRUE(h.actions.empty());
}

TEST(app_test, cors_headers_on_normal_responses) {
  fake_host h;
  auto r = h.run("GET", "/healthz", {{"Origin", "https://app.example"}});
  EXPECT_EQ(header(r, "access-control-allow-origin"), "https://app.example");
  EXPECT_NE(header(r, "access-control-expose-headers").find("X-Request-Id"), std::string::npos);
}

TEST(app_test, missing_and_invalid_tokens) {
  fake_host h;
  auto missing = h.run("GET", "/api/wardrobe");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(header(missing, "www-authenticate"), "Bearer realm=\"edgefn\"");
  EXPECT_TRUE(h.actions.empty());
  auto basic = h.run("GET", "/api/wardrobe", {{"Authorization", "Basic dTpw"}});
  EXPECT_EQ(header(basic, "www-authenticate"), "Bearer realm=\"edgefn\"");

  const std::pair<std::string, std::string> cases[] = {
      {"garbage", "malformed token"},
      {fake_token("kp_1", "forged"), "invalid signature"},
      {fake_token("kp_1", "good", k_now_ms / 1000 - 61), "token expired"},
      {auth::base64url_encode(R"({"alg":"none"})") + "." + auth::base64url_encode(R"({"sub":"x","exp":9999999999})") + ".",
       "unsupported algorithm"},
      {auth::base64url_encode(R"({"alg":"none"})") + "." + auth::base64url_encode(R"({"sub":"x","exp":9999999999})") + ".eA",
       "unsupported algorithm"},
  };
  for (const auto& [tok, why] : cases) {
    auto r = h.run("GET", "/api/wardrobe", {{"Authorization", "Bearer " + tok}});
    EXPECT_EQ(r.status, 401) << why;
    EXPECT_EQ(header(r, "www-authenticate"), "Bearer error=\"invalid_token\", error_description=\"" + why + "\"");
    EXPECT_NE(r.body.find("\"code\":\"unauthorized\""), std::string::npos);
    for (const auto& a : h.actions) EXPECT_NE(a.kind(), exchange::action_kind::sql) << why;
  }
}

TEST(app_test, hs256_is_refused_without_the_dev_secret) {
  auto cfg = fake_host::default_config();
  cfg.auth_dev_hs256 = false;
  cfg.auth_jwks = R"({"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"}]})";
  fake_host h(cfg);
  auto r = h.authed("GET", "/api/wardrobe");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(h.actions.empty()) << "refused before any signature check";
}

TEST(app_test, jwks_url_is_fetched_through_an_action) {
  auto cfg = fake_host::default_config();
  cfg.auth_dev_hs256 = false;
  cfg.auth_jwks_url = "https://issuer.example/jwks.json";
  fake_host h(cfg);
  h.answer = [](const exchange::action& a) {
    exchange::action_result r;
    r.id = a.id;
    r.status = exchange::outcome::failed_connect;
    return r;
  };
  const std::string rs_token = auth::base64url_encode(R"({"alg":"RS256","kid":"k9"})") + "." +
                               auth::base64url_encode(R"({"sub":"kp_1","exp":9999999999})") + ".c2ln";
  auto r = h.run("GET", "/api/wardrobe", {{"Authorization", "Bearer " + rs_token}});
  EXPECT_EQ(r.status, 503) << "JWKS unreachable";
  ASSERT_EQ(h.actions.size(), 1u);
  EXPECT_EQ(std::get<exchange::jwks_fetch>(h.actions[0].body).url, cfg.auth_jwks_url);
}

TEST(app_test, unknown_kid_asks_once_for_a_refreshed_jwks) {
  auto cfg = fake_host::default_config();
  cfg.auth_dev_hs256 = false;
  cfg.auth_jwks_url = "https://issuer.example/jwks.json";
  fake_host h(cfg);
  int fetches = 0;
  auto base = h.answer;
  h.answer = [&](const exchange::action& a) {
    auto r = base(a);
    if (auto* f = std::get_if<exchange::jwks_fetch>(&a.body)) {
      EXPECT_EQ(f->refresh, fetches == 1);
      r.http_status = 200;
      // The first (cached) document predates the rotation; the refreshed one has the key.
      r.body.append(fetches++ == 0 ? R"({"keys":[{"kty":"RSA","kid":"old"}]})"
                                   : R"({"keys":[{"kty":"RSA","kid":"new"}]})");
    }
    if (a.kind() == exchange::action_kind::verify_signature) r.valid = true;
    return r;
  };
  const std::string tok = auth::base64url_encode(R"({"alg":"RS256","kid":"new"})") + "." +
                          auth::base64url_encode(R"({"sub":"kp_1","exp":9999999999})") + ".c2ln";
  EXPECT_EQ(h.run("GET", "/api/wardrobe", {{"Authorization", "Bearer " + tok}}).status, 200);
  EXPECT_EQ(fetches, 2);
  fetches = 0;
  const std::string gone = auth::base64url_encode(R"({"alg":"RS256","kid":"never"})") + "." +
                           auth::base64url_encode(R"({"sub":"kp_1","exp":9999999999})") + ".c2ln";
  auto r = h.run("GET", "/api/wardrobe", {{"Authorization", "Bearer " + gone}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(fetches, 2) << "one refresh, not a loop";
}

TEST(app_test, list_uses_the_cached_pool_and_pages) {
  fake_host h;
  h.sql_body = items_body({item_row(3), item_row(2, "kp_abc123", "2026-11-22 05:04:02.5")});
  auto r = h.authed("GET", "/api/wardrobe?limit=1&type=top");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& sql = only_sql(h);
  EXPECT_EQ(sql.target_pool, exchange::pool::cached);
  EXPECT_TRUE(sql.cacheable);
  EXPECT_EQ(sql.reads, (std::vector<std::string>{"items"}));
  EXPECT_TRUE(sql.writes.empty());
  EXPECT_NE(sql.body.find("\"kp_abc123\""), std::string::npos);
  EXPECT_NE(sql.body.find("\"top\""), std::string::npos);
  EXPECT_NE(sql.body.find("\"2\""), std::string::npos) << "fetches limit + 1";
  EXPECT_NE(sql.body.find("order by"), std::string::npos);
  EXPECT_EQ(r.body.find(R"({"items":[{"id":3,"userId":"kp_abc123","name":"Shirt","size":"M","type":"top","color":"blue","createdAt":"2026-11-22T05:04:03.123Z","imageUrl":"https://img.example/users/kp_abc123/3.png"}],"nextCursor":")"), 0u) << r.body;
  // The cursor leads to a keyset query.
  const auto at = r.body.find("nextCursor\":\"") + 13;
  const auto cursor = r.body.substr(at, r.body.find('"', at) - at);
  h.sql_body = items_body({item_row(2)});
  auto next = h.authed("GET", "/api/wardrobe?limit=1&cursor=" + cursor);
  ASSERT_EQ(next.status, 200);
  EXPECT_EQ(next.body.find("nextCursor"), std::string::npos);
  EXPECT_NE(only_sql(h).body.find("\"3\""), std::string::npos) << only_sql(h).body;
}

TEST(app_test, bad_list_params_are_400_without_sql) {
  fake_host h;
  auto r = h.authed("GET", "/api/wardrobe?limit=500");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("fields":{"limit")"), std::string::npos);
  for (const auto& a : h.actions) EXPECT_NE(a.kind(), exchange::action_kind::sql);
}

TEST(app_test, create_goes_direct_and_invalidates) {
  fake_host h;
  h.sql_body = items_body({item_row(9)}, "INSERT");
  auto r = h.authed("POST", "/api/wardrobe", R"({"name":"Shirt","imageUrl":"https://img.example/images/9.png"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(header(r, "location"), "/api/wardrobe/9");
  const auto& sql = only_sql(h);
  EXPECT_EQ(sql.target_pool, exchange::pool::direct);
  EXPECT_FALSE(sql.cacheable);
  EXPECT_EQ(sql.writes, (std::vector<std::string>{"items"}));
  EXPECT_NE(sql.body.find("insert into"), std::string::npos);
  EXPECT_NE(sql.body.find("kp_abc123"), std::string::npos) << "owner comes from the token";
}

TEST(app_test, total_items_is_a_number) {
  fake_host h;
  h.sql_body = R"({"command":"SELECT","rowCount":1,"fields":[{"name":"count","dataTypeID":20,"tableID":0,"columnID":0,"dataTypeSize":8,"dataTypeModifier":-1,"format":"text"}],"rows":[["12"]],"rowAsArray":true})";
  auto r = h.authed("GET", "/api/wardrobe/total-items");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"total":12})");
  EXPECT_EQ(only_sql(h).target_pool, exchange::pool::cached);
}

TEST(app_test, item_not_found_and_bad_ids_look_the_same) {
  fake_host h;
  h.sql_body = items_body({});
  auto missing = h.authed("GET", "/api/wardrobe/5");
  EXPECT_EQ(missing.status, 404);
  auto bad = h.authed("GET", "/api/wardrobe/abc");
  EXPECT_EQ(bad.status, 404);
  EXPECT_EQ(bad.body, missing.body);
  for (const auto& a : h.actions) EXPECT_NE(a.kind(), exchange::action_kind::sql) << "no SQL for a bad id";
  EXPECT_EQ(h.authed("DELETE", "/api/wardrobe/99999999999").status, 404);
}

TEST(app_test, update_is_one_owned_statement) {
  fake_host h;
  h.sql_body = items_body({item_row(4)}, "UPDATE");
  auto r = h.authed("PUT", "/api/wardrobe/4", R"({"color":"red"})");
  EXPECT_EQ(r.status, 200);
  const auto& sql = only_sql(h);
  EXPECT_EQ(sql.target_pool, exchange::pool::direct);
  EXPECT_NE(sql.body.find("update"), std::string::npos);
  EXPECT_NE(sql.body.find("returning"), std::string::npos);
}

TEST(app_test, delete_removes_the_row_then_the_image) {
  fake_host h;
  h.sql_body = items_body({item_row(4)}, "DELETE");
  auto r = h.authed("DELETE", "/api/wardrobe/4");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(h.actions.size(), 3u);  // verify, sql, delete
  EXPECT_EQ(h.actions[1].kind(), exchange::action_kind::sql);
  ASSERT_EQ(h.actions[2].kind(), exchange::action_kind::delete_object);
  EXPECT_EQ(std::get<exchange::object_delete>(h.actions[2].body).key, "users/kp_abc123/4.png");
}

// Issue 10.1: user B's item naming user A's object deletes B's row and keeps A's object.
TEST(app_test, delete_never_removes_another_users_object) {
  fake_host h;
  const std::string others[] = {"https://elsewhere.example/users/kp_alice/photo.png",
                                "https://img.example/users/kp_alice/4.png", "https://img.example/4.png",
                                "https://img.example/users/kp_abc123", "https://img.example/users/kp_abc1234/x.png"};
  for (const auto& url : others) {
    h.actions.clear();
    h.logs.clear();
    h.sql_body = items_body({item_row(4, "kp_abc123", "2026-11-22 05:04:03.123456", url)}, "DELETE");
    auto r = h.authed("DELETE", "/api/wardrobe/4");
    EXPECT_EQ(r.status, 200) << url;
    for (const auto& a : h.actions) EXPECT_NE(a.kind(), exchange::action_kind::delete_object) << url;
    bool warned = false;
    for (const auto& l : h.logs) warned = warned || (l.find("\"level\":\"warn\"") != std::string::npos && l.find("object kept") != std::string::npos);
    EXPECT_TRUE(warned) << url;
  }
}

TEST(app_test, the_owner_prefix_and_the_bucket_base_url_are_app_settings) {
  auto cfg = fake_host::default_config();
  cfg.app_settings = {{"APP_IMAGES_BASE_URL", "https://cdn.example/bucket"}, {"APP_IMAGES_OWNER_PREFIX", "u/{sub}/"}};
  fake_host h(cfg);
  // On create and update, imageUrl must be on the bucket's base URL.
  auto off = h.authed("POST", "/api/wardrobe", R"({"imageUrl":"https://elsewhere.example/u/kp_abc123/a.png"})");
  EXPECT_EQ(off.status, 400);
  EXPECT_NE(off.body.find("imageUrl"), std::string::npos) << off.body;
  EXPECT_EQ(h.authed("PUT", "/api/wardrobe/4", R"({"imageUrl":"https://cdn.example/bucketx/a.png"})").status, 400);
  // The key is the part after the base URL; it must be under u/<sub>/.
  h.sql_body = items_body({item_row(4, "kp_abc123", "2026-11-22 05:04:03.123456",
                                    "https://cdn.example/bucket/u/kp_abc123/a%20b.png")}, "DELETE");
  h.actions.clear();
  ASSERT_EQ(h.authed("DELETE", "/api/wardrobe/4").status, 200);
  ASSERT_EQ(h.actions.back().kind(), exchange::action_kind::delete_object);
  EXPECT_EQ(std::get<exchange::object_delete>(h.actions.back().body).key, "u/kp_abc123/a b.png");
}

TEST(app_test, failed_image_delete_is_logged_and_still_200) {
  fake_host h;
  h.sql_body = items_body({item_row(4)}, "DELETE");
  auto base = h.answer;
  h.answer = [base](const exchange::action& a) {
    auto r = base(a);
    if (a.kind() == exchange::action_kind::delete_object) {
      r.status = exchange::outcome::failed;
      r.detail = "bucket on fire";
    }
    return r;
  };
  auto r = h.authed("DELETE", "/api/wardrobe/4");
  EXPECT_EQ(r.status, 200);
  bool logged = false;
  for (const auto& l : h.logs) logged = logged || (l.find("users/kp_abc123/4.png") != std::string::npos && l.find("bucket on fire") != std::string::npos);
  EXPECT_TRUE(logged);
}

TEST(app_test, sql_failures_map_to_503_504_and_500) {
  fake_host h;
  auto base = h.answer;
  exchange::outcome fail_with = exchange::outcome::failed_connect;
  h.answer = [&](const exchange::action& a) {
    auto r = base(a);
    if (a.kind() == exchange::action_kind::sql) r.status = fail_with;
    return r;
  };
  for (auto o : {exchange::outcome::failed_connect, exchange::outcome::failed_dns}) {
    fail_with = o;
    auto r = h.authed("GET", "/api/wardrobe");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(header(r, "retry-after"), "5");
  }
  fail_with = exchange::outcome::failed_timeout;  // the route's deadline passed
  EXPECT_EQ(h.authed("GET", "/api/wardrobe").status, 504);
  fail_with = exchange::outcome::ok;
  h.sql_status = 500;
  h.sql_body = R"({"message":"could not connect to postgres: refused","code":""})";
  EXPECT_EQ(h.authed("GET", "/api/wardrobe").status, 503) << "gateway connect error";
  h.sql_status = 400;
  h.sql_body = R"({"message":"relation \"items\" does not exist","code":"42P01","severity":"ERROR"})";
  auto r = h.authed("GET", "/api/wardrobe");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"x({"error":{"code":"internal","message":"internal error (request id req-1)"}})x");
  EXPECT_EQ(r.body.find("items"), std::string::npos) << "no SQL detail leaks";
}

TEST(app_test, request_log_line_has_the_contract_fields_and_no_token) {
  fake_host h;
  h.sql_body = items_body({item_row(1)});
  auto r = h.authed("GET", "/api/wardrobe/1");
  ASSERT_EQ(r.status, 200);
  ASSERT_FALSE(h.logs.empty());
  const auto& line = h.logs.back();
  for (const char* s : {R"("method":"GET")", R"("route":"/api/wardrobe/:id")", R"("status":200)",
                        R"("duration_ms":7)", R"("db_round_trips":1)", R"("request_id":"req-1")"})
    EXPECT_NE(line.find(s), std::string::npos) << s << " in " << line;
  EXPECT_EQ(line.find(fake_token("kp_abc123")), std::string::npos);
}

}  // namespace
}  // namespace edgefn::testing
