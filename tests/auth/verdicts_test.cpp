// The core's memo of positive signature verdicts (auth/verdicts.h): what it remembers, how it
// is bounded, and that distinct checks never share an entry.

#include <gtest/gtest.h>

#include <string>

#include "auth/verdicts.h"

namespace edgefn::testing {
namespace {

using auth::verdict_memo;

verdict_memo::digest entry(int i) {
  return verdict_memo::key_of("ES256", "{\"kty\":\"EC\"}", "h.p" + std::to_string(i), "sig");
}

TEST(verdicts_test, remembers_what_it_was_told_verified) {
  verdict_memo m(4);
  EXPECT_FALSE(m.verified(entry(1)));
  m.remember(entry(1));
  EXPECT_TRUE(m.verified(entry(1)));
  EXPECT_FALSE(m.verified(entry(2)));
}

TEST(verdicts_test, every_field_is_part_of_the_entry) {
  const auto base = verdict_memo::key_of("ES256", "k", "h.p", "s");
  EXPECT_NE(base, verdict_memo::key_of("RS256", "k", "h.p", "s"));
  EXPECT_NE(base, verdict_memo::key_of("ES256", "k2", "h.p", "s"));
  EXPECT_NE(base, verdict_memo::key_of("ES256", "k", "h.q", "s"));
  EXPECT_NE(base, verdict_memo::key_of("ES256", "k", "h.p", "t"));
  // Moving bytes between fields changes the entry (each field is length-prefixed).
  EXPECT_NE(verdict_memo::key_of("HS256", "", "ab", "c"), verdict_memo::key_of("HS256", "", "a", "bc"));
  EXPECT_NE(verdict_memo::key_of("HS256", "a", "b", ""), verdict_memo::key_of("HS256", "", "ab", ""));
}

TEST(verdicts_test, is_bounded_and_drops_the_least_recently_used) {
  verdict_memo m(3);
  for (int i = 0; i < 3; ++i) m.remember(entry(i));
  EXPECT_TRUE(m.verified(entry(0)));  // 0 is now the most recently used; 1 the least
  m.remember(entry(3));
  EXPECT_EQ(m.size(), 3u);
  EXPECT_FALSE(m.verified(entry(1)));
  EXPECT_TRUE(m.verified(entry(0)));
  EXPECT_TRUE(m.verified(entry(2)));
  EXPECT_TRUE(m.verified(entry(3)));
  for (int i = 10; i < 1000; ++i) m.remember(entry(i));
  EXPECT_EQ(m.size(), 3u);
}

TEST(verdicts_test, remembering_twice_keeps_one_entry) {
  verdict_memo m(3);
  m.remember(entry(1));
  m.remember(entry(1));
  EXPECT_EQ(m.size(), 1u);
}

TEST(verdicts_test, zero_capacity_remembers_nothing) {
  verdict_memo m(0);
  m.remember(entry(1));
  EXPECT_FALSE(m.verified(entry(1)));
  EXPECT_EQ(m.size(), 0u);
}

}  // namespace
}  // namespace edgefn::testing
