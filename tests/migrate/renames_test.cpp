// `db generate --rename`: hints parsed and checked, and the migration held to drizzle-kit's own.
// The fixtures in data/ were written by drizzle-kit from schema_init.mjs then schema_rename.mjs:
// kit0_rename and kit0_rename_fk by drizzle-kit 0.31.11 `generate` (answering its prompts with
// "rename"), kit1_rename by drizzle-kit 1.0.0-rc.5 `generate --hints` (rename hints). The schema
// after the rename is the one drizzle-kit recorded, so only the renames differ from drizzle-kit's
// own run.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/diff.h"
#include "kit_fixtures.h"
#include "migrate/generate.h"
#include "migrate/renames.h"
#include "migrate/snapshot9.h"

using namespace edgefn::migrate_test;

namespace {

std::vector<mg::rename_hint> hints(const std::vector<std::string>& flags) {
  std::vector<mg::rename_hint> out;
  for (const auto& f : flags) {
    auto h = mg::parse_rename(f);
    EXPECT_TRUE(h) << f;
    if (h) out.push_back(*h);
  }
  return out;
}

std::string error_of(const std::vector<std::string>& flags, const db::schema_model& prev, const db::schema_model& cur) {
  const auto h = hints(flags);
  auto plan = mg::plan_renames(h, prev, cur, mg::rename_style::kit0);
  return plan ? std::string("(accepted)") : plan.error().message;
}

TEST(renames_test, flags_parse_into_table_and_column_renames) {
  auto col = mg::parse_rename("items.owner_id=user_id");
  ASSERT_TRUE(col);
  EXPECT_EQ(col->table, "items");
  EXPECT_EQ(col->column, "owner_id");
  EXPECT_EQ(col->to, "user_id");
  auto table = mg::parse_rename("things=items");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->table, "things");
  EXPECT_EQ(table->column, "");
  EXPECT_EQ(table->to, "items");
}

TEST(renames_test, malformed_flags_are_refused_saying_why) {
  for (const char* bad : {"items", "items.owner_id", "=items", "things=", "a.b.c=d", "a.=b", "a.b=c.d", "a=b=c", "a=a",
                          "t.a=a", ""}) {
    auto h = mg::parse_rename(bad);
    ASSERT_FALSE(h) << bad;
    EXPECT_EQ(h.error().code, edgefn::errc::invalid_argument);
    EXPECT_NE(h.error().message.find("--rename " + std::string(bad)), std::string::npos) << h.error().message;
    EXPECT_EQ(h.error().message.find('\n'), std::string::npos);
  }
}

TEST(renames_test, hints_that_do_not_fit_the_snapshot_and_schema_are_refused) {
  const kit0_folder dir("kit0_rename");
  const auto prev = v7(dir.snapshot), cur = v7(data("kit0_rename/meta/0001_snapshot.json"));
  EXPECT_EQ(error_of({"things=items", "items.owner_id=user_id"}, prev, cur), "(accepted)");
  EXPECT_EQ(error_of({"things=items", "things.owner_id=user_id"}, prev, cur), "(accepted)");  // old table name
  EXPECT_EQ(error_of({"stuff=items"}, prev, cur), "--rename stuff=items: there is no table stuff in the previous snapshot");
  EXPECT_EQ(error_of({"things=goods"}, prev, cur), "--rename things=goods: there is no table goods in the schema");
  EXPECT_EQ(error_of({"things=notes"}, prev, cur), "--rename things=notes: table notes already exists in the previous snapshot");
  EXPECT_EQ(error_of({"notes=items"}, prev, cur), "--rename notes=items: table notes is still in the schema");
  EXPECT_EQ(error_of({"things=items", "things=items"}, prev, cur), "--rename things=items: table things is renamed twice");
  EXPECT_EQ(error_of({"things.owner_id=user_id"}, prev, cur),
            "--rename things.owner_id=user_id: there is no table things in the schema (rename the table too)");
  EXPECT_EQ(error_of({"notes.text=content"}, prev, cur),
            "--rename notes.text=content: there is no column notes.text in the previous snapshot");
  EXPECT_EQ(error_of({"notes.body=contents"}, prev, cur),
            "--rename notes.body=contents: there is no column notes.contents in the schema");
  EXPECT_EQ(error_of({"notes.body=weight"}, prev, cur),
            "--rename notes.body=weight: column notes.weight already exists in the previous snapshot");
  EXPECT_EQ(error_of({"notes.weight=content"}, prev, cur),
            "--rename notes.weight=content: column notes.weight is still in the schema");
  EXPECT_EQ(error_of({"notes.body=content", "notes.body=content"}, prev, cur),
            "--rename notes.body=content: column notes.body is renamed twice");
  EXPECT_EQ(error_of({"things=items", "items.owner_id=user_id", "items.label=user_id"}, prev, cur),
            "--rename items.label=user_id: two columns of items are renamed to user_id");
  EXPECT_EQ(error_of({"ghost.a=b"}, prev, cur), "--rename ghost.a=b: there is no table ghost in the previous snapshot");
}

