#include "base/text.h"

#include <gtest/gtest.h>

#include <cstdint>

using edgefn::text::decimal_error;
using edgefn::text::parse_decimal;
using edgefn::text::parse_signed_decimal;

TEST(text_test, parse_decimal_reads_digits_up_to_the_maximum) {
  EXPECT_EQ(parse_decimal("0").value(), 0u);
  EXPECT_EQ(parse_decimal("007").value(), 7u);
  EXPECT_EQ(parse_decimal("18446744073709551615").value(), UINT64_MAX);
  EXPECT_EQ(parse_decimal("2147483647", 2147483647).value(), 2147483647u);
  EXPECT_EQ(parse_decimal("5", 5).value(), 5u);
}

TEST(text_test, parse_decimal_refuses_signs_spaces_and_empty_text_as_invalid) {
  for (const char* s : {"", "-1", "+1", " 1", "1 ", "1.0", "1e3", "x", "12a"})
    EXPECT_EQ(parse_decimal(s).error(), decimal_error::invalid) << s;
}

TEST(text_test, parse_decimal_reports_a_digit_run_above_the_maximum_as_out_of_range) {
  EXPECT_EQ(parse_decimal("18446744073709551616").error(), decimal_error::out_of_range);
  EXPECT_EQ(parse_decimal("99999999999999999999999").error(), decimal_error::out_of_range);
  EXPECT_EQ(parse_decimal("2147483648", 2147483647).error(), decimal_error::out_of_range);
  EXPECT_EQ(parse_decimal("6", 5).error(), decimal_error::out_of_range);
  EXPECT_EQ(parse_decimal("3", 0).error(), decimal_error::out_of_range);
  // As std::from_chars: the digit run decides out_of_range before the text after it is looked at.
  EXPECT_EQ(parse_decimal("2147483648x", 2147483647).error(), decimal_error::out_of_range);
}

TEST(text_test, parse_signed_decimal_reads_down_to_minus_max_minus_one) {
  EXPECT_EQ(parse_signed_decimal("0").value(), 0);
  EXPECT_EQ(parse_signed_decimal("-0").value(), 0);
  EXPECT_EQ(parse_signed_decimal("-42").value(), -42);
  EXPECT_EQ(parse_signed_decimal("9223372036854775807").value(), INT64_MAX);
  EXPECT_EQ(parse_signed_decimal("-9223372036854775808").value(), INT64_MIN);
  EXPECT_EQ(parse_signed_decimal("-32768", 32767).value(), -32768);
  EXPECT_EQ(parse_signed_decimal("32767", 32767).value(), 32767);
}

TEST(text_test, parse_signed_decimal_refuses_what_is_out_of_the_type_or_not_a_number) {
  EXPECT_EQ(parse_signed_decimal("9223372036854775808").error(), decimal_error::out_of_range);
  EXPECT_EQ(parse_signed_decimal("-9223372036854775809").error(), decimal_error::out_of_range);
  EXPECT_EQ(parse_signed_decimal("32768", 32767).error(), decimal_error::out_of_range);
  EXPECT_EQ(parse_signed_decimal("-32769", 32767).error(), decimal_error::out_of_range);
  for (const char* s : {"", "-", "+1", "--1", "- 1", "1-", "0x10"})
    EXPECT_EQ(parse_signed_decimal(s).error(), decimal_error::invalid) << s;
}
