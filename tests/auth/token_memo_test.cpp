// The core's memo of tokens verified against a fixed key (auth/token_memo.h): exact text only,
// claims kept without the signature, bounded in entries and token length.

#include <gtest/gtest.h>

#include <string>

#include "auth/token_memo.h"

namespace edgefn::testing {
namespace {

using auth::jwt;
using auth::token_memo;

jwt parsed(const std::string& sub) {
  jwt t;
  t.alg = auth::jws_alg::hs256;
  t.signing_input = "header.payload-of-" + sub;
  t.signature = std::string(32, 's');
  t.sub = sub;
  t.exp = 1'900'000'000;
  return t;
}

TEST(token_memo_test, finds_exactly_the_text_it_was_told_and_keeps_the_claims_only) {
  token_memo m(4);
  EXPECT_EQ(m.find("a.b.c"), nullptr);
  m.remember("a.b.c", parsed("u1"));
  const jwt* t = m.find("a.b.c");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->sub, "u1");
  EXPECT_EQ(t->exp, 1'900'000'000);
  EXPECT_TRUE(t->signing_input.empty());
  EXPECT_TRUE(t->signature.empty());
  EXPECT_EQ(m.find("a.b.c "), nullptr);
  EXPECT_EQ(m.find("a.b."), nullptr);
  EXPECT_EQ(m.find("A.b.c"), nullptr);
}

TEST(token_memo_test, is_bounded_and_drops_the_least_recently_used) {
  token_memo m(2);
  m.remember("t1", parsed("u1"));
  m.remember("t2", parsed("u2"));
  ASSERT_NE(m.find("t1"), nullptr);  // t2 is now the least recently used
  m.remember("t3", parsed("u3"));
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.find("t2"), nullptr);
  ASSERT_NE(m.find("t1"), nullptr);
  ASSERT_NE(m.find("t3"), nullptr);
  EXPECT_EQ(m.find("t3")->sub, "u3");
}

TEST(token_memo_test, remembering_twice_keeps_one_entry_and_the_first_claims) {
  token_memo m(4);
  m.remember("t1", parsed("u1"));
  m.remember("t1", parsed("other"));
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.find("t1")->sub, "u1");
}

TEST(token_memo_test, a_token_over_the_limit_or_a_zero_capacity_remembers_nothing) {
  token_memo m(4);
  const std::string longest(token_memo::k_max_token_bytes, 'x');
  m.remember(longest + "x", parsed("u1"));
  EXPECT_EQ(m.size(), 0u);
  m.remember(longest, parsed("u1"));
  EXPECT_NE(m.find(longest), nullptr);
  token_memo none(0);
  none.remember("t1", parsed("u1"));
  EXPECT_EQ(none.find("t1"), nullptr);
}

}  // namespace
}  // namespace edgefn::testing
