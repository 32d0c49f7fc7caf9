#include <gtest/gtest.h>

#include "api/router.h"

namespace edgefn::api {
namespace {

// A route table shaped like a real app's: literal and typed parameter segments.
constexpr route_def k_routes[] = {
    {.method = "GET", .path = "/api/things"},
    {.method = "POST", .path = "/api/things"},
    {.method = "GET", .path = "/api/things/total"},
    {.method = "GET", .path = "/api/things/:id{id}"},
    {.method = "PUT", .path = "/api/things/:id{id}"},
    {.method = "DELETE", .path = "/api/things/:id{id}"},
    {.method = "GET", .path = "/books/:authorId{int}", .auth = auth_mode::none},
    {.method = "PUT", .path = "/books/:id{id}"},
    {.method = "GET", .path = "/tags/:tag/items/:n{int}"},
};
constexpr app_spec k_app{.title = "test", .routes = k_routes};

router make_router() {
  auto r = router::compile(k_app);
  EXPECT_TRUE(r);
  return std::move(*r);
}

TEST(router_test, routes_and_patterns) {
  const auto r = make_router();
  EXPECT_EQ(r.find("GET", "/healthz").kind, match_kind::health);
  EXPECT_EQ(r.find("GET", "/api/openapi.json").kind, match_kind::openapi);
  auto list = r.find("GET", "/api/things");
  ASSERT_EQ(list.kind, match_kind::route);
  EXPECT_EQ(list.route->def, &k_routes[0]);
  EXPECT_EQ(r.find("POST", "/api/things").route->def, &k_routes[1]);
  EXPECT_EQ(r.find("GET", "/api/things/total").route->def, &k_routes[2]);  // literal beats :id
  auto m = r.find("GET", "/api/things/42");
  ASSERT_EQ(m.kind, match_kind::route);
  EXPECT_EQ(m.route->def, &k_routes[3]);
  EXPECT_EQ(m.pattern, "/api/things/:id");
  ASSERT_EQ(m.raw_params.size(), 1u);
  EXPECT_EQ(m.raw_params[0], "42");
  EXPECT_EQ(r.find("PUT", "/api/things/42").route->def, &k_routes[4]);
  EXPECT_EQ(r.find("DELETE", "/api/things/42").route->def, &k_routes[5]);
  EXPECT_EQ(m.route->doc_path, "/api/things/{id}");
}

TEST(router_test, typed_parameters_parse_after_matching) {
  const auto r = make_router();
  auto ok = parse_path_params(r.find("GET", "/books/-7"));
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)[0].name, "authorId");
  EXPECT_EQ((*ok)[0].number, -7);
  // The shape matches (so the route, its auth and its 404 apply); the value does not parse.
  auto bad = r.find("GET", "/books/abc");
  EXPECT_EQ(bad.kind, match_kind::route);
  EXPECT_FALSE(parse_path_params(bad));
  EXPECT_FALSE(parse_path_params(r.find("GET", "/api/things/0")));
  EXPECT_FALSE(parse_path_params(r.find("GET", "/books/2147483648")));
  auto text = parse_path_params(r.find("GET", "/tags/a%20b/items/3"));
  ASSERT_TRUE(text);
  EXPECT_EQ((*text)[0].text, "a b");
  EXPECT_EQ((*text)[1].number, 3);
}

TEST(router_test, same_shape_with_other_parameter_names_per_method) {
  const auto r = make_router();
  auto get = r.find("GET", "/books/7");
  ASSERT_EQ(get.kind, match_kind::route);
  EXPECT_EQ(get.pattern, "/books/:authorId");
  auto put = r.find("PUT", "/books/7");
  ASSERT_EQ(put.kind, match_kind::route);
  EXPECT_EQ(put.pattern, "/books/:id");
  EXPECT_EQ((*parse_path_params(put))[0].name, "id");
  EXPECT_EQ(r.find("DELETE", "/books/7").allow, "GET, HEAD, PUT");
}

