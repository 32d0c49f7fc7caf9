// Migrations against a real Postgres through the gateway, each test in a fresh database:
// migrate from empty, re-run as a no-op, all-or-nothing on failure, concurrent runs (threads
// and `edgefn migrate` processes) applying each migration once, and `edgefn seed`.

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "migrate/embedded.h"
#include "migrate/folder.h"
#include "migrate/runner.h"
#include "migrate_test_support.h"
#include "support/test_env.h"

namespace mg = edgefn::migrate;
using edgefn::native::curl_transport;
using edgefn::testing::test_env;

namespace {

using namespace edgefn::migrate_test;

std::vector<mg::migration> embedded() {
  auto ms = mg::load_migrations(mg::embedded_files());
  EXPECT_TRUE(ms);
  return std::move(ms).value();
}

std::vector<mg::migration> from_folder(const std::string& dir) {
  auto f = edgefn::native::read_migration_folder(dir);
  EXPECT_TRUE(f) << f.error().message;
  auto ms = mg::load_migrations(f->files());
  EXPECT_TRUE(ms) << ms.error().message;
  return std::move(ms).value();
}

edgefn::result<edgefn::native::migrate_report> migrate(const std::string& db,
                                                       const std::vector<mg::migration>& ms) {
  curl_transport transport;
  auto client = client_for(db);
  return edgefn::native::run_migrations(transport, client, ms);
}

const char* k_tracking = "select hash, created_at from drizzle.__drizzle_migrations order by id";

TEST(migrate_db, from_empty_creates_items_and_tracking_rows) {
  const auto db = fresh_database();
  const auto ms = embedded();
  auto r = migrate(db, ms);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->applied.size(), 3u);
  EXPECT_EQ(pg(db, "select column_name, data_type, is_nullable, coalesce(column_default, '') "
                   "from information_schema.columns where table_name = 'items' order by ordinal_position"),
            (rows_t{{"id", "integer", "NO", "nextval('items_id_seq'::regclass)"},
                    {"user_id", "text", "NO", ""},
                    {"name", "character varying", "YES", ""},
                    {"size", "character varying", "YES", ""},
                    {"type", "character varying", "YES", ""},
                    {"color", "character varying", "YES", ""},
                    {"created_at", "timestamp without time zone", "YES", "now()"},
                    {"image_url", "text", "NO", ""}}));
  EXPECT_EQ(scalar(db, "select indexdef from pg_indexes where indexname = 'name_idx'"),
            "CREATE INDEX name_idx ON public.items USING btree (user_id)");
  EXPECT_EQ(scalar(db, "select character_maximum_length from information_schema.columns "
                       "where table_name = 'items' and column_name = 'color'"), "256");
  rows_t expected;
  for (const auto& m : ms) expected.push_back({m.hash, std::to_string(m.when)});
  EXPECT_EQ(pg(db, k_tracking), expected);

  auto again = migrate(db, ms);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(pg(db, k_tracking), expected);
}

TEST(migrate_db, cli_applies_then_reports_nothing_to_do) {
  const auto db = fresh_database();
  auto first = run_cli(db, "migrate");
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("applied 0000_"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("applied 0002_"), std::string::npos) << first.output;
  auto second = run_cli(db, "migrate");
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("nothing to do"), std::string::npos) << second.output;
  EXPECT_EQ(second.output.find("test-pass"), std::string::npos);
}

TEST(migrate_db, failure_half_way_leaves_no_trace) {
  const auto db = fresh_database();
  const auto ms = from_folder(std::string(EDGEFN_MIGRATE_TEST_DATA) + "/broken");
  auto r = migrate(db, ms);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("0001_broken"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("42P01"), std::string::npos) << r.error().message;
  EXPECT_EQ(scalar(db, "select count(*) from drizzle.__drizzle_migrations"), "1");
  EXPECT_EQ(scalar(db, "select to_regclass('public.ok_table') is not null"), "t");
  EXPECT_EQ(scalar(db, "select to_regclass('public.half_table') is null"), "t");

  auto cli = run_cli(db, std::string("migrate --dir ") + EDGEFN_MIGRATE_TEST_DATA + "/broken");
  EXPECT_EQ(cli.exit_code, 1) << cli.output;
  EXPECT_NE(cli.output.find("0001_broken"), std::string::npos) << cli.output;
  EXPECT_EQ(cli.output.find("test-pass"), std::string::npos) << cli.output;
  EXPECT_EQ(scalar(db, "select count(*) from drizzle.__drizzle_migrations"), "1");
}

