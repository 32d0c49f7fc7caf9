// `<app> db pull` against a real Postgres: the catalog's database, plus objects of every kind
// the C++ schema layer declares (enum, composite primary key, foreign key with actions, unique
// and check constraints, an index, each column type and default), is written as a C++ header;
// the header compiles in a tiny program (the build's compiler and core library) whose schema()
// model diffs empty against the same database, both ways, and equals the catalog's own tables.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catalog/schema.h"
#include "db/diff.h"
#include "db/snapshot.h"
#include "migrate/db_tools.h"
#include "migrate_test_support.h"

namespace fs = std::filesystem;
using namespace edgefn::migrate_test;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}


edgefn::db::schema_model live(const std::string& db) {
  edgefn::native::curl_transport transport;
  auto client = client_for(db);
  auto m = edgefn::native::read_live_schema(transport, client);
  EXPECT_TRUE(m) << m.error().message;
  return m ? *m : edgefn::db::schema_model{};
}

const char* k_extra_schema = R"SQL(
create type mood as enum ('calm', 'busy', 'it''s');
alter table authors add column mood mood default 'calm' not null;
alter table authors add constraint authors_name_country_unique unique (name, country);
alter table books add constraint title_not_empty check (title <> '');
create index books_title_idx on books (title);
create unique index books_author_title_idx on books (author_id, title);
create table tags (
  book_id integer not null,
  label varchar(32) not null,
  price numeric(10, 2) default 0 not null,
  visible boolean default true not null,
  meta jsonb,
  token uuid default gen_random_uuid() not null,
  seen timestamp with time zone,
  day date,
  big bigint,
  score real,
  ratio double precision,
  "default" text default 'x',
  constraint tags_book_id_label_pk primary key (book_id, label),
  constraint tags_book_id_books_id_fk foreign key (book_id) references books(id) on delete cascade
);
)SQL";

TEST(db_pull, catalog_database_pulls_to_a_header_that_compiles_and_round_trips) {
  temp_dir tmp;
  const auto db = fresh_database();
  ASSERT_EQ(run_app(CATALOG_BIN, db, "migrate").exit_code, 0);
  pg(db, k_extra_schema);

  const fs::path header = tmp.path / "include" / "pulled.h";
  auto out = run_app(CATALOG_BIN, db, "db pull --out " + header.string() + " --namespace pulled::catalog",
                     tmp.path.string());
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_EQ(out.output.find("note:"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("3 tables, 1 enum"), std::string::npos) << out.output;
  const std::string text = read_text(header);
  EXPECT_NE(text.find(".references(authors_table::id)"), std::string::npos) << text;
  EXPECT_NE(text.find(".references(books_table::id, db::fk_action::cascade, db::fk_action::no_action)"),
            std::string::npos) << text;

  // The tiny program: the header's schema() as snapshot JSON.
  std::ofstream(tmp.path / "main.cpp") << "#include <cstdio>\n#include \"pulled.h\"\n#include \"db/snapshot.h\"\n"
                                          "int main() {\n"
                                          "  std::puts(edgefn::db::snapshot_json(pulled::catalog::schema(), \"a\", \"b\").c_str());\n"
                                          "}\n";
  const std::string prog = (tmp.path / "prog").string();
  auto built = shell(std::string(PULL_CXX) + " -std=c++20 " + PULL_CXXFLAGS + " -I" + (tmp.path / "include").string() +
                     " " + PULL_INCLUDES + " " + (tmp.path / "main.cpp").string() + " " + PULL_LIBS + " -o " + prog);
  ASSERT_EQ(built.exit_code, 0) << built.output << "\n" << text;
  auto ran = shell(prog);
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  auto snap = edgefn::db::parse_snapshot(edgefn::padded_buffer(ran.output));
  ASSERT_TRUE(snap) << ran.output;
  const auto& pulled = snap->schema;

  const auto database = live(db);
  EXPECT_EQ(edgefn::db::diff(database, pulled), std::vector<std::string>{});
  EXPECT_EQ(edgefn::db::diff(pulled, database), std::vector<std::string>{});
  EXPECT_EQ(pulled.tables.size(), 3u);
  ASSERT_EQ(pulled.enums.size(), 1u);
  EXPECT_EQ(pulled.enums[0].values, (std::vector<std::string>{"calm", "busy", "it's"}));

  // Without the hand-made objects, the pulled tables are the catalog's own.
  pg(db, "drop table tags; alter table authors drop column mood; drop type mood;"
         "alter table authors drop constraint authors_name_country_unique;"
         "alter table books drop constraint title_not_empty; drop index books_title_idx, books_author_title_idx");
  auto again = run_app(CATALOG_BIN, db, "db pull --out " + header.string() + " --namespace pulled::catalog",
                       tmp.path.string());
  ASSERT_EQ(again.exit_code, 0) << again.output;
  auto rebuilt = shell(std::string(PULL_CXX) + " -std=c++20 " + PULL_CXXFLAGS + " -I" +
                       (tmp.path / "include").string() + " " + PULL_INCLUDES + " " + (tmp.path / "main.cpp").string() +
                       " " + PULL_LIBS + " -o " + prog);
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
  auto ran2 = shell(prog);
  auto snap2 = edgefn::db::parse_snapshot(edgefn::padded_buffer(ran2.output));
  ASSERT_TRUE(snap2) << ran2.output;
  EXPECT_EQ(edgefn::db::diff(edgefn::catalog::schema(), snap2->schema), std::vector<std::string>{});
  EXPECT_EQ(edgefn::db::diff(snap2->schema, edgefn::catalog::schema()), std::vector<std::string>{});
}

TEST(db_pull, default_output_path_and_bad_namespace) {
  temp_dir tmp;
  const auto db = fresh_database();
  ASSERT_EQ(run_app(CATALOG_BIN, db, "migrate").exit_code, 0);
  auto out = run_app(CATALOG_BIN, db, "db pull", tmp.path.string());
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_NE(read_text(tmp.path / "db" / "pulled_schema.h").find("namespace pulled {"), std::string::npos);
  auto bad = run_app(CATALOG_BIN, db, "db pull --namespace 'no good'", tmp.path.string());
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("not a C++ namespace name"), std::string::npos) << bad.output;
}

}  // namespace
