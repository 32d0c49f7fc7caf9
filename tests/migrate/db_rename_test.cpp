// `<app> db generate --rename` end to end against a real Postgres through the gateway: the
// catalog's history starts as drizzle-kit 0.31.11 wrote it for `writers` / `books.writer_id`
// (data/kit0_rename_fk/0000), rows go in, `db generate --rename writers=authors --rename
// books.writer_id=author_id` writes the migration for the catalog's schema (`authors`,
// `books.author_id`), `migrate` applies it, and every row and value is still there, the foreign
// key still holds, and `db check` is clean. Bad hints fail with one line and write nothing.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "migrate_test_support.h"

namespace fs = std::filesystem;
using namespace edgefn::migrate_test;

namespace {

cli_result catalog(const std::string& db, const std::string& args) { return run_app(CATALOG_BIN, db, args); }

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The folder's files (relative paths) and their sizes: "nothing written" is "the same set".
std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).string() + ":" + std::to_string(e.file_size()));
  return out;
}

// A migrations folder holding drizzle-kit's first migration of the writers/books schema: 0.31's
// journal layout, or (folders) 1.0.0-rc.5's folder layout.
struct writers_history {
  temp_dir tmp{"edgefn-rename"};
  fs::path dir = tmp.path / "migrations";
  explicit writers_history(bool folders = false) {
    if (folders) {
      fs::create_directories(dir);
      fs::copy(fs::path(EDGEFN_MIGRATE_TEST_DATA) / "kit1_rename_fk" / "20261130085131_init", dir / "20261130085131_init");
      return;
    }
    const fs::path src = fs::path(EDGEFN_MIGRATE_TEST_DATA) / "kit0_rename_fk";
    fs::create_directories(dir / "meta");
    fs::copy_file(src / "0000_init.sql", dir / "0000_init.sql");
    fs::copy_file(src / "meta" / "0000_snapshot.json", dir / "meta" / "0000_snapshot.json");
    const std::string journal = read(src / "meta" / "_journal.json");  // its first entry only
    std::ofstream(dir / "meta" / "_journal.json", std::ios::binary)
        << journal.substr(0, journal.find(",\n    {\n      \"idx\": 1")) + "\n  ]\n}";
  }
  [[nodiscard]] std::string flag() const { return " --dir '" + dir.string() + "'"; }
};

void rows_survive(const writers_history& h) {
  const auto db = fresh_database();
  auto first = catalog(db, "migrate" + h.flag());
  ASSERT_EQ(first.exit_code, 0) << first.output;
  pg(db, "insert into writers (name, bio, country) values ('Ada', 'math', 'UK'), ('Grace', null, 'US')");
  pg(db, "insert into books (title, writer_id) select 'Notes', id from writers where name = 'Ada'");
  pg(db, "insert into books (title, writer_id) select 'COBOL', id from writers where name = 'Grace'");
  const std::string before = scalar(db, "select string_agg(id || ':' || name || ':' || coalesce(bio, '-') || ':' || country "
                                        "|| ':' || created_at, ',' order by id) from writers");

  auto gen = catalog(db, "db generate --name rename --rename writers=authors --rename books.writer_id=author_id" + h.flag());
  ASSERT_EQ(gen.exit_code, 0) << gen.output;
  std::string sql;
  for (const auto& e : fs::recursive_directory_iterator(h.dir))
    if (e.path().filename() == "0001_rename.sql" || (e.path().filename() == "migration.sql" &&
                                                     e.path().parent_path().filename().string().ends_with("_rename")))
      sql = read(e.path());
  EXPECT_EQ(sql.find("DROP TABLE"), std::string::npos) << sql;
  EXPECT_EQ(sql.find("DROP COLUMN"), std::string::npos) << sql;
  EXPECT_EQ(sql.rfind("ALTER TABLE \"writers\" RENAME TO \"authors\";--> statement-breakpoint\n"
                      "ALTER TABLE \"books\" RENAME COLUMN \"writer_id\" TO \"author_id\";",
                      0),
            0u)
      << sql;

  auto second = catalog(db, "migrate" + h.flag());
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(scalar(db, "select to_regclass('writers') is null"), "t");
  EXPECT_EQ(scalar(db, "select string_agg(id || ':' || name || ':' || coalesce(bio, '-') || ':' || country || ':' || "
                       "created_at, ',' order by id) from authors"),
            before);
  EXPECT_EQ(pg(db, "select b.title, a.name from books b join authors a on a.id = b.author_id order by b.title"),
            (rows_t{{"COBOL", "Grace"}, {"Notes", "Ada"}}));
  // The foreign key (recreated under the schema's name) points at the renamed table and column.
  EXPECT_EQ(scalar(db, "select pg_get_constraintdef(oid) from pg_constraint where conname = 'books_author_id_authors_id_fk'"),
            "FOREIGN KEY (author_id) REFERENCES authors(id)");
  auto check = catalog(db, "db check" + h.flag());
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("no drift"), std::string::npos) << check.output;
  // Nothing left to generate.
  auto again = catalog(db, "db generate --name again" + h.flag());
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("No schema changes"), std::string::npos) << again.output;
}

TEST(db_rename, rows_survive_a_table_and_a_column_rename) {
  const writers_history journal;
  rows_survive(journal);
}

TEST(db_rename, rows_survive_renames_in_drizzle_kit_1_folder_layout) {
  const writers_history folders(true);
  rows_survive(folders);
}

TEST(db_rename, bad_hints_fail_with_one_line_and_write_nothing) {
  writers_history h;
  const auto files = listing(h.dir);
  struct bad_case {
    std::string flags, message;
  };
  const bad_case cases[] = {
      {"--rename writers", "expected table.old_column=new_column or old_table=new_table"},
      {"--rename a.b.c=d", "expected table.old_column=new_column (one '.')"},
      {"--rename", "--rename needs a value"},
      {"--rename scribes=authors", "there is no table scribes in the previous snapshot"},
      {"--rename writers=poets", "there is no table poets in the schema"},
      {"--rename writers=books", "table books already exists in the previous snapshot"},
      {"--rename writers=authors --rename books.penname=author_id", "there is no column books.penname in the previous snapshot"},
      {"--rename writers=authors --rename books.writer_id=writer", "there is no column books.writer in the schema"},
      {"--rename writers=authors --rename writers=authors", "table writers is renamed twice"},
  };
  for (const auto& c : cases) {
    auto r = catalog("postgres", "db generate --name rename" + h.flag() + " " + c.flags);
    // A malformed flag is a usage error (2), a hint that does not fit the folder a failure (1).
    const bool malformed = c.message.starts_with("expected") || c.message.starts_with("--rename");
    EXPECT_EQ(r.exit_code, malformed ? 2 : 1) << c.flags << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.flags << "\n" << r.output;
    EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << c.flags << ": more than one line\n" << r.output;
    EXPECT_EQ(listing(h.dir), files) << c.flags;
  }
}

}  // namespace
