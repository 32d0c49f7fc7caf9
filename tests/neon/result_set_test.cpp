#include "neon/result_set.h"

#include <gtest/gtest.h>

#include <cmath>

namespace neon = edgefn::neon;
namespace http = edgefn::http;

namespace {

http::response reply(int status, std::string_view body) {
  http::response r;
  r.status = status;
  r.body.append(body);
  return r;
}

std::string field_json(std::string_view name, int oid) {
  return std::string(R"({"name":")") + std::string(name) + R"(","dataTypeID":)" + std::to_string(oid) +
         R"(,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"})";
}

// One row, one column of type `oid` holding `cell_json` (a JSON string or null), shaped as §4.
neon::result_set one_cell(int oid, std::string_view cell_json) {
  const std::string body = "{\"fields\":[" + field_json("c", oid) + "],\"rows\":[[" +
                           std::string(cell_json) +
                           "]],\"command\":\"SELECT\",\"rowCount\":1,\"rowAsArray\":true}";
  auto rs = neon::decode_response(reply(200, body));
  EXPECT_TRUE(rs) << (rs ? "" : rs.error().message);
  return std::move(rs).value();
}

template <class T>
T read(int oid, std::string_view cell_json) {
  auto rs = one_cell(oid, cell_json);
  auto v = rs.get<T>(0, 0);
  EXPECT_TRUE(v) << (v ? "" : v.error().message);
  return std::move(v).value();
}

template <class T>
neon::error_kind read_error(int oid, std::string_view cell_json) {
  auto rs = one_cell(oid, cell_json);
  auto v = rs.get<T>(0, 0);
  EXPECT_FALSE(v);
  return v ? neon::error_kind::protocol : v.error().kind;
}

}  // namespace

// Spec checklist 2 (raw+array mode reply).
TEST(unit, decodes_fields_command_row_count_and_rows) {
  auto rs = neon::decode_response(reply(
      200,
      R"({"fields":[{"name":"x","dataTypeID":23,"tableID":0,"columnID":0,"dataTypeSize":4,"dataTypeModifier":-1,"format":"text"},)"
      R"({"name":"s","dataTypeID":25,"tableID":16384,"columnID":2,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"}],)"
      R"("rows":[["1","a"],["2",null],["3",""]],"command":"SELECT","rowCount":3,"rowAsArray":true})"));
  ASSERT_TRUE(rs) << rs.error().message;
  ASSERT_EQ(rs->fields().size(), 2u);
  const neon::field& f = rs->fields()[0];
  EXPECT_EQ(f.name, "x");
  EXPECT_EQ(f.type_oid, 23u);
  EXPECT_EQ(f.table_oid, 0u);
  EXPECT_EQ(f.type_size, 4);
  EXPECT_EQ(f.type_modifier, -1);
  EXPECT_EQ(f.format, "text");
  EXPECT_EQ(rs->fields()[1].table_oid, 16384u);
  EXPECT_EQ(rs->fields()[1].column_id, 2);
  EXPECT_EQ(rs->command(), "SELECT");
  EXPECT_EQ(rs->row_count(), 3);
  EXPECT_TRUE(rs->row_as_array());
  EXPECT_EQ(rs->rows(), 3u);
  EXPECT_EQ(rs->columns(), 2u);
  EXPECT_EQ(rs->column_index("s"), 1u);
  EXPECT_EQ(rs->column_index("nope"), std::nullopt);
  EXPECT_EQ(rs->get<std::int32_t>(2, 0).value(), 3);
  EXPECT_EQ(rs->text(0, 1), "a");
}

TEST(unit, null_is_distinct_from_empty_string) {
  auto rs = neon::decode_response(reply(
      200, "{\"fields\":[" + field_json("s", 25) +
               R"(],"rows":[[null],[""]],"command":"SELECT","rowCount":2,"rowAsArray":true})"));
  ASSERT_TRUE(rs);
  EXPECT_TRUE(rs->is_null(0, 0));
  EXPECT_FALSE(rs->is_null(1, 0));
  EXPECT_EQ(rs->get<std::string_view>(0, 0).error().kind, neon::error_kind::null_value);
  EXPECT_EQ(rs->get<std::string_view>(1, 0).value(), "");
  EXPECT_EQ(rs->get_optional<std::string_view>(0, 0).value(), std::nullopt);
  EXPECT_EQ(rs->get_optional<std::string_view>(1, 0).value(), std::optional<std::string_view>(""));
}

