#include "db/validate.h"

#include <gtest/gtest.h>

#include "test_schema.h"
#include "wardrobe/schema.h"

namespace db = edgefn::db;
namespace neon = edgefn::neon;
using edgefn::padded_buffer;
using test_schema::users_table;
using u = users_table;

namespace {

struct body_case {
  const char* name;
  std::string body;
  db::body_mode mode;
  std::string error;                    // "" = valid
  std::vector<db::field_error> fields;  // expected field errors, in order
};

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const db::body_mode ins = db::body_mode::insert, upd = db::body_mode::update;

std::vector<body_case> cases() {
  return {
      {"minimal valid insert", R"({"email":"a@b.c","age":30})", ins, "", {}},
      {"every field valid",
       R"({"id":7,"email":"a@b.c","name":"Ann","role":"admin","active":false,"karma":-5,"balance":"12.50",)"
       R"("score":1.5,"ratio":2,"seenAt":"2024-01-02T03:04:05.678Z","birthday":"2024-02-29",)"
       R"("token":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","prefs":{"a":[1,{"b":null}]},"age":30})",
       ins, "", {}},
      {"missing required", "{}", ins, "invalid fields", {{"email", "is required"}, {"age", "is required"}}},
      {"too long", R"({"email":"a","age":1,"name":"123456789"})", ins, "invalid fields",
       {{"name", "must be at most 8 characters"}}},
      {"8 emoji fit in varchar(8)", R"({"email":"a","age":1,"name":")" + repeat("😀", 8) + "\"}", ins, "", {}},
      {"9 emoji do not", R"({"email":"a","age":1,"name":")" + repeat("😀", 9) + "\"}", ins, "invalid fields",
       {{"name", "must be at most 8 characters"}}},
      {"escaped emoji counted once", R"({"email":"a","age":1,"name":"\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"})", ins, "", {}},
      {"number for string", R"({"email":5,"age":1})", ins, "invalid fields", {{"email", "must be a string"}}},
      {"string for integer", R"({"email":"a","age":"30"})", ins, "invalid fields", {{"age", "must be an integer"}}},
      {"fraction for integer", R"({"email":"a","age":1.5})", ins, "invalid fields", {{"age", "must be an integer"}}},
      {"integral float accepted", R"({"email":"a","age":30.0})", ins, "", {}},
      {"integer in exponent notation", R"({"email":"a","age":1.5e1})", ins, "", {}},
      {"fraction a double would round away", R"({"email":"a","age":1.00000000000000001})", ins, "invalid fields",
       {{"age", "must be an integer"}}},
      {"integer beyond int64", R"({"email":"a","age":123456789012345678901234567890})", ins, "invalid fields",
       {{"age", "must be between -2147483648 and 2147483647"}}},
      {"malformed number", R"({"email":"a","age":01})", ins, "invalid JSON", {}},
      {"malformed float", R"({"email":"a","age":1,"ratio":1.})", ins, "invalid JSON", {}},
      {"float beyond double", R"({"email":"a","age":1,"ratio":1e400})", ins, "invalid fields",
       {{"ratio", "must be between -1e308 and 1e308"}}},
      {"float beyond real", R"({"email":"a","age":1,"score":-4e38})", ins, "invalid fields",
       {{"score", "must be between -1e38 and 1e38"}}},
      {"tiny float", R"({"email":"a","age":1,"score":1e-60,"ratio":-0.0000e999})", ins, "", {}},
      {"integer out of range", R"({"email":"a","age":3000000000})", ins, "invalid fields",
       {{"age", "must be between -2147483648 and 2147483647"}}},
      {"bigint beyond 2^53", R"({"email":"a","age":1,"karma":9007199254740992})", ins, "invalid fields",
       {{"karma", "must be between -9007199254740991 and 9007199254740991"}}},
      {"string for boolean", R"({"email":"a","age":1,"active":"yes"})", ins, "invalid fields",
       {{"active", "must be a boolean"}}},
      {"string for number", R"({"email":"a","age":1,"ratio":"2"})", ins, "invalid fields", {{"ratio", "must be a number"}}},
      {"enum membership", R"({"email":"a","age":1,"role":"owner"})", ins, "invalid fields",
       {{"role", "must be one of: admin, member"}}},
      {"numeric must be a string", R"({"email":"a","age":1,"balance":12.5})", ins, "invalid fields",
       {{"balance", "must be a string"}}},
      {"numeric text checked", R"({"email":"a","age":1,"balance":"12,5"})", ins, "invalid fields",
       {{"balance", "must be a decimal string"}}},
      {"bad timestamp", R"({"email":"a","age":1,"seenAt":"yesterday"})", ins, "invalid fields",
       {{"seenAt", "must be an ISO 8601 date-time"}}},
      {"bad date", R"({"email":"a","age":1,"birthday":"2024-13-01"})", ins, "invalid fields",
       {{"birthday", "must be a date (YYYY-MM-DD)"}}},
      {"bad uuid", R"({"email":"a","age":1,"token":"not-a-uuid"})", ins, "invalid fields", {{"token", "must be a UUID"}}},
      {"null for not null", R"({"email":null,"age":1})", ins, "invalid fields", {{"email", "must not be null"}}},
      {"null for nullable", R"({"email":"a","age":1,"name":null,"prefs":null})", ins, "", {}},
      {"unknown field", R"({"email":"a","age":1,"extra":true})", ins, "invalid fields", {{"extra", "is not a known field"}}},
      {"duplicate key", R"({"email":"a","email":"b","age":1})", ins, "invalid fields", {{"email", "is a duplicate key"}}},
      {"unknown key twice: one message", R"({"email":"a","age":1,"foo":1,"foo":2})", ins, "invalid fields",
       {{"foo", "is not a known field"}}},
      {"every failure reported in column order then unknown keys",
       R"({"zzz":1,"name":"123456789","active":1})", ins, "invalid fields",
       {{"email", "is required"}, {"name", "must be at most 8 characters"}, {"active", "must be a boolean"},
        {"age", "is required"}, {"zzz", "is not a known field"}}},
      {"invalid JSON", R"({"email":)", ins, "invalid JSON", {}},
      {"trailing garbage", R"({"email":"a","age":1} x)", ins, "invalid JSON", {}},
      {"not an object", "[1,2]", ins, "body must be a JSON object", {}},
      {"empty body", "", ins, "invalid JSON", {}},
      {"update: all optional", R"({"name":"x"})", upd, "", {}},
      {"update: needs a field", "{}", upd, "no fields to update", {}},
      {"update: null for not null", R"({"age":null})", upd, "invalid fields", {{"age", "must not be null"}}},
  };
}

}  // namespace

