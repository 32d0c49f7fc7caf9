// The planner (pending by the set of applied hashes) and the batches it produces.

#include <gtest/gtest.h>

#include "migrate/plan.h"

#include <set>

namespace mg = edgefn::migrate;

namespace {

std::vector<mg::migration> three() {
  return {mg::make_migration("0000_a", 1000, "create table a (x int);"),
          mg::make_migration("0001_b", 2000, "create table b (x int);"),
          mg::make_migration("0002_c", 3000, "create table c (x int);")};
}

TEST(plan, everything_pending_on_an_empty_history) {
  const auto ms = three();
  auto p = mg::plan_migrations(ms, {});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(p->applied.empty());
}

TEST(plan, pending_is_decided_by_the_set_of_hashes) {
  const auto ms = three();
  // 0002 applied, 0000/0001 not (e.g. merged from another branch): drizzle's high-water mark
  // would skip them; we apply them.
  const std::vector<mg::applied_row> rows = {{ms[2].hash, 3000}};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(p->applied, (std::vector<std::size_t>{2}));
}

TEST(plan, out_of_order_when_is_still_applied) {
  auto ms = three();
  ms[1].when = 500;  // older than the applied 0000
  const std::vector<mg::applied_row> rows = {{ms[0].hash, 1000}, {ms[2].hash, 3000}};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{1}));
}

TEST(plan, created_at_does_not_matter_for_a_known_hash) {
  const auto ms = three();
  const std::vector<mg::applied_row> rows = {{ms[0].hash, 42}, {ms[1].hash, std::nullopt}};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{2}));
  EXPECT_TRUE(p->warnings.empty());
}

TEST(plan, edited_after_applied_is_an_error_naming_the_migration) {
  const auto ms = three();
  const std::vector<mg::applied_row> rows = {
      {ms[0].hash, 1000}, {mg::make_migration("x", 0, "create table b (x bigint);").hash, 2000}};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("0001_b"), std::string::npos) << p.error().message;
  EXPECT_NE(p.error().message.find("edited after it was applied"), std::string::npos);
}

TEST(plan, unknown_rows_are_warnings) {
  const auto ms = three();
  const std::vector<mg::applied_row> rows = {{"deadbeef", 99}};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pending.size(), 3u);
  ASSERT_EQ(p->warnings.size(), 1u);
  EXPECT_NE(p->warnings[0].find("deadbeef"), std::string::npos);
}

TEST(plan, identical_files_are_told_apart_by_when) {
  std::vector<mg::migration> ms = {mg::make_migration("0000_x", 1000, "-- custom"),
                                   mg::make_migration("0001_y", 2000, "-- custom")};
  ASSERT_TRUE(mg::hash_is_shared(ms, 0));
  const std::vector<mg::applied_row> rows = {{ms[0].hash, 1000}};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{1}));
}

TEST(batch, lock_bootstrap_recheck_statements_then_insert) {
  const auto m = mg::make_migration("0000_a", 1234, "create table a (x int);--> statement-breakpoint\nselect 1;");
  const auto q = mg::migration_batch(m);
  ASSERT_EQ(q.size(), 7u);
  EXPECT_EQ(q[0].text, "select pg_advisory_xact_lock(7306078180709649735)");
  EXPECT_EQ(q[1].text, "CREATE SCHEMA IF NOT EXISTS \"drizzle\"");
  EXPECT_NE(q[2].text.find("CREATE TABLE IF NOT EXISTS \"drizzle\".\"__drizzle_migrations\""), std::string::npos);
  EXPECT_NE(q[3].text.find("hash = '" + m.hash + "'"), std::string::npos);
  EXPECT_NE(q[3].text.find("EFM01"), std::string::npos);
  EXPECT_EQ(q[4].text, "create table a (x int);");
  EXPECT_EQ(q[5].text, "\nselect 1;");
  EXPECT_EQ(q[6].text, "insert into \"drizzle\".\"__drizzle_migrations\" (\"hash\", \"created_at\") values ($1, $2)");
  ASSERT_EQ(q[6].params.size(), 2u);
  EXPECT_EQ(q[6].params[0].text(), m.hash);
  EXPECT_EQ(q[6].params[1].text(), "1234");
  EXPECT_NE(mg::migration_batch(m, true)[3].text.find("created_at = 1234"), std::string::npos);
  EXPECT_EQ(mg::migration_batch_options().isolation, edgefn::neon::isolation_level::read_committed);
}

}  // namespace
