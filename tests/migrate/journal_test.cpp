// The journal parser and the statement splitter, on drizzle-kit's exact output.

#include <gtest/gtest.h>

#include "migrate/journal.h"
#include "migrate/migration.h"

namespace mg = edgefn::migrate;

namespace {

constexpr const char* k_journal = R"({
  "version": "7",
  "dialect": "postgresql",
  "entries": [
    {"idx": 0, "version": "7", "when": 1795324614139, "tag": "0000_initial", "breakpoints": true},
    {"idx": 1, "version": "7", "when": 1795324615773, "tag": "0001_add_created_at", "breakpoints": false}
  ]
})";

TEST(journal, parses_drizzle_kit_journal) {
  auto j = mg::parse_journal(k_journal);
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ(j->version, "7");
  EXPECT_EQ(j->dialect, "postgresql");
  ASSERT_EQ(j->entries.size(), 2u);
  EXPECT_EQ(j->entries[0].tag, "0000_initial");
  EXPECT_EQ(j->entries[0].when, 1795324614139);
  EXPECT_EQ(j->entries[1].idx, 1);
  EXPECT_TRUE(j->entries[0].breakpoints);
  EXPECT_FALSE(j->entries[1].breakpoints);
}

TEST(journal, rejects_bad_input) {
  EXPECT_FALSE(mg::parse_journal("{"));
  EXPECT_FALSE(mg::parse_journal(R"({"dialect":"sqlite","entries":[]})"));
  EXPECT_FALSE(mg::parse_journal(R"({"dialect":"postgresql"})"));
  EXPECT_FALSE(mg::parse_journal(R"({"dialect":"postgresql","entries":[{"tag":"a"}]})"));
  EXPECT_FALSE(mg::parse_journal(R"({"dialect":"postgresql","entries":[{"tag":"a","when":1.5}]})"));
  EXPECT_FALSE(mg::parse_journal(R"({"dialect":"postgresql","entries":[{"tag":"../x","when":1}]})"));
  EXPECT_FALSE(mg::parse_journal(
      R"({"dialect":"postgresql","entries":[{"tag":"a","when":1},{"tag":"a","when":2}]})"));
  auto empty = mg::parse_journal(R"({"version":"7","dialect":"postgresql","entries":[]})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->entries.empty());
}

TEST(split, keeps_text_exactly_like_drizzle) {
  const std::string file =
      "CREATE TABLE \"items\" (\n\t\"id\" serial PRIMARY KEY NOT NULL\n);\n--> statement-breakpoint\n"
      "CREATE INDEX \"name_idx\" ON \"items\" USING btree (\"user_id\");";
  const auto parts = mg::split_statements(file);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "CREATE TABLE \"items\" (\n\t\"id\" serial PRIMARY KEY NOT NULL\n);\n");
  EXPECT_EQ(parts[1], "\nCREATE INDEX \"name_idx\" ON \"items\" USING btree (\"user_id\");");
}

TEST(split, edge_cases_match_javascript_split) {
  EXPECT_EQ(mg::split_statements(""), std::vector<std::string>{""});
  EXPECT_EQ(mg::split_statements("select 1"), std::vector<std::string>{"select 1"});
  EXPECT_EQ(mg::split_statements("a;--> statement-breakpoint"), (std::vector<std::string>{"a;", ""}));
  EXPECT_EQ(mg::split_statements("a--> statement-breakpoint--> statement-breakpointb"),
            (std::vector<std::string>{"a", "", "b"}));
  // Only the exact marker splits.
  EXPECT_EQ(mg::split_statements("a --> statement breakpoint b").size(), 1u);
}

TEST(load, joins_journal_entries_with_files) {
  const mg::source_file files[] = {{"meta/_journal.json", k_journal},
                                   {"0000_initial.sql", "select 1;--> statement-breakpoint\nselect 2;"},
                                   {"0001_add_created_at.sql", "select 3;"}};
  auto ms = mg::load_migrations(files);
  ASSERT_TRUE(ms) << ms.error().message;
  ASSERT_EQ(ms->size(), 2u);
  EXPECT_EQ((*ms)[0].statements.size(), 2u);
  EXPECT_EQ((*ms)[1].when, 1795324615773);
  EXPECT_EQ((*ms)[1].hash.size(), 64u);
  auto missing = mg::load_migrations(std::span<const mg::source_file>(files, 2));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("0001_add_created_at.sql"), std::string::npos);
}

}  // namespace
