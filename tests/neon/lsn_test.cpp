#include <gtest/gtest.h>

#include "neon/lsn.h"

namespace edgefn::neon {
namespace {

TEST(lsn_test, parses_and_prints_postgres_text_form) {
  EXPECT_EQ(parse_lsn("16/B374D848"), 0x16B374D848u);
  EXPECT_EQ(parse_lsn("0/0"), 0u);
  EXPECT_EQ(parse_lsn("ffffffff/ffffffff"), ~std::uint64_t(0));
  EXPECT_EQ(format_lsn(0x16B374D848u), "16/B374D848");
  EXPECT_EQ(format_lsn(0), "0/0");
  EXPECT_EQ(format_lsn(std::uint64_t(1) << 32), "1/0");
  for (std::uint64_t v : {std::uint64_t(1), std::uint64_t(0xABCDEF0123456789), ~std::uint64_t(0)})
    EXPECT_EQ(parse_lsn(format_lsn(v)), v);
}

TEST(lsn_test, refuses_anything_else) {
  for (const char* bad : {"", "/", "1/", "/1", "1", "1/2/3", "123456789/0", "0/123456789", "g/1", " 1/2", "1/2 ", "-1/2", "+1/2"})
    EXPECT_EQ(parse_lsn(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace edgefn::neon
