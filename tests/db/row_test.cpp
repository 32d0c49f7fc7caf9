#include "db/row.h"

#include <gtest/gtest.h>

#include "test_schema.h"
#include "wardrobe/schema.h"

namespace db = edgefn::db;
namespace neon = edgefn::neon;
namespace http = edgefn::http;
using edgefn::wardrobe::items_table;

namespace {

std::string field(std::string_view name, int oid) {
  return std::string(R"({"name":")") + std::string(name) + R"(","dataTypeID":)" + edgefn::json::decimal(oid) +
         R"(,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"})";
}

neon::result_set decode(std::string_view fields, std::string_view rows) {
  http::response r;
  r.status = 200;
  r.body.append("{\"fields\":[" + std::string(fields) + "],\"rows\":" + std::string(rows) +
                ",\"command\":\"SELECT\",\"rowCount\":1,\"rowAsArray\":true}");
  auto rs = neon::decode_response(r);
  EXPECT_TRUE(rs) << (rs ? "" : rs.error().message);
  return std::move(rs).value();
}

const std::string k_item_fields = field("id", 23) + "," + field("user_id", 25) + "," + field("name", 1043) + "," +
                                  field("size", 1043) + "," + field("type", 1043) + "," + field("color", 1043) + "," +
                                  field("created_at", 1114) + "," + field("image_url", 25);

}  // namespace

TEST(db_row, decodes_items_by_name_and_writes_drizzle_json) {
  auto rs = decode(k_item_fields,
                   R"([["1","kp_1","Shirt \"blue\"",null,"top","blue","2024-01-02 03:04:05.678912","https://x/1.png"]])");
  auto rows = db::decode_rows<items_table>(rs);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  const auto& it = rows->front();
  EXPECT_EQ(it.id, 1);
  EXPECT_EQ(it.user_id, "kp_1");
  EXPECT_EQ(it.size, std::nullopt);
  EXPECT_EQ(db::to_json<items_table>(it),
            R"({"id":1,"userId":"kp_1","name":"Shirt \"blue\"","size":null,"type":"top","color":"blue",)"
            R"("createdAt":"2024-01-02T03:04:05.678Z","imageUrl":"https://x/1.png"})");
  EXPECT_EQ(edgefn::wardrobe::to_json(*rows), "[" + edgefn::wardrobe::to_json(it) + "]");
  EXPECT_TRUE(edgefn::wardrobe::decode_items(rs));
}

TEST(db_row, decodes_by_position_and_reports_missing_columns_and_nulls) {
  auto rs = decode(k_item_fields, R"([["2","u",null,null,null,null,null,"i"]])");
  auto row = db::decode_row<items_table>(rs, 0, db::positions_in_order<items_table>());
  ASSERT_TRUE(row);
  EXPECT_EQ(row->created_at, std::nullopt);
  auto missing = db::decode_rows<items_table>(decode(field("id", 23), R"([["1"]])"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, R"(result has no column named "user_id")");
  auto null_in_not_null = db::decode_rows<items_table>(decode(k_item_fields, R"([["2",null,null,null,null,null,null,"i"]])"));
  ASSERT_FALSE(null_in_not_null);
  EXPECT_EQ(null_in_not_null.error().kind, neon::error_kind::null_value);
}

TEST(db_row, every_column_type_round_trips_to_json) {
  using test_schema::users_table;
  const std::string fields = field("id", 23) + "," + field("email", 1043) + "," + field("name", 1043) + "," +
                             field("role", 16500) + "," + field("active", 16) + "," + field("karma", 20) + "," +
                             field("balance", 1700) + "," + field("score", 700) + "," + field("ratio", 701) + "," +
                             field("seen_at", 1184) + "," + field("birthday", 1082) + "," + field("token", 2950) +
                             "," + field("prefs", 3802) + "," + field("age", 23);
  auto rs = decode(fields, R"([["1","a@b","😀","admin","t","9007199254740993","12.50","1.1","0.1",)"
                           R"("2024-01-02 05:04:05.5+02","2024-02-29","A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",)"
                           R"("{\"a\": [1, 2]}","42"]])");
  auto rows = db::decode_rows<users_table>(rs);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(db::to_json<users_table>(rows->front()),
            R"({"id":1,"email":"a@b","name":"😀","role":"admin","active":true,"karma":9007199254740993,)"
            R"("balance":"12.50","score":1.1,"ratio":0.1,"seenAt":"2024-01-02T03:04:05.500Z","birthday":"2024-02-29",)"
            R"("token":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","prefs":{"a": [1, 2]},"age":42})");
}

namespace {
/// write_rows_json's document for rows [0, count), or its error message.
template <class T>
std::string direct_json(const neon::result_set& rs, std::size_t count) {
  auto pos = db::positions_by_name<T>(rs);
  if (!pos) return "error: " + pos.error().message;
  std::string out;
  edgefn::json::writer w(out);
  w.begin_array();
  auto st = db::write_rows_json<T>(w, rs, *pos, count);
  if (!st.ok()) return "error: " + st.error().message;
  w.end_array();
  return out;
}
/// The same through decode_rows + write_json (the reference).
template <class T>
std::string decoded_json(const neon::result_set& rs) {
  auto rows = db::decode_rows<T>(rs);
  if (!rows) return "error: " + rows.error().message;
  return db::to_json<T>(*rows);
}
}  // namespace

