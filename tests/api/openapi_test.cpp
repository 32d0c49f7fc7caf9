// The OpenAPI 3.1 document is generated from an app's route table and its tables' columns: every
// route appears under its templated path, with typed path parameters, its security, its request
// body derived from the insert/update schema, and its response shape.
#include <gtest/gtest.h>

#include <algorithm>

#include "api/errors.h"
#include "api/openapi.h"
#include "db/query.h"
#include "simdjson.h"

namespace edgefn::api {
namespace {

struct thing {
  std::int32_t id = 0;
  std::string title;
  std::optional<std::string> note;
  neon::timestamp created_at{};
};
struct things_table {
  using row = thing;
  static constexpr std::string_view name = "things";
  static constexpr auto id = db::serial<&thing::id>(name, "id").primary_key();
  static constexpr auto title = db::varchar<&thing::title>(name, "title", 80);
  static constexpr auto note = db::text<&thing::note>(name, "note");
  static constexpr auto created_at = db::timestamp<&thing::created_at>(name, "created_at").default_now();
  static constexpr auto columns = std::tuple{id, title, note, created_at};
};

constexpr std::array<std::string_view, 2> k_server_set{"id", "created_at"};
constexpr table_doc k_thing = table_of<things_table>("Thing");
constexpr route_def k_routes[] = {
    {.method = "GET", .path = "/things", .auth = auth_mode::none, .operation_id = "listThings",
     .response = rows_of<things_table>("Thing")},
    {.method = "POST", .path = "/things", .operation_id = "createThing",
     .body = {k_thing, db::body_mode::insert, k_server_set}, .response = row_of<things_table>("Thing", 201)},
    {.method = "PUT", .path = "/things/:id{id}", .auth = auth_mode::optional, .operation_id = "updateThing",
     .body = {k_thing, db::body_mode::update, k_server_set}, .response = row_of<things_table>("Thing")},
};
constexpr app_spec k_app{.title = "things", .version = "2.0.0", .routes = k_routes};

simdjson::dom::element document(simdjson::dom::parser& parser, std::string& text) {
  auto r = router::compile(k_app);
  EXPECT_TRUE(r);
  text = openapi_document(*r);
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS) << text;
  return doc;
}

using node = simdjson::simdjson_result<simdjson::dom::element>;

std::string_view str(node e) {
  std::string_view s;
  return e.get_string().get(s) ? std::string_view("<not a string>") : s;
}

std::int64_t num(node e) {
  std::int64_t v = -999;
  return e.get_int64().get(v) ? -999 : v;
}

TEST(openapi_test, paths_parameters_and_security_come_from_the_route_table) {
  simdjson::dom::parser parser;
  std::string text;
  auto doc = document(parser, text);
  EXPECT_EQ(str(doc["openapi"]), "3.1.0");
  EXPECT_EQ(str(doc["info"]["version"]), "2.0.0");
  EXPECT_EQ(str(doc["paths"]["/things"]["get"]["operationId"]), "listThings");
  simdjson::dom::array security;
  ASSERT_FALSE(doc["paths"]["/things"]["get"]["security"].get_array().get(security));
  EXPECT_EQ(security.size(), 0u);  // public
  EXPECT_TRUE(doc["paths"]["/things"]["post"]["security"].error());  // the document's default: bearer
  auto param = doc["paths"]["/things/{id}"]["put"]["parameters"].at(0);
  EXPECT_EQ(str(param["name"]), "id");
  EXPECT_EQ(str(param["in"]), "path");
  EXPECT_EQ(str(param["schema"]["type"]), "integer");
  EXPECT_EQ(num(param["schema"]["minimum"]), 1);
  EXPECT_FALSE(doc["paths"]["/healthz"].error());
  EXPECT_FALSE(doc["paths"]["/api/openapi.json"].error());
}

TEST(openapi_test, posts_document_the_idempotency_key_header_and_its_422) {
  simdjson::dom::parser parser;
  std::string text;
  auto doc = document(parser, text);
  auto post = doc["paths"]["/things"]["post"];
  auto param = post["parameters"].at(0);
  EXPECT_EQ(str(param["name"]), "Idempotency-Key");
  EXPECT_EQ(str(param["in"]), "header");
  EXPECT_EQ(num(param["schema"]["maxLength"]), 255);
  EXPECT_FALSE(post["responses"]["422"].error());
  EXPECT_TRUE(doc["paths"]["/things/{id}"]["put"]["responses"]["422"].error()) << "POST only";
}

TEST(openapi_test, the_error_schema_lists_every_error_code) {
  simdjson::dom::parser parser;
  std::string text;
  auto doc = document(parser, text);
  simdjson::dom::array codes;
  ASSERT_FALSE(doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
                   .get_array()
                   .get(codes))
      << text;
  std::vector<std::string_view> listed;
  for (simdjson::dom::element c : codes) listed.push_back(str(node(std::move(c))));
  for (int c = 0; c <= static_cast<int>(k_last_error_code); ++c)
    EXPECT_NE(std::find(listed.begin(), listed.end(), to_string(static_cast<error_code>(c))), listed.end())
        << to_string(static_cast<error_code>(c));
  EXPECT_NE(std::find(listed.begin(), listed.end(), "idempotency_key_reused"), listed.end());  // was missing
  EXPECT_EQ(str(doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["fields"]["type"]), "object");
}

TEST(openapi_test, bodies_follow_the_insert_and_update_schemas) {
  simdjson::dom::parser parser;
  std::string text;
  auto doc = document(parser, text);
  auto insert = doc["paths"]["/things"]["post"]["requestBody"]["content"]["application/json"]["schema"];
  simdjson::dom::array required;
  ASSERT_FALSE(insert["required"].get_array().get(required));
  ASSERT_EQ(required.size(), 1u);
  EXPECT_EQ(str(required.at(0)), "title");  // note is nullable, id/createdAt are server-set
  EXPECT_TRUE(insert["properties"]["id"].error());
  EXPECT_EQ(num(insert["properties"]["title"]["maxLength"]), 80);
  EXPECT_EQ(str(insert["properties"]["note"]["type"].at(1)), "null");
  auto update = doc["paths"]["/things/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"];
  EXPECT_EQ(num(update["minProperties"]), 1);
  ASSERT_FALSE(update["required"].get_array().get(required));
  EXPECT_EQ(required.size(), 0u);
  auto row = doc["components"]["schemas"]["Thing"];
  EXPECT_EQ(str(row["properties"]["createdAt"]["format"]), "date-time");
  EXPECT_EQ(str(doc["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"]),
            "array");
  EXPECT_FALSE(doc["paths"]["/things"]["post"]["responses"]["201"].error());
  EXPECT_FALSE(doc["paths"]["/things"]["post"]["responses"]["400"].error());
}

}  // namespace
}  // namespace edgefn::api
