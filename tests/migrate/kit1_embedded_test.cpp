// drizzle-kit 1.0's folder layout end to end on its real output (tests/migrate/data/kit1_*,
// written by `drizzle-kit@1.0.0-rc.5 up`): kit1_wardrobe and kit1_catalog from
// apps/<app>/migrations; kit1_altered from the wardrobe's with its newest format 7 snapshot
// edited (a column dropped, NOT NULL, a default and an index order changed: drop and alter
// deltas), that edited snapshot kept as expected_v7_snapshot.json (its migration.sql is not
// regenerated: a snapshot-only fixture). The embedded copy, the folder read from disk and the
// 0.x journal layout hold the same migrations, and each format 9 head snapshot replays to the
// schema its format 7 original parses to.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "db/snapshot.h"

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

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void expect_same_model(const edgefn::db::schema_model& got, const edgefn::db::schema_model& want) {
  ASSERT_EQ(got.tables.size(), want.tables.size());
  for (std::size_t i = 0; i < want.tables.size(); ++i) {
    const auto& g = got.tables[i];
    const auto& w = want.tables[i];
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.schema, w.schema);
    EXPECT_EQ(g.columns, w.columns) << w.name;
    EXPECT_EQ(g.indexes, w.indexes) << w.name;
    EXPECT_EQ(g.foreign_keys, w.foreign_keys) << w.name;
    EXPECT_EQ(g.composite_primary_keys, w.composite_primary_keys) << w.name;
    EXPECT_EQ(g.unique_constraints, w.unique_constraints) << w.name;
    EXPECT_EQ(g.check_constraints, w.check_constraints) << w.name;
  }
  EXPECT_EQ(got.enums, want.enums);
}

edgefn::db::schema_model format7(const std::string& path) {
  auto snap = edgefn::db::parse_snapshot(edgefn::padded_buffer(read_text(path)));
  EXPECT_TRUE(snap) << path;
  return snap ? snap->schema : edgefn::db::schema_model{};
}

TEST(kit1_embedded_test, format_9_head_replays_to_the_format_7_schema) {
  auto head = mg::latest_snapshot(mg::embedded_files());
  ASSERT_TRUE(head) << head.error().message;
  expect_same_model(head->schema, format7(source_dir() + "/apps/wardrobe/migrations/meta/0002_snapshot.json"));
}

TEST(kit1_embedded_test, foreign_keys_and_drop_alter_deltas_replay_too) {
  const std::pair<std::string, std::string> cases[] = {
      {"/tests/migrate/data/kit1_catalog", "/apps/catalog/migrations/meta/0001_snapshot.json"},
      {"/tests/migrate/data/kit1_altered", "/tests/migrate/data/kit1_altered/expected_v7_snapshot.json"}};
  for (const auto& [dir, original] : cases) {
    auto folder = edgefn::native::read_migration_folder(source_dir() + dir);
    ASSERT_TRUE(folder) << folder.error().message;
    const auto files = folder->files();
    auto head = mg::latest_snapshot(files);
    ASSERT_TRUE(head) << dir << ": " << head.error().message;
    SCOPED_TRACE(dir);
    expect_same_model(head->schema, format7(source_dir() + original));
  }
}

}  // namespace