TEST(db_validate, body_table) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    auto r = c.mode == ins ? db::parse_insert<users_table>(padded_buffer(c.body))
                           : db::parse_update<users_table>(padded_buffer(c.body));
    if (c.error.empty()) {
      EXPECT_TRUE(r) << r.error().to_json();
      continue;
    }
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, c.error);
    EXPECT_EQ(r.error().fields, c.fields);
  }
  EXPECT_GE(cases().size(), 20u);
}

TEST(db_validate, invalid_fields_keep_the_cells_that_did_validate) {
  // What a caller's own rules then run on (api::parse_body): the valid fields' cells, the
  // failing ones absent (here a too-long name and a string for a boolean).
  auto r = db::parse_insert<users_table>(padded_buffer(R"({"email":"a","age":7,"name":"123456789","active":"x"})"));
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().fields.size(), 2u);
  const auto v = db::values_from_cells<users_table>(r.error().cells);
  EXPECT_EQ(v[u::email], std::optional<std::string>("a"));
  EXPECT_EQ(v[u::age], std::optional<std::int32_t>(7));
  EXPECT_FALSE(v[u::user_name].has_value());
  EXPECT_FALSE(v[u::active].has_value());
}

TEST(db_validate, produces_typed_values) {
  auto r = db::parse_insert<users_table>(padded_buffer(
      R"({"email":"a","age":30,"name":null,"seenAt":"2024-01-02T05:04:05.678+02:00","balance":"1.50","prefs":[1, 2]})"));
  ASSERT_TRUE(r) << r.error().to_json();
  EXPECT_EQ((*r)[u::email], std::optional<std::string>("a"));
  EXPECT_EQ((*r)[u::age], std::optional<std::int32_t>(30));
  ASSERT_TRUE((*r)[u::user_name].has_value());
  EXPECT_EQ(*(*r)[u::user_name], std::nullopt);  // explicit null
  EXPECT_FALSE((*r)[u::karma].has_value());      // absent
  EXPECT_EQ((*(*r)[u::seen_at])->micros, 1704164645678000);
  EXPECT_EQ((*(*r)[u::balance])->text, "1.50");
  auto floats = db::parse_insert<users_table>(padded_buffer(R"({"email":"a","age":1,"score":1.5 ,"ratio":2.5e-1})"));
  ASSERT_TRUE(floats) << floats.error().to_json();
  EXPECT_EQ((*floats)[u::score], std::optional<float>(1.5f));
  EXPECT_EQ((*floats)[u::ratio], std::optional<double>(0.25));
  EXPECT_EQ((*(*r)[u::prefs])->text, "[1, 2]");
}

TEST(db_validate, error_json_names_every_field) {
  const std::string long_name = repeat("x", 257);
  auto r = edgefn::wardrobe::parse_create(padded_buffer(R"({"name":")" + long_name + R"(","userId":"kp","extra":1})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields_json(),
            R"({"name":"must be at most 256 characters","imageUrl":"is required","userId":"is not a known field",)"
            R"("extra":"is not a known field"})");
  EXPECT_EQ(r.error().to_json().substr(0, 35), R"({"error":"invalid fields","fields":)");
}
