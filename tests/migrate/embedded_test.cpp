// The embedded migrations are byte-identical to the repo's migrations/ folder, and form a valid
// history: 0000 initial -> 0001 created_at -> 0002 image_url, drizzle-kit's exact text.

#include <gtest/gtest.h>

#include <cstdlib>

#include "base/sha256.h"
#include "migrate/embedded.h"
#include "migrate/folder.h"
#include "migrate/migration.h"

namespace mg = edgefn::migrate;

namespace {

TEST(embedded, matches_the_folder_on_disk_byte_for_byte) {
  const char* src = std::getenv("EDGEFN_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  auto folder = edgefn::native::read_migration_folder(std::string(src) + "/apps/wardrobe/migrations");
  ASSERT_TRUE(folder) << folder.error().message;
  const auto embedded = mg::embedded_files();
  ASSERT_EQ(embedded.size(), folder->names.size());
  for (std::size_t i = 0; i < folder->names.size(); ++i) {
    bool found = false;
    for (const auto& f : embedded) {
      if (f.name != folder->names[i]) continue;
      found = true;
      EXPECT_EQ(f.text, folder->texts[i]) << f.name;
    }
    EXPECT_TRUE(found) << folder->names[i];
  }
}

TEST(embedded, wardrobe_history) {
  auto ms = mg::load_migrations(mg::embedded_files());
  ASSERT_TRUE(ms) << ms.error().message;
  ASSERT_EQ(ms->size(), 3u);
  EXPECT_TRUE((*ms)[0].tag.starts_with("0000_"));
  EXPECT_EQ((*ms)[0].statements.size(), 2u);
  EXPECT_EQ((*ms)[0].statements[1],
            "\nCREATE INDEX \"name_idx\" ON \"items\" USING btree (\"user_id\");");
  EXPECT_EQ((*ms)[1].sql, "ALTER TABLE \"items\" ADD COLUMN \"created_at\" timestamp DEFAULT now();");
  EXPECT_EQ((*ms)[2].sql, "ALTER TABLE \"items\" ADD COLUMN \"image_url\" text NOT NULL;");
  EXPECT_LT((*ms)[0].when, (*ms)[1].when);
  EXPECT_LT((*ms)[1].when, (*ms)[2].when);
  for (const auto& m : *ms) EXPECT_EQ(m.hash, edgefn::sha256_hex(m.sql));
}

}  // namespace
