#include <gtest/gtest.h>

#include "api/config.h"
#include "api/cors.h"
#include "api/errors.h"
#include "fake_host.h"

namespace edgefn::api {
namespace {

using testing::header;

TEST(errors_test, bodies_and_statuses) {
  auto r = error_response(error_code::validation_failed, "invalid fields", {{"name", "too long"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":{"code":"validation_failed","message":"invalid fields","fields":{"name":"too long"}}})");
  EXPECT_EQ(header(r, "content-type"), "application/json; charset=utf-8");
  auto u = error_response(error_code::service_unavailable, "down");
  EXPECT_EQ(u.status, 503);
  EXPECT_EQ(header(u, "retry-after"), "5");
  EXPECT_EQ(u.body, R"({"error":{"code":"service_unavailable","message":"down"}})");
  EXPECT_EQ(method_not_allowed("GET").status, 405);
  EXPECT_EQ(header(method_not_allowed("GET"), "allow"), "GET");
  EXPECT_EQ(internal_error("abc").body, R"x({"error":{"code":"internal","message":"internal error (request id abc)"}})x");
  const std::pair<error_code, int> all[] = {
      {error_code::invalid_json, 400}, {error_code::unauthorized, 401}, {error_code::not_found, 404},
      {error_code::payload_too_large, 413}, {error_code::unsupported_media_type, 415}, {error_code::internal, 500}};
  for (auto [c, s] : all) EXPECT_EQ(status_of(c), s);
}

TEST(errors_test, auth_challenges) {
  auto m = missing_token();
  EXPECT_EQ(m.status, 401);
  EXPECT_EQ(header(m, "www-authenticate"), "Bearer realm=\"edgefn\"");
  auto i = invalid_token("token expired");
  EXPECT_EQ(header(i, "www-authenticate"), "Bearer error=\"invalid_token\", error_description=\"token expired\"");
  EXPECT_EQ(i.body, R"({"error":{"code":"unauthorized","message":"token expired"}})");
}

exchange::request req(std::string method, http::header_list h) {
  exchange::request r;
  r.method = std::move(method);
  r.target = "/api/wardrobe";
  r.headers = std::move(h);
  return r;
}

TEST(cors_test, origins_parse) {
  EXPECT_EQ(parse_origins(" https://a.example/ , ,https://b.example"),
            (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(parse_origins("*"), (std::vector<std::string>{"*"}));
  EXPECT_TRUE(parse_origins("").empty());
}

TEST(cors_test, preflight_detection_and_answer) {
  const std::vector<std::string> allowed{"https://app.example"};
  auto pre = req("OPTIONS", {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"},
                             {"Access-Control-Request-Headers", "authorization, content-type"}});
  ASSERT_TRUE(is_preflight(pre));
  EXPECT_FALSE(is_preflight(req("OPTIONS", {{"Origin", "https://app.example"}})));
  EXPECT_FALSE(is_preflight(req("GET", {{"Origin", "x"}, {"Access-Control-Request-Method", "GET"}})));
  auto r = preflight(pre, allowed);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(header(r, "access-control-allow-headers"), "authorization, content-type");
  EXPECT_NE(header(r, "access-control-allow-methods").find("DELETE"), std::string::npos);
  auto denied = preflight(req("OPTIONS", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}}), allowed);
  EXPECT_EQ(denied.status, 204);
  EXPECT_EQ(header(denied, "access-control-allow-origin"), "<absent>");
}

TEST(cors_test, wildcard_and_decoration) {
  exchange::response r;
  decorate(r, req("GET", {{"Origin", "https://x.example"}}), {"*"});
  EXPECT_EQ(header(r, "access-control-allow-origin"), "*");
  exchange::response none;
  decorate(none, req("GET", {}), {"*"});
  EXPECT_TRUE(none.headers.empty());
  exchange::response denied;
  decorate(denied, req("GET", {{"Origin", "https://x.example"}}), {"https://app.example"});
  EXPECT_TRUE(denied.headers.empty());
}

}  // namespace
}  // namespace edgefn::api
