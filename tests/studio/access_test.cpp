#include "studio/access.h"

#include <gtest/gtest.h>

namespace edgefn::studio {
namespace {

httpd::request with(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
  httpd::request r;
  r.method = "GET";
  r.target = std::move(target);
  r.headers = std::move(headers);
  return r;
}

TEST(access_test, tokens_are_64_hex_digits_and_differ) {
  const auto a = new_token();
  const auto b = new_token();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 64u);
  EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(*a, *b);
}

TEST(access_test, the_token_comes_from_the_query_else_the_cookie) {
  EXPECT_EQ(presented_token(with("/?token=abc")), "abc");
  EXPECT_EQ(presented_token(with("/api/meta", {{"cookie", "a=1; edgefn_studio=xyz; b=2"}})), "xyz");
  EXPECT_EQ(presented_token(with("/?token=q", {{"cookie", "edgefn_studio=c"}})), "q");
  EXPECT_EQ(presented_token(with("/", {{"cookie", "xedgefn_studio=c"}})), "");
  EXPECT_EQ(presented_token(with("/")), "");
}

TEST(access_test, only_the_exact_token_matches) {
  EXPECT_TRUE(token_equals("abcd", "abcd"));
  EXPECT_FALSE(token_equals("abce", "abcd"));
  EXPECT_FALSE(token_equals("abc", "abcd"));
  EXPECT_FALSE(token_equals("abcde", "abcd"));
  EXPECT_FALSE(token_equals("", ""));
}

TEST(access_test, only_loopback_host_names_on_our_port_are_allowed) {
  EXPECT_TRUE(host_allowed(with("/", {{"host", "127.0.0.1:4983"}}), 4983));
  EXPECT_TRUE(host_allowed(with("/", {{"host", "localhost:4983"}}), 4983));
  EXPECT_FALSE(host_allowed(with("/", {{"host", "127.0.0.1:4984"}}), 4983));
  EXPECT_FALSE(host_allowed(with("/", {{"host", "evil.example:4983"}}), 4983));
  EXPECT_FALSE(host_allowed(with("/"), 4983));
}

TEST(access_test, the_cookie_is_http_only_and_same_site_strict) {
  EXPECT_EQ(token_cookie("t"), "edgefn_studio=t; Path=/; HttpOnly; SameSite=Strict");
}

}  // namespace
}  // namespace edgefn::studio
