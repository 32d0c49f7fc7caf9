// The planner (pending by the set of applied hashes) and the batches it produces.

#include <gtest/gtest.h>

#include "migrate/plan.h"

#include <set>

namespace mg = edgefn::migrate;

namespace {

mg::applied_row row(std::string hash, std::optional<std::int64_t> created_at,
                    std::optional<std::string> name = std::nullopt, std::int64_t id = 0) {
  return mg::applied_row{std::move(hash), created_at, std::move(name), id};
}

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
  const std::vector<mg::applied_row> rows = {row(ms[2].hash, 3000)};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(p->applied, (std::vector<std::size_t>{2}));
}

TEST(plan, out_of_order_when_is_still_applied) {
  auto ms = three();
  ms[1].when = 500;  // older than the applied 0000
  const std::vector<mg::applied_row> rows = {row(ms[0].hash, 1000), row(ms[2].hash, 3000)};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{1}));
}

TEST(plan, created_at_does_not_matter_for_a_known_hash) {
  const auto ms = three();
  const std::vector<mg::applied_row> rows = {row(ms[0].hash, 42), row(ms[1].hash, std::nullopt)};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{2}));
  EXPECT_TRUE(p->warnings.empty());
}

TEST(plan, edited_after_applied_is_an_error_naming_the_migration) {
  const auto ms = three();
  const std::vector<mg::applied_row> rows = {
      row(ms[0].hash, 1000), row(mg::make_migration("x", 0, "create table b (x bigint);").hash, 2000)};
  auto p = mg::plan_migrations(ms, rows);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("0001_b"), std::string::npos) << p.error().message;
  EXPECT_NE(p.error().message.find("edited after it was applied"), std::string::npos);
}

TEST(plan, unknown_rows_are_warnings) {
  const auto ms = three();
  const std::vector<mg::applied_row> rows = {row("deadbeef", 99)};
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
  const std::vector<mg::applied_row> rows = {row(ms[0].hash, 1000)};
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

// drizzle 1.0's table (name, applied_at) and the upgrade of drizzle 0.x's.
std::vector<mg::migration> folders() {
  std::vector<mg::migration> out;
  for (const char* f : {"20261122051654_a", "20261122051655_b", "20261122051657_c"}) {
    auto m = mg::make_folder_migration(f, std::string("create table ") + f + " (x int);");
    EXPECT_TRUE(m);
    out.push_back(std::move(*m));
  }
  return out;
}

TEST(plan_run_test, a_v1_table_is_planned_by_names_only) {
  const auto ms = folders();
  mg::tracking_state st{true, {row("other-hash", 1, ms[1].name, 1)}};
  auto p = mg::plan_run(ms, st, mg::layout::folders);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->by_name);
  EXPECT_FALSE(p->add_columns);
  EXPECT_TRUE(p->fills.empty());
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(p->applied, (std::vector<std::size_t>{1}));
}

TEST(plan_run_test, a_v0_table_with_folders_is_upgraded_by_drizzle_rules) {
  const auto ms = folders();
  // Row 1: the second of `a` (milliseconds from the 0.x journal); row 2: no time, found by hash.
  mg::tracking_state st{false, {row(ms[0].hash, ms[0].when + 139, std::nullopt, 1),
                                row(ms[1].hash, std::nullopt, std::nullopt, 2)}};
  auto p = mg::plan_run(ms, st, mg::layout::folders);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->add_columns);
  ASSERT_EQ(p->fills.size(), 2u);
  EXPECT_EQ(p->fills[0].id, 1);
  EXPECT_EQ(p->fills[0].name, ms[0].name);
  EXPECT_EQ(p->fills[1].name, ms[1].name);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{2}));
}

TEST(plan_run_test, two_migrations_of_one_second_are_told_apart_by_hash) {
  auto ms = folders();
  ms[1].when = ms[0].when;
  mg::tracking_state st{false, {row(ms[1].hash, ms[0].when, std::nullopt, 7)}};
  auto p = mg::plan_run(ms, st, mg::layout::folders);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->fills.size(), 1u);
  EXPECT_EQ(p->fills[0].name, ms[1].name);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{0, 2}));
}

TEST(plan_run_test, an_upgrade_refuses_rows_matching_no_migration) {
  const auto ms = folders();
  mg::tracking_state st{false, {row(ms[0].hash, ms[0].when, std::nullopt, 1), row("deadbeef", 42, std::nullopt, 9)}};
  auto p = mg::plan_run(ms, st, mg::layout::folders);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("ids: 9"), std::string::npos) << p.error().message;
}

TEST(plan_run_test, unnamed_rows_in_a_v1_table_are_named_or_warned_about) {
  const auto ms = folders();
  mg::tracking_state st{true, {row(ms[0].hash, ms[0].when, ms[0].name, 1), row(ms[2].hash, ms[2].when, std::nullopt, 2),
                               row("deadbeef", 42, std::nullopt, 3)}};
  auto p = mg::plan_run(ms, st, mg::layout::folders);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->fills.size(), 1u);
  EXPECT_EQ(p->fills[0].id, 2);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{1}));
  ASSERT_EQ(p->warnings.size(), 1u);
  EXPECT_NE(p->warnings[0].find("deadbeef"), std::string::npos);
}

TEST(plan_run_test, a_v0_table_with_the_journal_layout_stays_on_hashes) {
  const auto ms = three();
  mg::tracking_state st{false, {row(ms[2].hash, 3000)}};
  auto p = mg::plan_run(ms, st, mg::layout::journal);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->by_name);
  EXPECT_FALSE(p->add_columns);
  EXPECT_EQ(p->pending, (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(mg::upgrade_batch(*p, mg::layout::journal).empty());
}

TEST(plan_run_test, named_batch_rechecks_by_name_and_records_name_and_applied_at) {
  const auto ms = folders();
  const auto q = mg::named_migration_batch(ms[0], mg::layout::folders);
  ASSERT_EQ(q.size(), 6u);
  EXPECT_NE(q[2].text.find("applied_at timestamp with time zone DEFAULT now()"), std::string::npos);
  // The name as hex ("2026..." = 32 30 32 36), never as quoted text.
  EXPECT_NE(q[3].text.find("name = convert_from(decode('32303236"), std::string::npos) << q[3].text;
  EXPECT_EQ(q[5].text, "insert into \"drizzle\".\"__drizzle_migrations\" (\"hash\", \"created_at\", \"name\", "
                       "\"applied_at\") values ($1, $2, $3, now())");
  ASSERT_EQ(q[5].params.size(), 3u);
  EXPECT_EQ(q[5].params[1].text(), "1795324614000");
  EXPECT_EQ(q[5].params[2].text(), ms[0].name);
}

TEST(plan_run_test, upgrade_batch_adds_columns_then_fills_names) {
  mg::run_plan p;
  p.add_columns = true;
  p.fills = {{4, "20261122051654_a"}};
  const auto q = mg::upgrade_batch(p, mg::layout::folders);
  ASSERT_EQ(q.size(), 6u);
  EXPECT_NE(q[3].text.find("ADD COLUMN IF NOT EXISTS \"name\" text"), std::string::npos);
  EXPECT_NE(q[4].text.find("ADD COLUMN IF NOT EXISTS \"applied_at\""), std::string::npos);
  EXPECT_NE(q[5].text.find("SET \"name\" = $1, \"applied_at\" = NULL WHERE \"id\" = $2"), std::string::npos);
  EXPECT_EQ(q[5].params[1].text(), "4");
}

}  // namespace
