#include "base/json_number.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string_view>

namespace edgefn::json {
namespace {

std::int64_t integer_of(std::string_view token) {
  auto n = read_integer(token);
  EXPECT_TRUE(n) << token;
  EXPECT_FALSE(n && n->had_fraction) << token;
  return n ? n->value : -1;
}

TEST(json_number_test, integers_are_read_exactly_whatever_their_notation) {
  EXPECT_EQ(integer_of("0"), 0);
  EXPECT_EQ(integer_of("-0"), 0);
  EXPECT_EQ(integer_of("42 \n"), 42);
  EXPECT_EQ(integer_of("-17"), -17);
  EXPECT_EQ(integer_of("1.5e1"), 15);
  EXPECT_EQ(integer_of("1500e-2"), 15);
  EXPECT_EQ(integer_of("0.0e5"), 0);
  EXPECT_EQ(integer_of("1.9E9"), 1'900'000'000);
  EXPECT_EQ(integer_of("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(integer_of("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(integer_of("0.00000000000000000000000000000000000000000000001e47"), 1);
}

TEST(json_number_test, a_fraction_is_truncated_toward_zero_and_reported) {
  auto n = read_integer("1.5");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->value, 1);
  EXPECT_TRUE(n->had_fraction);
  n = read_integer("-2.75e1");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->value, -27);
  EXPECT_TRUE(n->had_fraction);
  n = read_integer("1.00000000000000001");  // a double would round it to 1
  ASSERT_TRUE(n);
  EXPECT_EQ(n->value, 1);
  EXPECT_TRUE(n->had_fraction);
  n = read_integer("5e-1000000000000000000000");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->value, 0);
  EXPECT_TRUE(n->had_fraction);
}

TEST(json_number_test, integer_parts_beyond_int64_are_out_of_range) {
  for (std::string_view t : {"9223372036854775808", "-9223372036854775809", "1e19", "12345678901234567890123",
                             "1e1000000000000000000000", "-1.5e300"}) {
    auto n = read_integer(t);
    ASSERT_FALSE(n) << t;
    EXPECT_EQ(n.error(), number_error::out_of_range) << t;
  }
}

TEST(json_number_test, text_outside_json_number_grammar_is_malformed) {
  for (std::string_view t : {"", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "1x", "0x10", "1.5.2", "NaN",
                             "Infinity", " 1", "1 2", "--1", "1ee2"}) {
    auto i = read_integer(t);
    ASSERT_FALSE(i) << t;
    EXPECT_EQ(i.error(), number_error::malformed) << t;
    auto d = read_double(t);
    ASSERT_FALSE(d) << t;
    EXPECT_EQ(d.error(), number_error::malformed) << t;
  }
}

TEST(json_number_test, doubles_are_the_nearest_to_the_text) {
  EXPECT_EQ(*read_double("1.5"), 1.5);
  EXPECT_EQ(*read_double("-0.1 "), -0.1);
  EXPECT_EQ(*read_double("2"), 2.0);
  EXPECT_EQ(*read_double("1e-400"), 0.0);
  EXPECT_EQ(*read_double("1.7976931348623157e308"), std::numeric_limits<double>::max());
  EXPECT_EQ(*read_double("2.2250738585072011e-308"), 2.2250738585072011e-308);
  EXPECT_EQ(*read_double("9007199254740993"), 9007199254740992.0);  // ties to even
  auto big = read_double("1e400");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), number_error::out_of_range);
}

TEST(json_number_test, magnitudes_are_compared_on_the_digits) {
  EXPECT_TRUE(*magnitude_below("0", 0));
  EXPECT_TRUE(*magnitude_below("-0.000e500", -5));
  EXPECT_TRUE(*magnitude_below("9.99", 1));
  EXPECT_FALSE(*magnitude_below("10", 1));
  EXPECT_FALSE(*magnitude_below("-10.0", 1));
  EXPECT_TRUE(*magnitude_below("0.0999", -1));
  EXPECT_FALSE(*magnitude_below("0.1", -1));
  EXPECT_TRUE(*magnitude_below("1.7976931348623157e307 ", 308));
  EXPECT_FALSE(*magnitude_below("1e308", 308));
  EXPECT_FALSE(*magnitude_below("1000e305", 308));
  EXPECT_TRUE(*magnitude_below("0.001e311", 309));
  EXPECT_FALSE(*magnitude_below("1e99999999999999999999", 308));
  EXPECT_TRUE(*magnitude_below("1e-99999999999999999999", -308));
  EXPECT_EQ(magnitude_below("1e", 3).error(), number_error::malformed);
}

TEST(json_number_test, trailing_whitespace_is_trimmed) {
  EXPECT_EQ(trim_token("12 \t\r\n"), "12");
  EXPECT_EQ(trim_token("-1.5e3"), "-1.5e3");
  EXPECT_EQ(trim_token(""), "");
}

}  // namespace
}  // namespace edgefn::json
