// `<app> db check` as real drift detection, against a real Postgres (fresh database per test):
// the catalog (a foreign key) and the wardrobe (an index) check clean once migrated; hand-made
// drift (a dropped or changed foreign key, a changed default, NOT NULL, type, an extra unique
// or check constraint, an enum, an index in another order) is reported one line each with
// exit 1, and `db push` repairs it.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "migrate_test_support.h"

using namespace edgefn::migrate_test;

namespace {

cli_result catalog(const std::string& db, const std::string& args) { return run_app(CATALOG_BIN, db, args); }
cli_result wardrobe(const std::string& db, const std::string& args) { return run_app(WARDROBE_BIN, db, args); }

std::string migrated(cli_result (*app)(const std::string&, const std::string&)) {
  const auto db = fresh_database();
  auto m = app(db, "migrate");
  EXPECT_EQ(m.exit_code, 0) << m.output;
  return db;
}

using lines = std::vector<std::string>;

TEST(db_drift, migrated_catalog_and_wardrobe_check_clean) {
  const auto c = migrated(catalog);
  auto cc = catalog(c, "db check");
  EXPECT_EQ(cc.exit_code, 0) << cc.output;
  EXPECT_NE(cc.output.find("no drift"), std::string::npos) << cc.output;
  EXPECT_EQ(scalar(c, "select count(*) from pg_constraint where contype = 'f'"), "1");
  // The live foreign key is seen, so push has nothing to add (it used to re-add it and fail).
  auto cp = catalog(c, "db push");
  EXPECT_EQ(cp.exit_code, 0) << cp.output;
  EXPECT_NE(cp.output.find("nothing to push"), std::string::npos) << cp.output;

  const auto w = migrated(wardrobe);
  auto wc = wardrobe(w, "db check");
  EXPECT_EQ(wc.exit_code, 0) << wc.output;
}

TEST(db_drift, catalog_hand_made_drift_one_line_each_then_push_repairs) {
  const auto db = migrated(catalog);
  pg(db, "alter table books drop constraint books_author_id_authors_id_fk");
  pg(db, "alter table authors alter column created_at set default '2020-01-01'");
  pg(db, "alter table authors add constraint authors_name_unique unique (name)");
  pg(db, "alter table books add constraint title_not_empty check (title <> '')");
  pg(db, "alter table authors alter column bio set not null");
  pg(db, "alter table authors alter column country type varchar(2)");
  pg(db, "create type mood as enum ('calm', 'busy')");
  auto r = catalog(db, "db check");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(lines_starting(r.output, "drift: "),
            (lines{"drift: column authors.bio is NOT NULL in the database, nullable in the schema",
                   "drift: column authors.created_at has default '2020-01-01 00:00:00' in the database, now() in the schema",
                   "drift: column authors.country has type varchar(2) in the database, text in the schema",
                   "drift: unique constraint authors_name_unique on authors exists in the database but not in the schema",
                   "drift: foreign key books_author_id_authors_id_fk on books is missing in the database",
                   "drift: check constraint title_not_empty on books exists in the database but not in the schema",
                   "drift: enum mood exists in the database but not in the schema"}))
      << r.output;
  EXPECT_NE(r.output.find("7 differences found"), std::string::npos) << r.output;

  auto pushed = catalog(db, "db push");
  EXPECT_EQ(pushed.exit_code, 0) << pushed.output;
  auto clean = catalog(db, "db check");
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_EQ(scalar(db, "select confdeltype from pg_constraint where conname = 'books_author_id_authors_id_fk'"), "a");
}

TEST(db_drift, foreign_key_action_and_target_changes_are_drift) {
  const auto db = migrated(catalog);
  pg(db, "alter table books drop constraint books_author_id_authors_id_fk, add constraint "
         "books_author_id_authors_id_fk foreign key (author_id) references authors(id) on delete cascade "
         "on update set null");
  auto r = catalog(db, "db check");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(lines_starting(r.output, "drift: "),
            (lines{"drift: foreign key books_author_id_authors_id_fk on books has ON DELETE cascade in the database, "
                   "no action in the schema",
                   "drift: foreign key books_author_id_authors_id_fk on books has ON UPDATE set null in the database, "
                   "no action in the schema"}))
      << r.output;

  pg(db, "alter table books drop constraint books_author_id_authors_id_fk, add constraint "
         "books_author_id_authors_id_fk foreign key (id) references authors(id)");
  auto moved = catalog(db, "db check");
  EXPECT_EQ(lines_starting(moved.output, "drift: "),
            (lines{"drift: foreign key books_author_id_authors_id_fk on books is (id) -> authors(id) in the database, "
                   "(author_id) -> authors(id) in the schema"}))
      << moved.output;
  auto pushed = catalog(db, "db push");
  EXPECT_EQ(pushed.exit_code, 0) << pushed.output;
  EXPECT_EQ(catalog(db, "db check").exit_code, 0);
}

TEST(db_drift, wardrobe_index_order_and_extra_indexes_are_drift) {
  const auto db = migrated(wardrobe);
  pg(db, "drop index name_idx");
  pg(db, "create index name_idx on items (user_id desc nulls last)");
  pg(db, "create unique index lower_name on items (lower(name))");
  pg(db, "alter table items add constraint items_color_size_pk unique nulls not distinct (color, size)");
  auto r = wardrobe(db, "db check");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(lines_starting(r.output, "drift: "),
            (lines{"drift: index name_idx on items is btree (user_id desc nulls last) in the database, btree (user_id) "
                   "in the schema",
                   "drift: index lower_name on items exists in the database but not in the schema",
                   "drift: unique constraint items_color_size_pk on items exists in the database but not in the schema"}))
      << r.output;
  auto pushed = wardrobe(db, "db push");
  EXPECT_EQ(pushed.exit_code, 0) << pushed.output;
  auto clean = wardrobe(db, "db check");
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_EQ(scalar(db, "select indexdef from pg_indexes where indexname = 'name_idx'"),
            "CREATE INDEX name_idx ON public.items USING btree (user_id)");
}

}  // namespace
