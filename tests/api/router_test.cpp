#include <gtest/gtest.h>

#include "api/router.h"

namespace edgefn::api {
namespace {

TEST(router_test, routes_and_patterns) {
  EXPECT_EQ(match_route("GET", "/healthz").id, route::healthz);
  EXPECT_EQ(match_route("GET", "/api/openapi.json").id, route::openapi);
  EXPECT_EQ(match_route("GET", "/api/wardrobe").id, route::list_items);
  EXPECT_EQ(match_route("POST", "/api/wardrobe").id, route::create_item);
  EXPECT_EQ(match_route("GET", "/api/wardrobe/total-items").id, route::total_items);
  auto m = match_route("GET", "/api/wardrobe/42");
  EXPECT_EQ(m.id, route::get_item);
  EXPECT_EQ(m.pattern, "/api/wardrobe/:id");
  EXPECT_EQ(m.item_segment, "42");
  EXPECT_EQ(match_route("PUT", "/api/wardrobe/42").id, route::update_item);
  EXPECT_EQ(match_route("DELETE", "/api/wardrobe/42").id, route::delete_item);
}

TEST(router_test, method_not_allowed_carries_allow) {
  auto m = match_route("DELETE", "/api/wardrobe");
  EXPECT_EQ(m.id, route::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, POST");
  EXPECT_EQ(match_route("POST", "/api/wardrobe/1").allow, "GET, PUT, DELETE");
  EXPECT_EQ(match_route("PUT", "/api/wardrobe/total-items").allow, "GET");
  EXPECT_EQ(match_route("POST", "/healthz").id, route::method_not_allowed);
}

TEST(router_test, unknown_paths) {
  for (const char* p : {"/", "/api", "/api/wardrobe/", "/api/wardrobe/1/x", "/api/wardrobe//", "/healthz/",
                        "/API/wardrobe"})
    EXPECT_EQ(match_route("GET", p).id, route::not_found) << p;
}

TEST(router_test, item_ids) {
  EXPECT_EQ(parse_item_id("1"), 1);
  EXPECT_EQ(parse_item_id("2147483647"), 2147483647);
  EXPECT_EQ(parse_item_id("007"), 7);
  for (const char* bad : {"", "0", "-1", "+1", "2147483648", "99999999999", "1.0", "abc", "1e3", " 1", "0x1"})
    EXPECT_FALSE(parse_item_id(bad)) << bad;
}

TEST(router_test, query_strings) {
  auto [path, query] = split_target("/api/wardrobe?limit=5&type=a%20b+c&x");
  EXPECT_EQ(path, "/api/wardrobe");
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
