#include "neon/values.h"

#include <gtest/gtest.h>

#include <cmath>

#include "neon/cell_traits.h"

namespace neon = edgefn::neon;

namespace {
constexpr std::int64_t k_sec = 1'000'000;
constexpr std::int64_t k_day = 86'400 * k_sec;
}  // namespace

TEST(unit, integers_parse_with_range_checks) {
  EXPECT_EQ(neon::parse_int2("-32768").value(), -32768);
  EXPECT_EQ(neon::parse_int2("32768").error().kind, neon::error_kind::out_of_range);
  EXPECT_EQ(neon::parse_int4("2147483647").value(), 2147483647);
  EXPECT_EQ(neon::parse_int8("-9223372036854775808").value(), INT64_MIN);
  EXPECT_EQ(neon::parse_int8("9223372036854775808").error().kind, neon::error_kind::out_of_range);
  for (const char* bad : {"", "1.0", " 1", "1x", "+1", "--1"})
    EXPECT_EQ(neon::parse_int4(bad).error().kind, neon::error_kind::invalid_value) << bad;
}

TEST(unit, floats_parse_including_nan_and_infinity) {
  EXPECT_EQ(neon::parse_float8("1.5").value(), 1.5);
  EXPECT_EQ(neon::parse_float8("-1.2345678901234567e+300").value(), -1.2345678901234567e+300);
  EXPECT_TRUE(std::isnan(neon::parse_float8("NaN").value()));
  EXPECT_EQ(neon::parse_float8("Infinity").value(), HUGE_VAL);
  EXPECT_EQ(neon::parse_float8("-Infinity").value(), -HUGE_VAL);
  EXPECT_EQ(neon::parse_float4("0.1").value(), 0.1f);
  EXPECT_TRUE(std::isinf(neon::parse_float4("-Infinity").value()));
  for (const char* bad : {"", "abc", "1.5x", "0x1p3", "nan", "1,5"})
    EXPECT_FALSE(neon::parse_float8(bad)) << bad;
}

TEST(unit, numeric_stays_exact_text) {
  const std::string forty = "1234567890123456789012345678901234567890.0000000001";
  EXPECT_EQ(neon::parse_numeric(forty).value().text, forty);
  EXPECT_EQ(neon::parse_numeric("-0.50").value().text, "-0.50");
  EXPECT_EQ(neon::parse_numeric("NaN").value().text, "NaN");
  EXPECT_EQ(neon::parse_numeric("-Infinity").value().text, "-Infinity");
  for (const char* bad : {"", "-", "1.", ".5", "1e5", "12a"}) EXPECT_FALSE(neon::parse_numeric(bad)) << bad;
}

TEST(unit, bool_is_t_or_f_only) {
  EXPECT_TRUE(neon::parse_bool("t").value());
  EXPECT_FALSE(neon::parse_bool("f").value());
  EXPECT_FALSE(neon::parse_bool("true"));
  EXPECT_FALSE(neon::parse_bool(""));
}

