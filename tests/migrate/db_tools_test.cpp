// `edgefn db generate|check|push` against a real Postgres (fresh database per test): a changed
// fixture schema is generated, migrated and then checks clean; hand-made drift is reported in
// words and repaired by push; push is refused in production.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "migrate/db_tools.h"
#include "migrate/embedded.h"
#include "migrate/folder.h"
#include "migrate/runner.h"
#include "migrate_test_support.h"
#include "wardrobe/schema.h"

namespace fs = std::filesystem;
namespace mg = edgefn::migrate;
using edgefn::native::curl_transport;
using namespace edgefn::migrate_test;

namespace {

// A copy of the wardrobe's migrations/ in a temp folder (removed by the destructor).
struct temp_migrations {
  fs::path dir;
  temp_migrations() {
    char tmpl[] = "/tmp/edgefn-gen-XXXXXX";
    dir = mkdtemp(tmpl);
    fs::copy(fs::path(std::getenv("EDGEFN_SOURCE_DIR")) / "apps/wardrobe/migrations", dir, fs::copy_options::recursive);
  }
  ~temp_migrations() { fs::remove_all(dir); }
};

// The wardrobe schema plus a `brand` column and an index on it: "the changed C++ schema".
edgefn::db::schema_model fixture_schema() {
  auto s = edgefn::wardrobe::schema();
  auto& items = s.tables.front();
  items.columns.push_back({"brand", "varchar(128)", "", false, false, std::nullopt, false});
  items.indexes.push_back({"brand_idx", {{"brand"}}, false, false, "btree"});
  return s;
}

edgefn::result<edgefn::native::check_report> check(const std::string& db, const edgefn::db::schema_model& schema,
                                                   const std::vector<mg::source_file>& files) {
  curl_transport transport;
  auto client = client_for(db);
  return edgefn::native::check_database(transport, client, schema, files);
}

std::vector<mg::source_file> embedded_list() {
  const auto e = mg::embedded_files();
  return {e.begin(), e.end()};
}

void migrate_from(const std::string& db, const std::vector<mg::source_file>& files) {
  auto ms = mg::load_migrations(files);
  ASSERT_TRUE(ms) << ms.error().message;
  curl_transport transport;
  auto client = client_for(db);
  auto r = edgefn::native::run_migrations(transport, client, *ms);
  ASSERT_TRUE(r) << r.error().message;
}

TEST(db_tools, changed_schema_generate_migrate_check_clean) {
  temp_migrations tmp;
  const auto schema = fixture_schema();
  auto g = edgefn::native::generate_to_folder(tmp.dir.string(), schema, "add_brand", 1800000000000,
                                              edgefn::native::random_uuid());
  ASSERT_TRUE(g) << g.error().message;
  ASSERT_TRUE(*g);
  EXPECT_EQ((*g)->tag, "0003_add_brand");
  EXPECT_EQ((*g)->sql,
            "ALTER TABLE \"items\" ADD COLUMN \"brand\" varchar(128);--> statement-breakpoint\n"
            "CREATE INDEX \"brand_idx\" ON \"items\" USING btree (\"brand\");");
  EXPECT_TRUE(fs::exists(tmp.dir / "0003_add_brand.sql"));
  EXPECT_TRUE(fs::exists(tmp.dir / "meta" / "0003_snapshot.json"));

  auto folder = edgefn::native::read_migration_folder(tmp.dir.string());
  ASSERT_TRUE(folder);
  const auto files = folder->files();
  // Generating again finds nothing to do.
  auto again = edgefn::native::generate_to_folder(tmp.dir.string(), schema, "again", 1, "x");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);

  const auto db = fresh_database();
  migrate_from(db, files);
  auto report = check(db, schema, files);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->drift.empty()) << ::testing::PrintToString(report->drift);

  // The unchanged wardrobe schema now sees the extra column/index, and a snapshot ahead of it.
  auto stale = check(db, edgefn::wardrobe::schema(), files);
  ASSERT_TRUE(stale);
  EXPECT_FALSE(stale->drift.empty());
}

TEST(db_tools, fresh_migrated_database_checks_clean_and_pending_is_drift) {
  const auto db = fresh_database();
  auto before = check(db, edgefn::wardrobe::schema(), embedded_list());
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_NE(::testing::PrintToString(before->drift).find("migration 0000_initial is not applied"), std::string::npos)
      << ::testing::PrintToString(before->drift);
  migrate_from(db, embedded_list());
  auto after = check(db, edgefn::wardrobe::schema(), embedded_list());
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_TRUE(after->drift.empty()) << ::testing::PrintToString(after->drift);
}

TEST(db_tools, hand_made_drift_is_reported_and_push_repairs_it) {
  const auto db = fresh_database();
  migrate_from(db, embedded_list());
  pg(db, "alter table items add column extra integer");
  pg(db, "drop index name_idx");
  auto report = check(db, edgefn::wardrobe::schema(), embedded_list());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->drift, (std::vector<std::string>{
                               "column items.extra exists in the database but not in the schema",
                               "index name_idx on items is missing in the database"}));

  auto cli = run_cli(db, "db check");
  EXPECT_EQ(cli.exit_code, 1) << cli.output;
  EXPECT_NE(cli.output.find("drift: column items.extra exists in the database but not in the schema"),
            std::string::npos) << cli.output;

  auto refused = run_cli(db, "db push --env production");
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("refused in production"), std::string::npos) << refused.output;
  EXPECT_EQ(scalar(db, "select count(*) from pg_indexes where indexname = 'name_idx'"), "0");

  auto pushed = run_cli(db, "db push");
  EXPECT_EQ(pushed.exit_code, 0) << pushed.output;
  EXPECT_NE(pushed.output.find("DROP COLUMN \"extra\""), std::string::npos) << pushed.output;
  auto clean = run_cli(db, "db check");
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_NE(clean.output.find("no drift"), std::string::npos) << clean.output;
  auto nothing = run_cli(db, "db push");
  EXPECT_EQ(nothing.exit_code, 0) << nothing.output;
  EXPECT_NE(nothing.output.find("nothing to push"), std::string::npos) << nothing.output;
}

TEST(db_tools, cli_generate_reports_no_changes_for_the_repo_folder) {
  temp_migrations tmp;
  const std::string cmd = std::string(EDGEFN_BIN) + " db generate --name none --dir " + tmp.dir.string();
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[1024];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_NE(out.find("No schema changes, nothing to migrate"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(tmp.dir / "0003_none.sql"));
}

}  // namespace
