// `db generate` in the core, held to drizzle-kit's real output (the repo's migrations/ were
// written by drizzle-kit 0.31.11): the C++ wardrobe schema's history regenerates the same files.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/snapshot.h"
#include "migrate/embedded.h"
#include "migrate/generate.h"
#include "migrate/introspect.h"
#include "migrate/journal.h"
#include "wardrobe/schema.h"

namespace mg = edgefn::migrate;

namespace {

std::string embedded_text(std::string_view name) {
  for (const auto& f : mg::embedded_files())
    if (f.name == name) return std::string(f.text);
  ADD_FAILURE() << name << " not embedded";
  return {};
}

// The embedded files up to (and including) journal entry `last`, with a journal to match.
struct prefix_files {
  std::string journal;
  std::vector<mg::source_file> files;
};

prefix_files history_prefix(int count) {
  prefix_files out;
  auto j = mg::parse_journal(embedded_text("meta/_journal.json"));
  EXPECT_TRUE(j);
  j->entries.resize(static_cast<std::size_t>(count));
  out.journal = mg::journal_json(*j);
  out.files.push_back({"meta/_journal.json", out.journal});
  for (const auto& f : mg::embedded_files())
    if (f.name != "meta/_journal.json") out.files.push_back(f);
  return out;
}

TEST(journal_json, reproduces_drizzle_kit_bytes) {
  const std::string text = embedded_text("meta/_journal.json");
  auto j = mg::parse_journal(text);
  ASSERT_TRUE(j);
  EXPECT_EQ(mg::journal_json(*j), text);
}

TEST(generate, wardrobe_schema_matches_the_newest_snapshot) {
  auto g = mg::generate_migration(mg::embedded_files(), edgefn::wardrobe::schema(), "noop", 1, "x");
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_FALSE(*g) << (*g)->sql;
}

TEST(generate, regenerates_each_drizzle_kit_migration_byte_for_byte) {
  const auto history = edgefn::wardrobe::history();
  const std::vector<std::string> names = {"initial", "add_created_at", "add_image_url"};
  auto full = mg::parse_journal(embedded_text("meta/_journal.json"));
  ASSERT_TRUE(full);
  for (int k = 0; k < 3; ++k) {
    const auto& entry = full->entries[static_cast<std::size_t>(k)];
    auto files = history_prefix(k);
    const std::string prefix = entry.tag.substr(0, 4);
    auto snap = edgefn::db::parse_snapshot(edgefn::padded_buffer(embedded_text("meta/" + prefix + "_snapshot.json")));
    ASSERT_TRUE(snap);
    auto g = mg::generate_migration(files.files, history[static_cast<std::size_t>(k)], names[static_cast<std::size_t>(k)],
                                    entry.when, snap->id);
    ASSERT_TRUE(g) << g.error().message;
    ASSERT_TRUE(*g);
    EXPECT_EQ((*g)->tag, entry.tag);
    EXPECT_EQ((*g)->sql, embedded_text(entry.tag + ".sql"));
    EXPECT_EQ((*g)->snapshot_name, "meta/" + prefix + "_snapshot.json");
    // Byte-exact: the snapshot drizzle-kit 0.31.11 wrote for this migration.
    EXPECT_EQ((*g)->snapshot, embedded_text("meta/" + prefix + "_snapshot.json"));
    auto reparsed = edgefn::db::parse_snapshot(edgefn::padded_buffer((*g)->snapshot));
    ASSERT_TRUE(reparsed);
    EXPECT_EQ(reparsed->id, snap->id);
    EXPECT_EQ((*g)->journal, history_prefix(k + 1).journal);
  }
}

TEST(generate, first_migration_of_an_empty_folder_and_bad_names) {
  auto g = mg::generate_migration({}, edgefn::wardrobe::schema(), "init", 5, "id");
  ASSERT_TRUE(g);
  ASSERT_TRUE(*g);
  EXPECT_EQ((*g)->tag, "0000_init");
  EXPECT_NE((*g)->snapshot.find("\"prevId\": \"00000000-0000-0000-0000-000000000000\""), std::string::npos);
  EXPECT_FALSE(mg::generate_migration({}, edgefn::wardrobe::schema(), "../x", 5, "id"));
  EXPECT_FALSE(mg::generate_migration({}, edgefn::wardrobe::schema(), "", 5, "id"));
}

TEST(drift, describes_each_difference_in_words) {
  const auto want = edgefn::wardrobe::schema();
  auto have = want;
  auto& t = have.tables.front();
  t.columns.push_back({"extra", "integer", "", false, false, std::nullopt, false});
  t.indexes.clear();
  for (auto& c : t.columns)
    if (c.name == "color") c.type = "varchar(100)";
  const auto d = mg::describe_drift(want, have);
  ASSERT_EQ(d.size(), 3u) << ::testing::PrintToString(d);
  EXPECT_EQ(d[0], "column items.color has type varchar(100) in the database, varchar(256) in the schema");
  EXPECT_EQ(d[1], "column items.extra exists in the database but not in the schema");
  EXPECT_EQ(d[2], "index name_idx on items is missing in the database");
  EXPECT_TRUE(mg::describe_drift(want, want).empty());
}

}  // namespace

namespace {

TEST(drift, foreign_keys_constraints_and_index_order_in_words) {
  edgefn::db::schema_model want;
  edgefn::db::table_model t;
  t.name = "books";
  t.columns.push_back({"author_id", "integer", "", false, false, std::nullopt, false});
  t.foreign_keys.push_back({"books_author_id_authors_id_fk", "books", "authors", {"author_id"}, {"id"}, "no action", "no action"});
  t.unique_constraints.push_back({"books_author_id_unique", {"author_id"}, false});
  t.indexes.push_back({"author_idx", {{"author_id"}}, false, false, "btree"});
  want.tables.push_back(t);
  auto have = want;
  auto& h = have.tables.front();
  h.foreign_keys.front().on_delete = "cascade";
  h.unique_constraints.front().nulls_not_distinct = true;
  h.indexes.front().columns.front().asc = false;
  h.check_constraints.push_back({"positive", "(author_id > 0)"});
  h.composite_primary_keys.push_back({"books_pk", {"author_id", "x"}});
  EXPECT_EQ(mg::describe_drift(want, have),
            (std::vector<std::string>{
                "index author_idx on books is btree (author_id desc nulls last) in the database, btree (author_id) in the schema",
                "foreign key books_author_id_authors_id_fk on books has ON DELETE cascade in the database, no action in the schema",
                "unique constraint books_author_id_unique on books has NULLS NOT DISTINCT in the database, NULLS DISTINCT in the schema",
                "primary key books_pk on books exists in the database but not in the schema",
                "check constraint positive on books exists in the database but not in the schema"}));
  EXPECT_TRUE(mg::describe_drift(have, have).empty());
}

}  // namespace
