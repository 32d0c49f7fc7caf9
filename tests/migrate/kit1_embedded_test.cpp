// drizzle-kit 1.0's folder layout end to end on its real output (tests/migrate/data/kit1_wardrobe,
// written by `drizzle-kit@1.0.0-rc.5 up` from apps/wardrobe/migrations): the embedded copy, the
// folder read from disk and the 0.x journal layout it came from hold the same migrations.

#include <gtest/gtest.h>

#include <cstdlib>

#include "migrate/embedded.h"
#include "migrate/folder.h"
#include "migrate/generate.h"
#include "migrate/migration.h"

namespace mg = edgefn::migrate;

namespace {

std::string source_dir() {
  const char* src = std::getenv("EDGEFN_SOURCE_DIR");
  EXPECT_NE(src, nullptr);
  return src ? src : ".";
}

TEST(kit1_embedded_test, embedded_folder_layout_matches_the_disk_byte_for_byte) {
  auto folder = edgefn::native::read_migration_folder(source_dir() + "/tests/migrate/data/kit1_wardrobe");
  ASSERT_TRUE(folder) << folder.error().message;
  const auto embedded = mg::embedded_files();
  ASSERT_EQ(embedded.size(), 6u);
  ASSERT_EQ(folder->names.size(), 6u);
  for (std::size_t i = 0; i < folder->names.size(); ++i) {
    bool found = false;
    for (const auto& f : embedded)
      if (f.name == folder->names[i]) found = f.text == folder->texts[i];
    EXPECT_TRUE(found) << folder->names[i];
  }
  EXPECT_EQ(mg::detect_layout(embedded), mg::layout::folders);
}

TEST(kit1_embedded_test, same_migrations_as_the_journal_layout_it_came_from) {
  auto kit0 = edgefn::native::read_migration_folder(source_dir() + "/apps/wardrobe/migrations");
  ASSERT_TRUE(kit0) << kit0.error().message;
  const auto kit0_files = kit0->files();
  auto before = mg::load_migrations(kit0_files);
  auto after = mg::load_migrations(mg::embedded_files());
  ASSERT_TRUE(before && after);
  ASSERT_EQ(before->size(), after->size());
  for (std::size_t i = 0; i < after->size(); ++i) {
    // The name edgefn gives a journal entry is the folder `drizzle-kit up` moved it to.
    EXPECT_EQ((*before)[i].name, (*after)[i].name);
    EXPECT_EQ((*before)[i].hash, (*after)[i].hash);
    EXPECT_EQ((*before)[i].when / 1000 * 1000, (*after)[i].when);
  }
}

TEST(kit1_embedded_test, format_9_head_snapshot_is_reported_not_misread) {
  auto head = mg::latest_snapshot(mg::embedded_files());
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, edgefn::errc::unsupported);
}

}  // namespace
