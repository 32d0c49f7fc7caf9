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

namespace {

// drizzle-kit 1.0's folder layout: `<YYYYMMDDHHmmss>_<name>/migration.sql` + `snapshot.json`.
struct folder_files {
  std::vector<std::pair<std::string, std::string>> owned;
  std::vector<mg::source_file> files() const {
    std::vector<mg::source_file> out;
    for (const auto& [n, t] : owned) out.push_back({n, t});
    return out;
  }
  void add(const mg::generated_migration& g) {
    owned.emplace_back(g.sql_name, g.sql);
    owned.emplace_back(g.snapshot_name, g.snapshot);
  }
};

TEST(generate_folders_test, a_new_folder_gets_the_folder_layout_when_asked) {
  const auto history = edgefn::wardrobe::history();
  folder_files dir;
  auto g = mg::generate_migration({}, history[0], "initial", 1795324614139, "11111111-1111-4111-8111-111111111111",
                                  mg::layout::folders);
  ASSERT_TRUE(g) << g.error().message;
  ASSERT_TRUE(*g);
  EXPECT_EQ((*g)->tag, "20261122051654_initial");
  EXPECT_EQ((*g)->sql_name, "20261122051654_initial/migration.sql");
  EXPECT_EQ((*g)->snapshot_name, "20261122051654_initial/snapshot.json");
  EXPECT_TRUE((*g)->journal.empty());
  EXPECT_NE((*g)->snapshot.find("\"type\": \"base\""), std::string::npos);
  // The same SQL drizzle-kit wrote for the journal layout.
  EXPECT_EQ((*g)->sql, embedded_text("0000_initial.sql"));
  dir.add(**g);

  // The next one follows the folder's layout (no flag) and its snapshot's parent is the first.
  auto next = mg::generate_migration(dir.files(), history[1], "add_created_at", 1795324615773,
                                     "22222222-2222-4222-8222-222222222222");
  ASSERT_TRUE(next) << next.error().message;
  ASSERT_TRUE(*next);
  EXPECT_EQ((*next)->tag, "20261122051655_add_created_at");
  EXPECT_EQ((*next)->sql, embedded_text("0001_add_created_at.sql"));
  // drizzle-kit 1.0's format 9: a diff snapshot naming the base snapshot as its parent.
  EXPECT_NE((*next)->snapshot.find("\"type\": \"diff\""), std::string::npos);
  EXPECT_NE((*next)->snapshot.find("\"prevIds\": [\n    \"11111111-1111-4111-8111-111111111111\"\n  ]"), std::string::npos);
  dir.add(**next);

  auto ms = mg::load_migrations(dir.files());
  ASSERT_TRUE(ms) << ms.error().message;
  ASSERT_EQ(ms->size(), 2u);
  EXPECT_EQ((*ms)[1].name, "20261122051655_add_created_at");
  auto none = mg::generate_migration(dir.files(), history[1], "again", 1795324699999, "x");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none);
  auto same_second = mg::generate_migration(dir.files(), history[2], "add_created_at", 1795324615000, "y");
  EXPECT_FALSE(same_second);
}

TEST(generate_folders_test, format_9_history_is_replayed_and_merges_are_refused) {
  // An empty base snapshot (drizzle-kit 1.0's format 9): the next migration creates everything
  // and names the base as its parent.
  const std::string base = R"({"type":"base","version":"9","dialect":"postgres","id":"9e79fc2b-c6c0-41c9-a577-484a5ab44fca",
      "prevIds":["00000000-0000-0000-0000-000000000000"],"footprints":[],"ddl":[]})";
  const mg::source_file files[] = {{"20261122051654_initial/migration.sql", "select 1;"},
                                   {"20261122051654_initial/snapshot.json", base}};
  auto g = mg::generate_migration(files, edgefn::wardrobe::schema(), "x", 1795324699999, "id");
  ASSERT_TRUE(g) << g.error().message;
  ASSERT_TRUE(*g);
  EXPECT_NE((*g)->sql.find("CREATE TABLE"), std::string::npos);
  EXPECT_NE((*g)->snapshot.find("\"prevIds\": [\n    \"9e79fc2b-c6c0-41c9-a577-484a5ab44fca\"\n  ]"), std::string::npos);

  const std::string merge = R"({"type":"diff","version":"9","dialect":"postgres","id":"m",
      "prevIds":["9e79fc2b-c6c0-41c9-a577-484a5ab44fca","other"],"footprints":[],"deltas":[]})";
  const mg::source_file merged[] = {files[0], files[1], {"20261122051655_merge/migration.sql", ""},
                                    {"20261122051655_merge/snapshot.json", merge}};
  auto m = mg::generate_migration(merged, edgefn::wardrobe::schema(), "x", 1795324699999, "id");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, edgefn::errc::unsupported);
  EXPECT_NE(m.error().message.find("merge"), std::string::npos) << m.error().message;
}

TEST(generate_folders_test, a_cycle_of_parents_is_an_error_not_a_hang) {
  auto diff = [](std::string_view id, std::string_view prev) {
    return R"({"type":"diff","version":"9","dialect":"postgres","id":")" + std::string(id) +
           R"(","prevIds":[")" + std::string(prev) + R"("],"footprints":[],"deltas":[]})";
  };
  const std::string a = diff("a", "b"), b = diff("b", "a"), c = diff("c", "a");
  const mg::source_file files[] = {{"20260101000000_a/migration.sql", ""}, {"20260101000000_a/snapshot.json", a},
                                   {"20260102000000_b/migration.sql", ""}, {"20260102000000_b/snapshot.json", b},
                                   {"20260103000000_c/migration.sql", ""}, {"20260103000000_c/snapshot.json", c}};
  auto g = mg::generate_migration(files, edgefn::wardrobe::schema(), "x", 1795324699999, "id");
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message.find("cycle"), std::string::npos) << g.error().message;
  auto only_cycle = mg::generate_migration(std::span<const mg::source_file>(files, 4), edgefn::wardrobe::schema(), "x", 1, "id");
  ASSERT_FALSE(only_cycle);
  EXPECT_NE(only_cycle.error().message.find("cycle"), std::string::npos) << only_cycle.error().message;
}

TEST(generate_folders_test, two_open_branches_are_refused) {
  const std::string base = edgefn::db::snapshot_json({}, "a", edgefn::db::origin_uuid);
  const std::string left = edgefn::db::snapshot_json({}, "b", "a");
  const std::string right = edgefn::db::snapshot_json({}, "c", "a");
  const mg::source_file files[] = {{"20260101000000_a/migration.sql", ""}, {"20260101000000_a/snapshot.json", base},
                                   {"20260102000000_b/migration.sql", ""}, {"20260102000000_b/snapshot.json", left},
                                   {"20260102000000_c/migration.sql", ""}, {"20260102000000_c/snapshot.json", right}};
  auto g = mg::generate_migration(files, edgefn::wardrobe::schema(), "x", 1795324699999, "id");
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message.find("2 open branches"), std::string::npos) << g.error().message;
}

}  // namespace
