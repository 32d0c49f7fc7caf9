// `db generate` when enum values are removed: Postgres cannot drop an enum value, so drizzle-kit
// moves the enum's columns to text, drops and recreates the type and moves them back. Held to
// drizzle-kit's own output for schema_init.mjs -> schema_drop_value.mjs (`happy` removed):
// data/kit0_enum_drop by drizzle-kit 0.31.11, data/kit1_enum_drop by drizzle-kit 1.0.0-rc.5.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kit_fixtures.h"
#include "migrate/generate.h"
#include "migrate/snapshot9.h"

using namespace edgefn::migrate_test;

namespace {

TEST(enum_values_test, journal_layout_matches_drizzle_kit_0_31_byte_for_byte) {
  const kit0_folder dir("kit0_enum_drop");
  const std::string theirs_snapshot = data("kit0_enum_drop/meta/0001_snapshot.json");
  const std::string theirs_journal = data("kit0_enum_drop/meta/_journal.json");
  const std::int64_t when = std::stoll(theirs_journal.substr(theirs_journal.rfind("\"when\": ") + 8, 13));
  auto g = mg::generate_migration(dir.files(), v7(theirs_snapshot), "drop_value", when, id_of(theirs_snapshot));
  ASSERT_TRUE(g) << g.error().message;
  ASSERT_TRUE(*g);
  EXPECT_EQ((*g)->sql, data("kit0_enum_drop/0001_drop_value.sql"));
  EXPECT_EQ((*g)->snapshot, theirs_snapshot);
  EXPECT_EQ((*g)->journal, theirs_journal);
}

TEST(enum_values_test, folder_layout_matches_drizzle_kit_1_0_snapshot_byte_for_byte) {
  const std::string init = "20261130091229_init", dropped = "20261130091233_drop_value";
  const std::string init_sql_name = init + "/migration.sql", init_name = init + "/snapshot.json",
                    dropped_name = dropped + "/snapshot.json";
  const std::string init_sql = data("kit1_enum_drop/" + init_sql_name), init_snapshot = data("kit1_enum_drop/" + init_name);
  const std::string theirs = data("kit1_enum_drop/" + dropped_name);
  const std::vector<mg::source_file> both{{init_name, init_snapshot}, {dropped_name, theirs}};
  auto cur = mg::reconstruct_format9(both, id_of(theirs));
  ASSERT_TRUE(cur) << cur.error().message;
  ASSERT_EQ(cur->enums.size(), 1u);
  EXPECT_EQ(cur->enums[0].values, (std::vector<std::string>{"sad", "ok"}));

  const std::vector<mg::source_file> files{{init_sql_name, init_sql}, {init_name, init_snapshot}};
  auto g = mg::generate_migration(files, *cur, "drop_value", 1796029060000, id_of(theirs));
  ASSERT_TRUE(g) << g.error().message;
  ASSERT_TRUE(*g);
  EXPECT_EQ((*g)->snapshot, theirs);
  // The SQL is drizzle-kit 0.31's (edgefn writes 0.x SQL in both layouts).
  EXPECT_EQ((*g)->sql, data("kit0_enum_drop/0001_drop_value.sql"));
}

}  // namespace
