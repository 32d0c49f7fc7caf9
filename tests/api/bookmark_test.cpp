#include "api/bookmark.h"

#include <gtest/gtest.h>

namespace edgefn::api {
namespace {

TEST(bookmark_test, parses_a_position_with_or_without_its_transaction_id) {
  auto full = parse_bookmark("16/B374D848:729");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->lsn, 0x16B374D848u);
  EXPECT_EQ(full->xid, 729u);
  auto bare = parse_bookmark("16/B374D848");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->lsn, 0x16B374D848u);
  EXPECT_EQ(bare->xid, 0u);
  EXPECT_EQ(format_bookmark(*full), "16/B374D848:729");
  EXPECT_EQ(format_bookmark(*bare), "16/B374D848");
  EXPECT_EQ(parse_bookmark(format_bookmark({0xFFFFFFFFFFFFFFFFu, std::uint64_t(1) << 63}))->xid, std::uint64_t(1) << 63);
}

TEST(bookmark_test, refuses_anything_else) {
  for (const char* bad : {"", "16/B374D848:", "16/B374D848:0", "16/B374D848:-1", "16/B374D848:+5", "16/B374D848:1x",
                          "16/B374D848:9223372036854775809", "16/B374D848:99999999999999999999", "x:5", ":5",
                          "16/B374D848:5:6", "16/B374D848 :5"})
    EXPECT_FALSE(parse_bookmark(bad)) << bad;
}

}  // namespace
}  // namespace edgefn::api
