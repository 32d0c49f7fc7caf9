// Removing an enum value end to end against a real Postgres through the gateway: `db generate`
// (the core's generate_to_folder) writes drizzle-kit's recreate-the-enum migration for the schemas
// of data/kit0_enum_drop (`happy` removed from `mood`), `migrate` applies it, and the rows keep
// their values and the column its default; the database then checks clean. A row still holding
// the removed value makes the migration fail as a whole, changing nothing.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kit_fixtures.h"
#include "migrate/db_tools.h"
#include "migrate/folder.h"
#include "migrate/runner.h"
#include "migrate_test_support.h"

using namespace edgefn::migrate_test;
using edgefn::native::curl_transport;

namespace {

const db::schema_model& before() {
  static const auto s = v7(data("kit0_enum_drop/meta/0000_snapshot.json"));
  return s;
}
const db::schema_model& after() {
  static const auto s = v7(data("kit0_enum_drop/meta/0001_snapshot.json"));
  return s;
}

std::vector<mg::source_file> files_of(const edgefn::native::migration_folder& folder) { return folder.files(); }

// Generates `schema`'s next migration into `dir` and applies the folder to `db`.
edgefn::status generate_and_migrate(const std::string& dir, const db::schema_model& schema, const std::string& name,
                                    std::int64_t when, const std::string& db) {
  auto g = edgefn::native::generate_to_folder(dir, schema, name, when, edgefn::native::random_uuid());
  if (!g) return g.error();
  auto folder = edgefn::native::read_migration_folder(dir);
  if (!folder) return folder.error();
  const auto files = files_of(*folder);
  auto ms = mg::load_migrations(files);
  if (!ms) return ms.error();
  curl_transport transport;
  auto client = client_for(db);
  auto r = edgefn::native::run_migrations(transport, client, *ms);
  if (!r) return r.error();
  return {};
}

TEST(db_enum, rows_keep_their_values_when_an_enum_value_is_removed) {
  temp_dir tmp("edgefn-enum");
  const std::string dir = (tmp.path / "migrations").string();
  const auto db = fresh_database();
  ASSERT_TRUE(generate_and_migrate(dir, before(), "init", 1796029000000, db));
  pg(db, "insert into people (name, mood, other) values ('a', 'sad', 'ok'), ('b', 'ok', null)");
  pg(db, "insert into people (name) values ('c')");

  auto st = generate_and_migrate(dir, after(), "drop_value", 1796029100000, db);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(scalar(db, "select enum_range(null::mood)::text"), "{sad,ok}");
  EXPECT_EQ(pg(db, "select name, mood::text, coalesce(other::text, '-') from people order by name"),
            (rows_t{{"a", "sad", "ok"}, {"b", "ok", "-"}, {"c", "ok", "-"}}));
  pg(db, "insert into people (name) values ('d')");
  EXPECT_EQ(scalar(db, "select mood::text from people where name = 'd'"), "ok");  // the default is back
  EXPECT_EQ(scalar(db, "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'people'::regclass "
                       "and attname = 'other'"),
            "mood");

  auto folder = edgefn::native::read_migration_folder(dir);
  ASSERT_TRUE(folder);
  curl_transport transport;
  auto client = client_for(db);
  auto report = edgefn::native::check_database(transport, client, after(), files_of(*folder));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->drift.empty()) << ::testing::PrintToString(report->drift);
}

TEST(db_enum, a_row_with_the_removed_value_fails_the_migration_and_changes_nothing) {
  temp_dir tmp("edgefn-enum");
  const std::string dir = (tmp.path / "migrations").string();
  const auto db = fresh_database();
  ASSERT_TRUE(generate_and_migrate(dir, before(), "init", 1796029000000, db));
  pg(db, "insert into people (name, mood) values ('a', 'happy')");
  auto st = generate_and_migrate(dir, after(), "drop_value", 1796029100000, db);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("happy"), std::string::npos) << st.error().message;
  EXPECT_EQ(scalar(db, "select enum_range(null::mood)::text"), "{sad,ok,happy}");
  EXPECT_EQ(scalar(db, "select mood::text from people"), "happy");
  EXPECT_EQ(scalar(db, "select count(*) from drizzle.__drizzle_migrations"), "1");
}

}  // namespace