// Spec checklist 22, 24.
TEST(unit, decodes_statements_without_rows_and_null_row_count) {
  auto rs = neon::decode_response(
      reply(200, R"({"fields":[],"rows":[],"command":"CREATE","rowCount":null,"rowAsArray":true})"));
  ASSERT_TRUE(rs) << rs.error().message;
  EXPECT_EQ(rs->command(), "CREATE");
  EXPECT_EQ(rs->row_count(), std::nullopt);
  EXPECT_EQ(rs->rows(), 0u);
  auto empty = neon::decode_response(
      reply(200, R"({"fields":[],"rows":[],"command":"","rowCount":null,"rowAsArray":true})"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->command(), "");
}

TEST(unit, reads_every_scalar_type) {
  EXPECT_EQ(read<std::int16_t>(21, R"("-7")"), -7);
  EXPECT_EQ(read<std::int32_t>(23, R"("2147483647")"), 2147483647);
  EXPECT_EQ(read<std::int64_t>(20, R"("-9223372036854775808")"), INT64_MIN);
  EXPECT_EQ(read<std::int64_t>(23, R"("5")"), 5);  // lossless widening
  EXPECT_EQ(read<float>(700, R"("2.5")"), 2.5f);
  EXPECT_EQ(read<double>(701, R"("-Infinity")"), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(read<double>(701, R"("NaN")")));
  EXPECT_EQ(read<neon::numeric>(1700, R"("1234567890123456789012345678901234567890")").text,
            "1234567890123456789012345678901234567890");
  EXPECT_TRUE(read<bool>(16, R"("t")"));
  EXPECT_EQ(read<std::string>(1043, R"("varchar \"q\" é")"), "varchar \"q\" é");
  EXPECT_EQ(read<std::string>(1042, R"("pad  ")"), "pad  ");
  EXPECT_EQ(read<std::string>(19, R"("pg_class")"), "pg_class");
  EXPECT_EQ(read<neon::uuid>(2950, R"("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")").to_string(),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(read<neon::date>(1082, R"("1970-01-02")").days, 1);
  EXPECT_EQ(read<neon::time_of_day>(1083, R"("00:00:01")").micros, 1000000);
  EXPECT_EQ(read<neon::timestamp>(1114, R"("infinity")"), neon::timestamp::infinity());
  EXPECT_EQ(read<neon::timestamptz>(1184, R"("1970-01-01 01:00:00+01")").micros, 0);
  EXPECT_EQ(read<neon::interval>(1186, R"("1 mon -00:00:01")"), (neon::interval{1, 0, -1000000}));
  EXPECT_EQ(read<neon::json_text>(3802, R"("{\"k\": [1, 2]}")").text, R"({"k": [1, 2]})");
  EXPECT_EQ(read<neon::json_text>(114, R"("null")").text, "null");
  EXPECT_EQ(read<neon::bytes>(17, R"("\\x0001ff")"), (neon::bytes{0, 1, 255}));
}

TEST(unit, wrong_type_reads_are_errors) {
  EXPECT_EQ(read_error<std::int32_t>(20, R"("1")"), neon::error_kind::wrong_type);
  EXPECT_EQ(read_error<std::string_view>(23, R"("1")"), neon::error_kind::wrong_type);
  EXPECT_EQ(read_error<double>(1700, R"("1.5")"), neon::error_kind::wrong_type);
  EXPECT_EQ(read_error<neon::timestamp>(1184, R"("infinity")"), neon::error_kind::wrong_type);
  EXPECT_EQ(read_error<neon::array<std::int32_t>>(23, R"("1")"), neon::error_kind::wrong_type);
  EXPECT_EQ(read_error<std::int32_t>(23, "null"), neon::error_kind::null_value);
  EXPECT_EQ(read_error<std::int32_t>(23, R"("x")"), neon::error_kind::invalid_value);
  EXPECT_EQ(read_error<std::int16_t>(21, R"("99999")"), neon::error_kind::out_of_range);
  auto rs = one_cell(23, R"("1")");
  EXPECT_EQ(rs.get<std::int32_t>(1, 0).error().kind, neon::error_kind::out_of_range);
  EXPECT_EQ(rs.get<std::int32_t>(0, 1).error().kind, neon::error_kind::out_of_range);
  EXPECT_NE(rs.get<std::int64_t>(0, 0).value(), 0);
  const auto e = rs.get<std::string_view>(0, 0).error();
  EXPECT_NE(e.message.find("type OID 23"), std::string::npos) << e.message;
}

TEST(unit, optional_reads_give_nullopt_for_null_and_values_otherwise) {
  auto rs = one_cell(1184, "null");
  EXPECT_EQ(rs.get_optional<neon::timestamptz>(0, 0).value(), std::nullopt);
  EXPECT_EQ(rs.get_optional<std::int32_t>(0, 0).error().kind, neon::error_kind::wrong_type);
  auto v = one_cell(23, R"("4")").get_optional<std::int32_t>(0, 0);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, std::optional<std::int32_t>(4));
  EXPECT_EQ(one_cell(23, R"("z")").get_optional<std::int32_t>(0, 0).error().kind,
            neon::error_kind::invalid_value);
}

TEST(unit, reads_arrays_of_every_element_type) {
  const auto ints = read<neon::array<std::int32_t>>(1007, R"("{{1,2},{3,NULL}}")");
  EXPECT_EQ(ints.dims, (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(ints.elements, (std::vector<std::optional<std::int32_t>>{1, 2, 3, std::nullopt}));
  EXPECT_EQ(read<neon::array<std::int16_t>>(1005, R"("{1}")").elements[0], 1);
  EXPECT_EQ(read<neon::array<std::int64_t>>(1016, R"("{9223372036854775807}")").elements[0], INT64_MAX);
  EXPECT_EQ(read<neon::array<float>>(1021, R"("{1.5,NaN}")").elements[0], 1.5f);
  EXPECT_EQ(read<neon::array<double>>(1022, R"("{-Infinity}")").elements[0], -HUGE_VAL);
  EXPECT_EQ(read<neon::array<neon::numeric>>(1231, R"("{1.10,NaN}")").elements[0]->text, "1.10");
  EXPECT_EQ(read<neon::array<bool>>(1000, R"("{t,f,NULL}")").elements,
            (std::vector<std::optional<bool>>{true, false, std::nullopt}));
  EXPECT_EQ(read<neon::array<std::string>>(1009, R"("{a,\"NULL\",NULL,\"x \\\"y\\\"\",\"\"}")").elements,
            (std::vector<std::optional<std::string>>{"a", "NULL", std::nullopt, "x \"y\"", ""}));
  EXPECT_EQ(read<neon::array<std::string>>(1015, R"("{v}")").elements[0], "v");
  EXPECT_EQ(read<neon::array<std::string>>(1014, R"("{\"b  \"}")").elements[0], "b  ");
  EXPECT_EQ(read<neon::array<neon::uuid>>(2951, R"("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}")")
                .elements[0]->bytes[0], 0xa0);
  EXPECT_EQ(read<neon::array<neon::date>>(1182, R"("{1970-01-01,infinity}")").elements[1],
            neon::date::infinity());
  EXPECT_EQ(read<neon::array<neon::time_of_day>>(1183, R"("{00:00:01}")").elements[0]->micros, 1000000);
  EXPECT_EQ(read<neon::array<neon::timestamp>>(1115, R"("{\"1970-01-01 00:00:01\"}")").elements[0]->micros,
            1000000);
  EXPECT_EQ(read<neon::array<neon::timestamptz>>(1185, R"("{\"1970-01-01 00:00:00-01\",-infinity}")").elements,
            (std::vector<std::optional<neon::timestamptz>>{neon::timestamptz{3600000000},
                                                          neon::timestamptz::minus_infinity()}));
  EXPECT_EQ(read<neon::array<neon::interval>>(1187, R"("{\"1 day\",-00:00:01}")").elements[1],
            (neon::interval{0, 0, -1000000}));
  EXPECT_EQ(read<neon::array<neon::json_text>>(3807, R"("{\"{\\\"a\\\": 1}\"}")").elements[0]->text,
            R"({"a": 1})");
  EXPECT_EQ(read<neon::array<neon::json_text>>(199, R"("{1}")").elements[0]->text, "1");
  EXPECT_EQ(read<neon::array<neon::bytes>>(1001, R"("{\"\\\\x01ff\"}")").elements[0], (neon::bytes{1, 255}));
  EXPECT_TRUE(read<neon::array<std::int32_t>>(1007, R"("{}")").elements.empty());
  EXPECT_EQ(read<neon::array<std::int32_t>>(1007, R"("[0:1]={7,8}")").elements.size(), 2u);
}

TEST(unit, malformed_arrays_and_elements_are_errors) {
  EXPECT_EQ(read_error<neon::array<std::int32_t>>(1007, R"("{1,2")"), neon::error_kind::invalid_value);
  EXPECT_EQ(read_error<neon::array<std::int32_t>>(1007, R"("{1,x}")"), neon::error_kind::invalid_value);
}

TEST(unit, rejects_replies_that_are_not_raw_text_array_mode) {
  const std::string fields = "{\"fields\":[" + field_json("x", 23) + "],";
  auto objects = neon::decode_response(reply(200, fields + R"("rows":[{"x":"1"}],"command":"SELECT","rowCount":1,"rowAsArray":false})"));
  ASSERT_FALSE(objects);
  EXPECT_EQ(objects.error().kind, neon::error_kind::protocol);
  EXPECT_NE(objects.error().message.find("Neon-Array-Mode"), std::string::npos);
  auto numbers = neon::decode_response(reply(200, fields + R"("rows":[[1]],"command":"SELECT","rowCount":1,"rowAsArray":true})"));
  ASSERT_FALSE(numbers);
  EXPECT_NE(numbers.error().message.find("Neon-Raw-Text-Output"), std::string::npos);
  auto ragged = neon::decode_response(reply(200, fields + R"("rows":[["1","2"]],"command":"SELECT","rowCount":1,"rowAsArray":true})"));
  EXPECT_FALSE(ragged);
  EXPECT_FALSE(neon::decode_response(reply(200, "not json")));
  EXPECT_FALSE(neon::decode_response(reply(200, "")));
  EXPECT_FALSE(neon::decode_response(reply(200, R"({"fields":[]})")));
  EXPECT_FALSE(neon::decode_response(reply(200, fields + R"("rows":[["1")")));
}

// Spec checklist 25.
TEST(unit, malformed_json_errors_say_what_simdjson_found) {
  auto cut = neon::decode_response(reply(200, R"({"fields":[],"rows":[["1")"));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().kind, neon::error_kind::protocol);
  EXPECT_EQ(cut.error().message.rfind("malformed /sql response: ", 0), 0u) << cut.error().message;
  EXPECT_GT(cut.error().message.size(), std::string_view("malformed /sql response: ").size());
  auto typed = neon::decode_response(reply(200, R"({"fields":{},"rows":[]})"));
  ASSERT_FALSE(typed);
  EXPECT_EQ(typed.error().message, "malformed /sql response: a value of an unexpected type");
}

TEST(unit, decodes_batch_results_in_order) {
  const std::string r1 = "{\"fields\":[" + field_json("a", 23) +
                         R"(],"rows":[["1"]],"command":"SELECT","rowCount":1,"rowAsArray":true})";
  const std::string r2 = R"({"fields":[],"rows":[],"command":"INSERT","rowCount":3,"rowAsArray":true})";
  auto rs = neon::decode_batch_response(reply(200, "{\"results\":[" + r1 + "," + r2 + "]}"));
  ASSERT_TRUE(rs) << rs.error().message;
  ASSERT_EQ(rs->size(), 2u);
  EXPECT_EQ((*rs)[0].get<std::int32_t>(0, 0).value(), 1);
  EXPECT_EQ((*rs)[1].command(), "INSERT");
  EXPECT_EQ((*rs)[1].row_count(), 3);
  auto empty = neon::decode_batch_response(reply(200, R"({"results":[]})"));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

// Spec checklist 60.
TEST(unit, batch_reply_without_results_is_unexpected_result_format) {
  auto rs = neon::decode_batch_response(
      reply(200, R"({"fields":[],"rows":[],"command":"SELECT","rowCount":0,"rowAsArray":true})"));
  ASSERT_FALSE(rs);
  EXPECT_EQ(rs.error().kind, neon::error_kind::protocol);
  EXPECT_EQ(rs.error().message, "Neon internal error: unexpected result format");
}

TEST(unit, decoder_is_reusable_and_results_outlive_it) {
  neon::result_set kept;
  {
    neon::decoder d;
    for (int i = 0; i < 3; ++i) {
      auto rs = d.decode(reply(200, "{\"fields\":[" + field_json("s", 25) +
                                        R"(],"rows":[["hello \u00e9 \"world\""]],"command":"SELECT","rowCount":1,"rowAsArray":true})"));
      ASSERT_TRUE(rs) << rs.error().message;
      kept = std::move(*rs);
    }
  }
  EXPECT_EQ(kept.get<std::string_view>(0, 0).value(), "hello é \"world\"");
}

TEST(unit, non_2xx_replies_become_errors) {
  auto rs = neon::decode_response(reply(500, "boom"));
  ASSERT_FALSE(rs);
  EXPECT_EQ(rs.error().kind, neon::error_kind::server_error);
  EXPECT_EQ(rs.error().message, "Server error (HTTP status 500): boom");
  auto b = neon::decode_batch_response(reply(413, "too big"));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind, neon::error_kind::request_too_large);
}