TEST(renames_test, a_bad_hint_generates_nothing) {
  const kit0_folder dir("kit0_rename");
  const auto cur = v7(data("kit0_rename/meta/0001_snapshot.json"));
  const auto h = hints({"things=items", "items.nothing=user_id"});
  auto g = mg::generate_migration(dir.files(), cur, "rename", 1, "x", mg::layout::journal, h);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().message, "--rename items.nothing=user_id: there is no column things.nothing in the previous snapshot");
}

TEST(renames_test, without_hints_a_rename_is_a_drop_and_add) {
  const kit0_folder dir("kit0_rename");
  auto g = mg::generate_migration(dir.files(), v7(data("kit0_rename/meta/0001_snapshot.json")), "rename", 1, "x");
  ASSERT_TRUE(g && *g);
  EXPECT_NE((*g)->sql.find("DROP TABLE \"things\" CASCADE;"), std::string::npos) << (*g)->sql;
  EXPECT_EQ((*g)->sql.find("RENAME"), std::string::npos) << (*g)->sql;
}

// drizzle-kit 0.31.11: the renames after created/dropped tables, then the rest; indexes and
// constraints naming a renamed column are recreated; the snapshot's _meta stays empty.
TEST(renames_test, journal_layout_matches_drizzle_kit_0_31_byte_for_byte) {
  for (const auto& [dir_name, flags] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"kit0_rename", {"notes.body=content", "things=items", "items.label=title", "items.owner_id=user_id"}},
           {"kit0_rename_fk", {"books.writer_id=author_id", "writers=authors"}}}) {
    const kit0_folder dir(dir_name);
    const std::string theirs_snapshot = data(dir_name + "/meta/0001_snapshot.json");
    const std::string theirs_journal = data(dir_name + "/meta/_journal.json");
    const auto when_at = theirs_journal.rfind("\"when\": ") + 8;
    const std::int64_t when = std::stoll(theirs_journal.substr(when_at, 13));
    const auto h = hints(flags);
    auto g = mg::generate_migration(dir.files(), v7(theirs_snapshot), "rename", when, id_of(theirs_snapshot),
                                    mg::layout::journal, h);
    ASSERT_TRUE(g) << g.error().message;
    ASSERT_TRUE(*g) << dir_name;
    EXPECT_EQ((*g)->sql_name, "0001_rename.sql");
    EXPECT_EQ((*g)->sql, data(dir_name + "/0001_rename.sql")) << dir_name;
    EXPECT_EQ((*g)->snapshot, theirs_snapshot) << dir_name;
    EXPECT_EQ((*g)->journal, theirs_journal) << dir_name;
  }
}