TEST(router_test, method_not_allowed_carries_allow) {
  const auto r = make_router();
  auto m = r.find("DELETE", "/api/things");
  EXPECT_EQ(m.kind, match_kind::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  EXPECT_EQ(r.find("POST", "/api/things/1").allow, "GET, HEAD, PUT, DELETE");
  EXPECT_EQ(r.find("PUT", "/api/things/total").allow, "GET, HEAD");
  EXPECT_EQ(r.find("POST", "/healthz").kind, match_kind::method_not_allowed);
}

TEST(router_test, a_declared_head_route_wins_and_is_listed_once) {
  static constexpr route_def routes[] = {{.method = "HEAD", .path = "/files/:id{id}"}, {.method = "GET", .path = "/files/:id{id}"}};
  static constexpr app_spec app{.title = "head", .routes = routes};
  const auto r = router::compile(app);
  ASSERT_TRUE(r);
  const auto head = r->find("HEAD", "/files/3");
  ASSERT_EQ(head.kind, match_kind::route);
  EXPECT_EQ(head.route->def, &routes[0]);
  EXPECT_EQ(r->find("PUT", "/files/3").allow, "HEAD, GET");
}

TEST(router_test, head_is_served_by_the_get_route) {
  const auto r = make_router();
  auto head = r.find("HEAD", "/books/7");
  ASSERT_EQ(head.kind, match_kind::route);
  EXPECT_EQ(head.pattern, "/books/:authorId");  // the GET route, not PUT's /books/:id
  EXPECT_EQ((*parse_path_params(head))[0].name, "authorId");
  EXPECT_EQ(r.find("HEAD", "/healthz").kind, match_kind::health);
  EXPECT_EQ(r.find("HEAD", "/api/things").kind, match_kind::route);
  EXPECT_EQ(r.find("HEAD", "/nowhere").kind, match_kind::not_found);
}

TEST(router_test, unknown_paths) {
  const auto r = make_router();
  for (const char* p : {"/", "/api", "/api/things/", "/api/things/1/x", "/api/things//", "/healthz/",
                        "/API/things", ""})
    EXPECT_EQ(r.find("GET", p).kind, match_kind::not_found) << p;
}

TEST(router_test, malformed_patterns_are_refused) {
  for (const char* p : {"things", "/a//b", "/a/:", "/a/:x{float}"}) {
    const route_def bad[] = {{.method = "GET", .path = p}};
    const app_spec app{.title = "bad", .routes = bad};
    EXPECT_FALSE(router::compile(app)) << p;
  }
}

TEST(router_test, ids) {
  EXPECT_EQ(parse_id("1"), 1);
  EXPECT_EQ(parse_id("2147483647"), 2147483647);
  EXPECT_EQ(parse_id("007"), 7);
  for (const char* bad : {"", "0", "-1", "+1", "2147483648", "99999999999", "1.0", "abc", "1e3", " 1", "0x1"})
    EXPECT_FALSE(parse_id(bad)) << bad;
  EXPECT_EQ(parse_int32("-2147483648"), INT32_MIN);
  EXPECT_FALSE(parse_int32("-2147483649"));
  EXPECT_FALSE(parse_int32("-"));
}

TEST(router_test, query_strings) {
  auto [path, query] = split_target("/api/things?limit=5&type=a%20b+c&x");
  EXPECT_EQ(path, "/api/things");
  auto ps = parse_query(query);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(find_param(ps, "limit"), "5");
  EXPECT_EQ(find_param(ps, "type"), "a b c");
  EXPECT_EQ(find_param(ps, "x"), "");
  EXPECT_FALSE(find_param(ps, "y"));
  EXPECT_EQ(find_param(parse_query("a=1&a=2"), "a"), "2");
  EXPECT_EQ(find_param(parse_query("a=%zz%4"), "a"), "%zz%4");
  EXPECT_EQ(find_param(parse_query("a=%00"), "a"), std::string(1, '\0'));
}

}  // namespace
}  // namespace edgefn::api