TEST(migrate_db, edited_after_applied_is_refused) {
  const auto db = fresh_database();
  auto ms = embedded();
  ASSERT_TRUE(migrate(db, ms));
  ms[1] = mg::make_migration(ms[1].tag, ms[1].when, ms[1].sql + "\n-- edited");
  auto r = migrate(db, ms);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(ms[1].tag), std::string::npos);
  EXPECT_NE(r.error().message.find("edited after it was applied"), std::string::npos);
}

TEST(migrate_db, concurrent_threads_apply_each_migration_once) {
  for (int round = 0; round < 3; ++round) {
    const auto db = fresh_database();
    const auto ms = embedded();
    std::vector<std::future<edgefn::result<edgefn::native::migrate_report>>> runs;
    for (int i = 0; i < 4; ++i)
      runs.push_back(std::async(std::launch::async, [&] { return migrate(db, ms); }));
    std::size_t applied = 0;
    for (auto& f : runs) {
      auto r = f.get();
      ASSERT_TRUE(r) << r.error().message;
      applied += r->applied.size();
    }
    EXPECT_EQ(applied, 3u);
    EXPECT_EQ(scalar(db, "select count(*) from drizzle.__drizzle_migrations"), "3");
    EXPECT_EQ(scalar(db, "select count(distinct hash) from drizzle.__drizzle_migrations"), "3");
  }
}

TEST(migrate_db, concurrent_processes_apply_each_migration_once) {
  const auto db = fresh_database();
  std::vector<std::future<cli_result>> runs;
  for (int i = 0; i < 3; ++i)
    runs.push_back(std::async(std::launch::async, [&] { return run_cli(db, "migrate"); }));
  std::size_t applied = 0;
  for (auto& f : runs) {
    auto r = f.get();
    EXPECT_EQ(r.exit_code, 0) << r.output;
    for (std::size_t at = 0; (at = r.output.find("applied 000", at)) != std::string::npos; ++at) ++applied;
  }
  EXPECT_EQ(applied, 3u);
  EXPECT_EQ(scalar(db, "select count(*) from drizzle.__drizzle_migrations"), "3");
}

TEST(migrate_db, seed_is_idempotent_and_reset_restarts) {
  const auto db = fresh_database();
  ASSERT_TRUE(migrate(db, embedded()));
  auto s1 = run_cli(db, "seed");
  ASSERT_EQ(s1.exit_code, 0) << s1.output;
  const auto n = scalar(db, "select count(*) from items");
  EXPECT_GE(std::stoi(n), 24);
  EXPECT_GE(std::stoi(scalar(db, "select count(distinct user_id) from items")), 3);
  EXPECT_EQ(scalar(db, "select count(*) from items where user_id not like 'kp\\_%' or image_url not like 'https://%'"), "0");
  auto s2 = run_cli(db, "seed");
  ASSERT_EQ(s2.exit_code, 0) << s2.output;
  EXPECT_NE(s2.output.find("seeded 0 rows"), std::string::npos) << s2.output;
  EXPECT_EQ(scalar(db, "select count(*) from items"), n);

  pg(db, "insert into items (user_id, name, image_url) values ('kp_extra', 'Extra', 'https://x/y.jpg')");
  EXPECT_EQ(std::stoi(scalar(db, "select count(*) from items")), std::stoi(n) + 1);
  auto s3 = run_cli(db, "seed --reset");
  ASSERT_EQ(s3.exit_code, 0) << s3.output;
  EXPECT_EQ(scalar(db, "select count(*) from items"), n);
  EXPECT_EQ(scalar(db, "select min(id) from items"), "1");
  EXPECT_EQ(scalar(db, "select max(id) from items"), n);
}

TEST(migrate_db, env_flag_selects_the_dotenv_file) {
  const auto db = fresh_database();
  char dir_template[] = "/tmp/edgefn-envtest-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const auto& e = test_env::get();
  FILE* f = std::fopen((dir + "/.env.staging.local").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fprintf(f, "DATABASE_URL=%s\nNEON_FETCH_ENDPOINT=%s\n", e.connection_string(db).c_str(),
               e.gateway_url.c_str());
  std::fclose(f);
  const std::string base = "cd " + dir + " && env -u DATABASE_URL -u NEON_FETCH_ENDPOINT -u ENVIRONMENT " +
                           "-u NODE_ENV " + EDGEFN_BIN + " ";
  // No DATABASE_URL without --env staging; with it, .env.staging.local is read.
  EXPECT_NE(std::system((base + "migrate >/dev/null 2>&1").c_str()), 0);
  EXPECT_EQ(std::system((base + "migrate --env staging >/dev/null 2>&1").c_str()), 0);
  EXPECT_EQ(scalar(db, "select count(*) from drizzle.__drizzle_migrations"), "3");
  std::remove((dir + "/.env.staging.local").c_str());
  rmdir(dir.c_str());
}

}  // namespace