TEST(unit, uuid_is_validated_and_round_trips) {
  auto u = neon::parse_uuid("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->bytes[0], 0xa0);
  EXPECT_EQ(u->bytes[15], 0x11);
  EXPECT_EQ(u->to_string(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  for (const char* bad : {"", "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g",
                          "a0eebc99-9c0b-4ef8-bb6d_6bb9bd380a11"})
    EXPECT_FALSE(neon::parse_uuid(bad)) << bad;
}

TEST(unit, bytea_decodes_hex_and_escape_formats) {
  EXPECT_EQ(neon::parse_bytea("\\x0001ff").value(), (neon::bytes{0, 1, 255}));
  EXPECT_EQ(neon::parse_bytea("\\x").value(), neon::bytes{});
  EXPECT_EQ(neon::parse_bytea("a\\\\b\\001").value(), (neon::bytes{'a', '\\', 'b', 1}));
  EXPECT_FALSE(neon::parse_bytea("\\x0"));
  EXPECT_FALSE(neon::parse_bytea("\\xzz"));
  EXPECT_FALSE(neon::parse_bytea("\\9"));
}

TEST(unit, dates_parse_including_bc_and_infinity) {
  EXPECT_EQ(neon::parse_date("1970-01-01").value().days, 0);
  EXPECT_EQ(neon::parse_date("2000-03-01").value().days, 11017);
  EXPECT_EQ(neon::parse_date("2024-02-29").value(), neon::date::from_ymd(2024, 2, 29));
  EXPECT_EQ(neon::parse_date("0001-12-31 BC").value(), neon::date::from_ymd(0, 12, 31));
  EXPECT_EQ(neon::parse_date("0044-03-15 BC").value(), neon::date::from_ymd(-43, 3, 15));
  EXPECT_EQ(neon::parse_date("10000-01-01").value(), neon::date::from_ymd(10000, 1, 1));
  EXPECT_EQ(neon::parse_date("infinity").value(), neon::date::infinity());
  EXPECT_EQ(neon::parse_date("-infinity").value(), neon::date::minus_infinity());
  EXPECT_FALSE(neon::parse_date("infinity").value().is_finite());
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-1-01", "0000-01-01", "2024-01-01 AD", ""})
    EXPECT_FALSE(neon::parse_date(bad)) << bad;
}

TEST(unit, times_parse_with_fractions) {
  EXPECT_EQ(neon::parse_time("04:05:06").value().micros, (4 * 3600 + 5 * 60 + 6) * k_sec);
  EXPECT_EQ(neon::parse_time("04:05:06.789").value().micros, (4 * 3600 + 5 * 60 + 6) * k_sec + 789000);
  EXPECT_EQ(neon::parse_time("00:00:00.000001").value().micros, 1);
  EXPECT_EQ(neon::parse_time("24:00:00").value().micros, k_day);
  for (const char* bad : {"24:00:01", "4:05:06", "04:60:00", "04:05:06.1234567", "04:05"})
    EXPECT_FALSE(neon::parse_time(bad)) << bad;
}

TEST(unit, timestamps_without_zone_are_wall_clock_micros) {
  EXPECT_EQ(neon::parse_timestamp("1970-01-01 00:00:00").value().micros, 0);
  EXPECT_EQ(neon::parse_timestamp("2024-01-02 04:05:06.789").value().micros,
            std::int64_t{neon::date::from_ymd(2024, 1, 2).days} * k_day +
                (4 * 3600 + 5 * 60 + 6) * k_sec + 789000);
  EXPECT_EQ(neon::parse_timestamp("0044-03-15 12:00:00 BC").value().micros,
            std::int64_t{neon::date::from_ymd(-43, 3, 15).days} * k_day + 12 * 3600 * k_sec);
  EXPECT_EQ(neon::parse_timestamp("infinity").value(), neon::timestamp::infinity());
  EXPECT_EQ(neon::parse_timestamp("-infinity").value(), neon::timestamp::minus_infinity());
  EXPECT_FALSE(neon::parse_timestamp("2024-01-02 04:05:06+00"));
  EXPECT_FALSE(neon::parse_timestamp("2024-01-02"));
}

TEST(unit, timestamptz_is_normalized_to_utc) {
  const std::int64_t base = std::int64_t{neon::date::from_ymd(2024, 1, 2).days} * k_day;
  EXPECT_EQ(neon::parse_timestamptz("2024-01-02 04:05:06+00").value().micros,
            base + (4 * 3600 + 5 * 60 + 6) * k_sec);
  EXPECT_EQ(neon::parse_timestamptz("2024-01-02 05:30:00+05:30").value().micros, base);
  EXPECT_EQ(neon::parse_timestamptz("2024-01-01 20:00:00-04").value().micros, base);
  EXPECT_EQ(neon::parse_timestamptz("2024-01-02 00:53:28+00:53:28").value().micros, base);
  EXPECT_EQ(neon::parse_timestamptz("2024-01-02 00:00:00.5+00").value().micros, base + 500000);
  EXPECT_EQ(neon::parse_timestamptz("0001-01-01 00:00:00+00 BC").value().micros,
            std::int64_t{neon::date::from_ymd(0, 1, 1).days} * k_day);
  EXPECT_EQ(neon::parse_timestamptz("infinity").value(), neon::timestamptz::infinity());
  EXPECT_EQ(neon::parse_timestamptz("-infinity").value(), neon::timestamptz::minus_infinity());
  EXPECT_FALSE(neon::parse_timestamptz("2024-01-02 04:05:06"));
  EXPECT_FALSE(neon::parse_timestamptz("2024-01-02 04:05:06+5"));
  EXPECT_FALSE(neon::parse_timestamptz("2024-01-02 04:05:06Z"));
}

TEST(unit, timestamps_far_out_of_range_are_errors_not_ub) {
  auto r = neon::parse_timestamp("999999999-01-01 00:00:00");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, neon::error_kind::out_of_range);
}

TEST(unit, intervals_parse_postgres_style) {
  EXPECT_EQ(neon::parse_interval("1 year 2 mons 3 days 04:05:06.789").value(),
            (neon::interval{14, 3, (4 * 3600 + 5 * 60 + 6) * k_sec + 789000}));
  EXPECT_EQ(neon::parse_interval("-00:00:01").value(), (neon::interval{0, 0, -k_sec}));
  EXPECT_EQ(neon::parse_interval("00:00:00").value(), (neon::interval{}));
  EXPECT_EQ(neon::parse_interval("1 day").value(), (neon::interval{0, 1, 0}));
  EXPECT_EQ(neon::parse_interval("-1 years -2 mons +3 days -04:05:06").value(),
            (neon::interval{-14, 3, -(4 * 3600 + 5 * 60 + 6) * k_sec}));
  EXPECT_EQ(neon::parse_interval("3 mons").value(), (neon::interval{3, 0, 0}));
  EXPECT_EQ(neon::parse_interval("1000:00:00").value(), (neon::interval{0, 0, 1000 * 3600 * k_sec}));
  EXPECT_EQ(neon::parse_interval("-178000000 years").value(), (neon::interval{-2136000000, 0, 0}));
  for (const char* bad : {"", "1 fortnight", "1year", "00:00", "1 day 00:00:00 extra", "200000000 years"})
    EXPECT_FALSE(neon::parse_interval(bad)) << bad;
}

TEST(unit, intervals_parse_iso_8601_style) {
  EXPECT_EQ(neon::parse_interval("P1Y2M3DT4H5M6.789S").value(),
            (neon::interval{14, 3, (4 * 3600 + 5 * 60 + 6) * k_sec + 789000}));
  EXPECT_EQ(neon::parse_interval("PT0S").value(), (neon::interval{}));
  EXPECT_EQ(neon::parse_interval("PT-1S").value(), (neon::interval{0, 0, -k_sec}));
}

TEST(unit, array_element_oids_cover_the_common_array_types) {
  const std::pair<std::uint32_t, std::uint32_t> map[] = {
      {1005, 21}, {1007, 23}, {1016, 20}, {1021, 700}, {1022, 701}, {1231, 1700}, {1000, 16},
      {1009, 25}, {1015, 1043}, {1014, 1042}, {2951, 2950}, {1182, 1082}, {1183, 1083},
      {1115, 1114}, {1185, 1184}, {1187, 1186}, {199, 114}, {3807, 3802}, {1001, 17}};
  for (const auto& [arr, elem] : map) EXPECT_EQ(neon::array_element_oid(arr), elem) << arr;
  EXPECT_EQ(neon::array_element_oid(23), 0u);
}

TEST(unit, cell_traits_accept_only_matching_oids) {
  EXPECT_TRUE(neon::cell_traits<std::int64_t>::accepts(neon::oid::int4));
  EXPECT_FALSE(neon::cell_traits<std::int32_t>::accepts(neon::oid::int8));
  EXPECT_FALSE(neon::cell_traits<std::string_view>::accepts(neon::oid::int4));
  EXPECT_TRUE(neon::cell_traits<neon::array<std::int32_t>>::accepts(1007));
  EXPECT_FALSE(neon::cell_traits<neon::array<std::int32_t>>::accepts(1016));
  EXPECT_FALSE(neon::cell_traits<neon::array<std::int32_t>>::accepts(23));
}

TEST(unit, formatted_values_parse_back_exactly) {
  for (const char* d : {"1970-01-01", "2024-02-29", "0044-03-15 BC", "0001-12-31 BC", "10000-01-01",
                        "infinity", "-infinity"})
    EXPECT_EQ(neon::to_postgres_text(neon::parse_date(d).value()), d);
  for (const char* t : {"00:00:00", "04:05:06.789", "23:59:59.999999", "24:00:00"})
    EXPECT_EQ(neon::to_postgres_text(neon::parse_time(t).value()), t);
  for (const char* ts : {"1970-01-01 00:00:00", "1969-12-31 23:59:59.5", "2024-01-02 04:05:06.000789",
                         "0044-03-15 12:00:00 BC", "infinity", "-infinity"})
    EXPECT_EQ(neon::to_postgres_text(neon::parse_timestamp(ts).value()), ts);
  EXPECT_EQ(neon::to_postgres_text(neon::parse_timestamptz("2024-01-02 05:30:00+05:30").value()),
            "2024-01-02 00:00:00+00");
  EXPECT_EQ(neon::to_postgres_text(neon::parse_timestamptz("0001-01-01 00:00:00+00 BC").value()),
            "0001-01-01 00:00:00+00 BC");
  EXPECT_EQ(neon::to_postgres_text(neon::interval{14, 3, 14706789000}), "P14M3DT14706.789S");
  EXPECT_EQ(neon::to_postgres_text(neon::interval{}), "PT0S");
  EXPECT_EQ(neon::to_postgres_text(neon::interval{-1, 0, -1500000}), "P-1MT-1.5S");
  for (const neon::interval iv : {neon::interval{14, 3, 14706789000}, neon::interval{-1, 2, -1500000},
                                  neon::interval{0, 0, 1}})
    EXPECT_EQ(neon::parse_interval(neon::to_postgres_text(iv)).value(), iv);
}
