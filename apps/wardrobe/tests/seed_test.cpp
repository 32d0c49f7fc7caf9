#include <gtest/gtest.h>

#include <set>
#include <string>

#include "wardrobe/seed.h"

namespace mg = edgefn::wardrobe;

namespace {

TEST(seed_test, deterministic_set_with_kinde_ids_and_unique_images) {
  const auto a = mg::seed_items();
  ASSERT_GE(a.size(), 24u);
  std::set<std::string> users, images;
  for (const auto& s : a) {
    EXPECT_TRUE(s.user_id.starts_with("kp_"));
    EXPECT_FALSE(s.name.empty());
    users.insert(s.user_id);
    images.insert(s.image_url);
  }
  EXPECT_GE(users.size(), 3u);
  EXPECT_EQ(images.size(), a.size());
  EXPECT_EQ(mg::seed_batch(false).size(), 2u);
  EXPECT_EQ(mg::seed_batch(true)[1].text, "truncate table \"items\" restart identity");
}

}  // namespace