// drizzle-kit 1.0.0-rc.5: `rename` deltas and rename_table / rename_column footprints first; the
// rename carries over to the index and the unique constraint, so neither is recreated.
TEST(renames_test, folder_layout_matches_drizzle_kit_1_0_snapshot_byte_for_byte) {
  const std::string init = "20261130085418_init", renamed = "20261130085420_rename";
  // source_file holds views: the names live here.
  const std::string init_sql_name = init + "/migration.sql", init_name = init + "/snapshot.json",
                    renamed_name = renamed + "/snapshot.json";
  const std::string init_snapshot = data("kit1_rename/" + init + "/snapshot.json");
  const std::string theirs = data("kit1_rename/" + renamed + "/snapshot.json");
  const std::vector<mg::source_file> both{{init_name, init_snapshot}, {renamed_name, theirs}};
  // drizzle-kit's rename delta carried over by the reader: the state after it is the new schema.
  auto cur = mg::reconstruct_format9(both, id_of(theirs));
  ASSERT_TRUE(cur) << cur.error().message;
  ASSERT_NE(cur->find_table("items"), nullptr);
  EXPECT_EQ(cur->find_table("things"), nullptr);
  EXPECT_EQ(cur->find_table("items")->indexes.at(0).columns.at(0).expression, "user_id");
  EXPECT_EQ(cur->find_table("items")->unique_constraints.at(0).columns.at(0), "title");
  EXPECT_TRUE(cur->find_table("items")->columns.at(0).primary_key);  // things_pkey, kept by the rename
  EXPECT_TRUE(cur->find_table("items")->composite_primary_keys.empty());

  const std::string init_sql = data("kit1_rename/" + init + "/migration.sql");
  const std::vector<mg::source_file> files{{init_sql_name, init_sql}, {init_name, init_snapshot}};
  const auto h = hints({"things=items", "notes.body=content", "items.owner_id=user_id", "things.label=title"});
  auto g = mg::generate_migration(files, *cur, "rename", 1796029020000, id_of(theirs), mg::layout::journal, h);
  ASSERT_TRUE(g) << g.error().message;
  ASSERT_TRUE(*g);
  EXPECT_EQ((*g)->snapshot, theirs);
  // The same rename statements as drizzle-kit 1.0, first (edgefn writes the rest as 0.31 does).
  const std::string their_sql = data("kit1_rename/" + renamed + "/migration.sql");
  const std::string renames_sql =
      "ALTER TABLE \"things\" RENAME TO \"items\";--> statement-breakpoint\n"
      "ALTER TABLE \"items\" RENAME COLUMN \"owner_id\" TO \"user_id\";--> statement-breakpoint\n"
      "ALTER TABLE \"items\" RENAME COLUMN \"label\" TO \"title\";--> statement-breakpoint\n"
      "ALTER TABLE \"notes\" RENAME COLUMN \"body\" TO \"content\";--> statement-breakpoint\n";
  EXPECT_EQ(their_sql.substr(0, renames_sql.size()), renames_sql);
  EXPECT_EQ((*g)->sql.substr(0, renames_sql.size()), renames_sql) << (*g)->sql;
  EXPECT_EQ((*g)->sql.find("INDEX \"owner_idx\""), std::string::npos) << (*g)->sql;
  EXPECT_EQ((*g)->sql.find("label_key"), std::string::npos) << (*g)->sql;

  // Read back, the new snapshot is the schema: nothing left to generate.
  std::vector<mg::source_file> after = files;
  after.push_back({(*g)->sql_name, (*g)->sql});
  after.push_back({(*g)->snapshot_name, (*g)->snapshot});
  auto again = mg::generate_migration(after, *cur, "again", 1796029030000, "y");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again) << (*again)->sql;
}

TEST(renames_test, diff_places_renames_after_created_and_dropped_tables) {
  db::schema_model prev, cur;
  prev.tables.push_back({"old", "", {{"id", "integer", "", false, false, std::nullopt, false}}, {}, {}, {}, {}, {}});
  prev.tables.push_back({"gone", "", {{"id", "integer", "", false, false, std::nullopt, false}}, {}, {}, {}, {}, {}});
  cur.tables.push_back({"fresh", "", {{"id", "integer", "", false, false, std::nullopt, false}}, {}, {}, {}, {}, {}});
  cur.tables.push_back({"new", "", {{"id", "integer", "", false, true, std::nullopt, false}}, {}, {}, {}, {}, {}});
  const auto plan = mg::plan_renames(hints({"old=new"}), prev, cur, mg::rename_style::kit0);
  ASSERT_TRUE(plan) << plan.error().message;
  const auto out = db::diff(mg::apply_renames(prev, *plan, mg::rename_style::kit0), cur, mg::rename_statements(*plan));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].substr(0, 21), "CREATE TABLE \"fresh\" ");
  EXPECT_EQ(out[1], "DROP TABLE \"gone\" CASCADE;");
  EXPECT_EQ(out[2], "ALTER TABLE \"old\" RENAME TO \"new\";");
  EXPECT_EQ(out[3], "ALTER TABLE \"new\" ALTER COLUMN \"id\" SET NOT NULL;");
}

}  // namespace
