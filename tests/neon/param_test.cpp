#include "neon/param.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace neon = edgefn::neon;

namespace {
std::string wire(std::initializer_list<neon::param> ps) {
  std::string out;
  neon::append_params_json(out, std::span<const neon::param>(ps.begin(), ps.size()));
  return out;
}
}  // namespace

TEST(unit, params_null_bool_and_integers_encode_as_the_driver) {
  EXPECT_EQ(wire({nullptr, std::nullopt, neon::param()}), "[null,null,null]");
  EXPECT_EQ(wire({true, false}), R"(["true","false"])");
  EXPECT_EQ(wire({0, -1, std::int64_t{9007199254740993}, std::numeric_limits<std::int64_t>::min()}),
            R"(["0","-1","9007199254740993","-9223372036854775808"])");
  EXPECT_EQ(wire({std::uint64_t{18446744073709551615ull}, std::uint8_t{7}}),
            R"(["18446744073709551615","7"])");
  EXPECT_EQ(wire({std::optional<int>(), std::optional<int>(5)}), R"([null,"5"])");
}

TEST(unit, params_doubles_use_javascript_string) {
  EXPECT_EQ(wire({0.1, 1.0, -0.0, 1e21, 1.5e-7, 123456789012.5}),
            R"(["0.1","1","0","1e+21","1.5e-7","123456789012.5"])");
  EXPECT_EQ(wire({std::nan(""), HUGE_VAL, -HUGE_VAL}), R"(["NaN","Infinity","-Infinity"])");
}

TEST(unit, params_strings_keep_unicode_and_escape_json) {
  EXPECT_EQ(wire({"", "héllo 😀", "tab\there", std::string("nul\0x", 5)}),
            "[\"\",\"héllo 😀\",\"tab\\there\",\"nul\\u0000x\"]");
}

TEST(unit, params_bytes_are_lowercase_hex) {
  const std::uint8_t raw[] = {0, 1, 255, 0xab};
  EXPECT_EQ(wire({neon::param::bytes(std::span<const std::uint8_t>(raw)), neon::param::bytes("")}),
            R"(["\\x0001ffab","\\x"])");
}

TEST(unit, params_json_is_sent_as_its_text) {
  EXPECT_EQ(wire({neon::param::json(R"({"k":1})")}), R"(["{\"k\":1}"])");
}

// Spec 50 analogue.
TEST(unit, params_arrays_quote_every_element) {
  EXPECT_EQ(neon::param::array({1, "x\"y", nullptr, neon::param::array({2, 3})}).text(),
            R"({"1","x\"y",NULL,{"2","3"}})");
  EXPECT_EQ(neon::param::array({}).text(), "{}");
  EXPECT_EQ(wire({neon::param::array({1, nullptr, neon::param::array({2})})}),
            R"(["{\"1\",NULL,{\"2\"}}"])");
  EXPECT_EQ(neon::param::array({"back\\slash", true, 1.5}).text(), R"({"back\\slash","true","1.5"})");
  EXPECT_EQ(neon::param::array({neon::param::json(R"({"a":"b"})")}).text(), R"({"{\"a\":\"b\"}"})");
}

TEST(unit, params_byte_elements_in_arrays_are_escaped_hex_like_node_postgres) {
  EXPECT_EQ(neon::param::array({neon::param::bytes("AB")}).text(), R"({\\x4142})");
}

TEST(unit, params_array_of_converts_any_range) {
  const std::vector<std::optional<std::string>> v{"a", std::nullopt};
  EXPECT_EQ(neon::param::array_of(v).text(), R"({"a",NULL})");
  const std::vector<double> d{1.25, -2};
  EXPECT_EQ(neon::param::array_of(d).text(), R"({"1.25","-2"})");
}

TEST(unit, params_null_is_distinct_from_empty_string) {
  EXPECT_NE(neon::param(nullptr), neon::param(""));
  EXPECT_TRUE(neon::param(nullptr).is_null());
  EXPECT_FALSE(neon::param("").is_null());
}

TEST(unit, params_from_value_types_use_postgres_input_text) {
  EXPECT_EQ(wire({neon::date::from_ymd(2024, 1, 2), neon::time_of_day{1500000},
                  neon::timestamp{0}, neon::timestamptz{-1}, neon::interval{1, 2, 3000000}}),
            R"(["2024-01-02","00:00:01.5","1970-01-01 00:00:00","1969-12-31 23:59:59.999999+00","P1M2DT3S"])");
  EXPECT_EQ(wire({neon::parse_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").value(),
                  neon::numeric{"123456789012345678901234567890.5"}, neon::json_text{"[1]"},
                  neon::bytes{1, 2}, std::optional<neon::timestamptz>()}),
            R"(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","123456789012345678901234567890.5","[1]","\\x0102",null])");
  EXPECT_EQ(neon::param::array({neon::date::infinity(), nullptr}).text(), R"({"infinity",NULL})");
}
