// drizzle-kit 1.0's folder layout (<YYYYMMDDHHmmss>_<name>/migration.sql) next to the 0.x journal
// layout: detection, the folder time stamp both ways, and loading in drizzle's order.

#include <gtest/gtest.h>

#include "migrate/migration.h"

namespace mg = edgefn::migrate;

namespace {

TEST(layout_test, journal_wins_and_is_the_default) {
  const mg::source_file journal[] = {{"meta/_journal.json", "{}"}, {"0000_a.sql", ""}};
  const mg::source_file folders[] = {{"20261122051654_initial/migration.sql", ""},
                                     {"20261122051654_initial/snapshot.json", "{}"}};
  const mg::source_file nested[] = {{"a/b/migration.sql", ""}, {".hidden/migration.sql", ""}};
  EXPECT_EQ(mg::detect_layout(journal), mg::layout::journal);
  EXPECT_EQ(mg::detect_layout(folders), mg::layout::folders);
  EXPECT_EQ(mg::detect_layout(nested), mg::layout::journal);
  EXPECT_EQ(mg::detect_layout({}), mg::layout::journal);
}

TEST(layout_test, folder_stamp_is_utc_seconds_like_drizzle_kit) {
  // drizzle-kit up named the wardrobe's 0000_initial (when 1795324614139) 20261122051654_initial.
  EXPECT_EQ(mg::folder_stamp(1795324614139), "20261122051654");
  EXPECT_EQ(mg::folder_stamp(0), "19700101000000");
  EXPECT_EQ(mg::folder_millis("20261122051654_initial"), 1795324614000);
  EXPECT_EQ(mg::folder_millis("20240229235959"), 1709251199000);
}

TEST(layout_test, folder_millis_rejects_names_without_a_valid_time) {
  EXPECT_FALSE(mg::folder_millis("0000_initial"));
  EXPECT_FALSE(mg::folder_millis("2026112205165x_a"));
  EXPECT_FALSE(mg::folder_millis("20230229000000_not_a_leap_year"));
  EXPECT_FALSE(mg::folder_millis("20261122245900_hour_24"));
  EXPECT_FALSE(mg::folder_millis("2026"));
}

TEST(layout_test, journal_entries_get_the_name_drizzle_kit_up_gives_their_folder) {
  EXPECT_EQ(mg::make_migration("0001_add_created_at", 1795324615773, "").name, "20261122051655_add_created_at");
  EXPECT_EQ(mg::make_migration("0002", 1795324617448, "").name, "20261122051657_");
}

TEST(layout_test, loads_folders_sorted_by_name_with_when_from_the_name) {
  const mg::source_file files[] = {{"20261122051657_c/migration.sql", "select 3;"},
                                   {"20261122051654_a/migration.sql", "select 1;--> statement-breakpoint\nselect 2;"},
                                   {"20261122051654_a/snapshot.json", "{}"},
                                   {"20261122051655_b/migration.sql", ""}};
  auto ms = mg::load_migrations(files);
  ASSERT_TRUE(ms) << ms.error().message;
  ASSERT_EQ(ms->size(), 3u);
  EXPECT_EQ((*ms)[0].name, "20261122051654_a");
  EXPECT_EQ((*ms)[0].tag, "20261122051654_a");
  EXPECT_EQ((*ms)[0].when, 1795324614000);
  EXPECT_EQ((*ms)[0].statements.size(), 2u);
  EXPECT_EQ((*ms)[1].name, "20261122051655_b");
  EXPECT_EQ((*ms)[2].name, "20261122051657_c");
  EXPECT_EQ((*ms)[2].hash, mg::make_migration("x", 0, "select 3;").hash);
}

TEST(layout_test, a_folder_without_a_time_stamp_is_an_error_naming_it) {
  const mg::source_file files[] = {{"20261122051654_a/migration.sql", ""}, {"initial/migration.sql", ""}};
  auto ms = mg::load_migrations(files);
  ASSERT_FALSE(ms);
  EXPECT_NE(ms.error().message.find("initial/migration.sql"), std::string::npos) << ms.error().message;
}

}  // namespace
