#include "wardrobe/schema.h"

#include <gtest/gtest.h>

namespace db = edgefn::db;
namespace neon = edgefn::neon;
namespace wardrobe = edgefn::wardrobe;
using edgefn::padded_buffer;
using wardrobe::items_table;

namespace {

std::vector<std::string> texts(const std::vector<neon::param>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.is_null() ? "<null>" : std::string(p.text()));
  return out;
}

const std::string k_all = R"("id", "user_id", "name", "size", "type", "color", "created_at", "image_url")";

}  // namespace

TEST(wardrobe, items_columns_know_sql_and_json_names) {
  EXPECT_EQ(items_table::user_id.info.json.view(), "userId");
  EXPECT_EQ(items_table::created_at.info.json.view(), "createdAt");
  EXPECT_EQ(items_table::image_url.info.json.view(), "imageUrl");
  EXPECT_TRUE(items_table::image_url.info.required_on_insert());
  EXPECT_FALSE(items_table::item_name.info.not_null);
  static_assert(std::is_same_v<decltype(wardrobe::item::created_at), std::optional<neon::timestamp>>);
}

TEST(wardrobe, fixed_queries_are_built_once_and_only_bind_params) {
  const auto a = wardrobe::list_items("kp_1");
  const auto b = wardrobe::list_items("kp_2");
  EXPECT_EQ(a.text, "select " + k_all + R"( from "items" where "items"."user_id" = $1 )"
                    R"(order by "items"."created_at" desc, "items"."id" desc limit $2)");
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(texts(b.params), (std::vector<std::string>{"kp_2", "100"}));
  EXPECT_EQ(wardrobe::count_items("u").text, R"(select count(*) from "items" where "items"."user_id" = $1)");
  const auto g = wardrobe::get_item(5, "u");
  EXPECT_EQ(g.text, "select " + k_all + R"( from "items" where ("items"."id" = $1 and "items"."user_id" = $2))");
  EXPECT_EQ(texts(g.params), (std::vector<std::string>{"5", "u"}));
  EXPECT_EQ(wardrobe::delete_item(5, "u").text,
            R"(delete from "items" where ("items"."id" = $1 and "items"."user_id" = $2) returning )" + k_all);
}

TEST(wardrobe, create_validates_then_inserts_for_the_user) {
  auto v = wardrobe::parse_create(padded_buffer(R"({"name":"Shirt","color":"blue","imageUrl":"https://x/1.png"})"));
  ASSERT_TRUE(v) << v.error().to_json();
  auto q = wardrobe::create_item(std::move(*v), "kp_1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->text, R"(insert into "items" ("id", "user_id", "name", "size", "type", "color", "created_at", "image_url") )"
                     R"(values (default, $1, $2, default, default, $3, default, $4) returning )" + k_all);
  EXPECT_EQ(texts(q->params), (std::vector<std::string>{"kp_1", "Shirt", "blue", "https://x/1.png"}));
}

TEST(wardrobe, create_rejects_server_set_fields_and_missing_image) {
  auto v = wardrobe::parse_create(padded_buffer(R"({"id":3,"createdAt":"2024-01-01T00:00:00Z","name":null})"));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().fields_json(),
            R"({"imageUrl":"is required","id":"is not a known field","createdAt":"is not a known field"})");
}

TEST(wardrobe, update_sets_only_given_fields_of_the_owners_item) {
  auto v = wardrobe::parse_update(padded_buffer(R"({"size":"M","color":null})"));
  ASSERT_TRUE(v) << v.error().to_json();
  auto q = wardrobe::update_item(*v, 9, "kp_1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->text, R"(update "items" set "size" = $1, "color" = $2 where ("items"."id" = $3 and "items"."user_id" = $4) returning )" + k_all);
  EXPECT_EQ(texts(q->params), (std::vector<std::string>{"M", "<null>", "9", "kp_1"}));
  EXPECT_EQ(wardrobe::parse_update(padded_buffer("{}")).error().message, "no fields to update");
}
