#include "base/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using edgefn::json::append_string;
using edgefn::json::js_number_to_string;

namespace {
std::string quoted(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}
}  // namespace

TEST(json_writer, escapes_quotes_backslashes_and_controls) {
  EXPECT_EQ(quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(quoted(std::string_view("\n\t\x01\x1f", 4)), R"("\n\t\u0001\u001f")");
  EXPECT_EQ(quoted(std::string_view("nul\0x", 5)), R"("nul\u0000x")");
}

TEST(json_writer, escapes_every_byte_at_every_position_of_a_long_string) {
  // Long plain runs take the 8-bytes-at-a-time path: each special byte, at each offset of a
  // 24-byte string, must still be escaped exactly as on its own.
  for (int b = 0; b < 0x80; ++b) {
    const std::string alone = ::quoted(std::string(1, static_cast<char>(b)));
    for (std::size_t at = 0; at < 24; ++at) {
      std::string s(24, 'a');
      s[at] = static_cast<char>(b);
      const std::string want = "\"" + std::string(at, 'a') + alone.substr(1, alone.size() - 2) + std::string(23 - at, 'a') + "\"";
      ASSERT_EQ(::quoted(s), want) << "byte " << b << " at " << at;
    }
  }
  EXPECT_EQ(quoted("aaaaaaaa\xC3\xA9" "aaaaaaaa\xFF"), "\"aaaaaaaa\xC3\xA9" "aaaaaaaa\xEF\xBF\xBD\"");
}

TEST(json_writer, keeps_valid_utf8_and_replaces_invalid_bytes) {
  EXPECT_EQ(quoted("h\xC3\xA9 \xF0\x9F\x98\x80"), "\"h\xC3\xA9 \xF0\x9F\x98\x80\"");
  EXPECT_EQ(quoted("a\xFF" "b"), "\"a\xEF\xBF\xBD" "b\"");
  EXPECT_EQ(quoted("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_FALSE(edgefn::json::is_valid_utf8("\xC0\xAF"));  // overlong '/'
  EXPECT_TRUE(edgefn::json::is_valid_utf8("\xF4\x8F\xBF\xBF"));
}

TEST(json_writer, formats_numbers_like_javascript_string) {
  EXPECT_EQ(js_number_to_string(0.1), "0.1");
  EXPECT_EQ(js_number_to_string(1.0), "1");
  EXPECT_EQ(js_number_to_string(-0.0), "0");
  EXPECT_EQ(js_number_to_string(1e21), "1e+21");
  EXPECT_EQ(js_number_to_string(1e20), "100000000000000000000");
  EXPECT_EQ(js_number_to_string(1.5e-7), "1.5e-7");
  EXPECT_EQ(js_number_to_string(0.000001), "0.000001");
  EXPECT_EQ(js_number_to_string(123.456), "123.456");
  EXPECT_EQ(js_number_to_string(-2.5e300), "-2.5e+300");
  EXPECT_EQ(js_number_to_string(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(js_number_to_string(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(js_number_to_string(5e-324), "5e-324");
  EXPECT_EQ(js_number_to_string(9007199254740993.0), "9007199254740992");
}

TEST(json_writer, writes_integers_in_decimal_up_to_the_64_bit_limits) {
  using edgefn::json::decimal;
  using edgefn::json::unsigned_decimal;
  EXPECT_EQ(decimal(0), "0");
  EXPECT_EQ(decimal(-1), "-1");
  EXPECT_EQ(decimal(1234567890), "1234567890");
  EXPECT_EQ(decimal(std::numeric_limits<std::int64_t>::max()), "9223372036854775807");
  EXPECT_EQ(decimal(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(unsigned_decimal(0), "0");
  EXPECT_EQ(unsigned_decimal(std::numeric_limits<std::uint64_t>::max()), "18446744073709551615");
  std::string out = "n=";
  edgefn::json::append_int(out, -42);
  EXPECT_EQ(out, "n=-42");
}

TEST(json_writer, writer_places_commas_between_members) {
  std::string out;
  edgefn::json::writer w(out);
  w.begin_object().key("a").integer(1).key("b").begin_array().null().boolean(true).string("x")
      .end_array().key("c").number(2.5).end_object();
  EXPECT_EQ(out, R"({"a":1,"b":[null,true,"x"],"c":2.5})");
}