TEST(db_row, rows_written_from_the_result_match_decoded_rows) {
  using test_schema::users_table;
  const std::string fields = field("id", 23) + "," + field("email", 1043) + "," + field("name", 1043) + "," +
                             field("role", 16500) + "," + field("active", 16) + "," + field("karma", 20) + "," +
                             field("balance", 1700) + "," + field("score", 700) + "," + field("ratio", 701) + "," +
                             field("seen_at", 1184) + "," + field("birthday", 1082) + "," + field("token", 2950) +
                             "," + field("prefs", 3802) + "," + field("age", 23);
  auto rs = decode(fields, R"([["1","a@b","😀 \"q\" \u0001 a long name past eight bytes","admin","t","9007199254740993","12.50","1.1","0.1",)"
                           R"("2024-01-02 05:04:05.5+02","2024-02-29","A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",)"
                           R"("{\"a\": [1, 2]}","42"],)"
                           R"(["2","c@d",null,"member","f","-1",null,null,null,"infinity",null,)"
                           R"("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12",null,"7"]])");
  ASSERT_EQ(rs.rows(), 2u);
  const std::string direct = direct_json<users_table>(rs, rs.rows());
  ASSERT_EQ(direct.rfind("error", 0), std::string::npos) << direct;
  EXPECT_EQ(direct, decoded_json<users_table>(rs));
  EXPECT_NE(direct.find(R"("name":"😀 \"q\" \u0001 a long name past eight bytes")"), std::string::npos) << direct;
  EXPECT_EQ(direct_json<users_table>(rs, 1), "[" + db::to_json<users_table>(db::decode_rows<users_table>(rs)->front()) + "]");

  // The same errors as decoding: a NULL in a NOT NULL text column, a malformed integer, a
  // text column of another type.
  auto items = [&](std::string_view row, std::string_view user_id_field = "") {
    const std::string f = user_id_field.empty() ? k_item_fields
        : field("id", 23) + "," + std::string(user_id_field) + "," + field("name", 1043) + "," + field("size", 1043) +
              "," + field("type", 1043) + "," + field("color", 1043) + "," + field("created_at", 1114) + "," +
              field("image_url", 25);
    return decode(f, "[" + std::string(row) + "]");
  };
  for (const auto& bad : {items(R"(["2",null,null,null,null,null,null,"i"])"), items(R"(["x","u",null,null,null,null,null,"i"])"),
                          items(R"(["2","u",null,null,null,null,null,"i"])", field("user_id", 23))}) {
    const std::string direct_bad = direct_json<items_table>(bad, 1);
    EXPECT_EQ(direct_bad.rfind("error: ", 0), 0u) << direct_bad;
    EXPECT_EQ(direct_bad, decoded_json<items_table>(bad));
  }
}

TEST(db_row, iso8601_matches_javascript_date) {
  EXPECT_EQ(db::iso8601_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(db::iso8601_utc(-1), "1969-12-31T23:59:59.999Z");  // floor, as Date truncates toward -inf
  EXPECT_EQ(db::iso8601_utc(253402300800000000), "+010000-01-01T00:00:00.000Z");
  EXPECT_EQ(db::iso8601_utc(-62198755200000000), "-000001-01-01T00:00:00.000Z");
  EXPECT_EQ(db::iso8601_utc(neon::timestamp::infinity().micros), "");
}

namespace {
std::string float_json(float v) {
  std::string out;
  edgefn::json::writer w(out);
  db::write_json_value(w, v);
  return out;
}
}  // namespace

TEST(row_test, years_outside_0000_9999_get_a_sign_and_six_digits) {
  EXPECT_EQ(db::iso_date(neon::date::from_ymd(2026, 11, 1)), "2026-11-01");
  EXPECT_EQ(db::iso_date(neon::date::from_ymd(7, 1, 2)), "0007-01-02");
  EXPECT_EQ(db::iso_date(neon::date::from_ymd(0, 1, 1)), "0000-01-01");
  EXPECT_EQ(db::iso_date(neon::date::from_ymd(10000, 1, 1)), "+010000-01-01");
  EXPECT_EQ(db::iso_date(neon::date::from_ymd(-1, 12, 31)), "-000001-12-31");
  EXPECT_EQ(db::iso_date(neon::date::from_ymd(-4713, 11, 24)), "-004713-11-24");
}

TEST(row_test, a_float4_is_written_as_its_shortest_decimal_as_js_reads_it) {
  EXPECT_EQ(float_json(0.1f), "0.1");
  EXPECT_EQ(float_json(1.5f), "1.5");
  EXPECT_EQ(float_json(3.4028235e38f), "3.4028235e+38");
  EXPECT_EQ(float_json(-2.5e-7f), "-2.5e-7");
  EXPECT_EQ(float_json(16777216.0f), "16777216");
  EXPECT_EQ(float_json(0.0f), "0");
}
