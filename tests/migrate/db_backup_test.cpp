// `<app> db export` / `db import` with the real pg_dump and psql against a real Postgres: a
// seeded catalog database exported to db/backups/ (created, git-ignored), its tables dropped,
// imported back with the same rows; import refused in production without --force and all or
// nothing on a bad file; clear errors when pg_dump is missing or older than the server.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "migrate_test_support.h"

namespace fs = std::filesystem;
using namespace edgefn::migrate_test;

namespace {

cli_result catalog(const std::string& db, const std::string& args, const temp_dir& cwd,
                   const std::string& env_extra = "") {
  return run_app(CATALOG_BIN, db, args, cwd.path.string(), env_extra);
}

// Every row of the catalog and of its migration history, as text.
std::string contents(const std::string& db) {
  return scalar(db, "select (select string_agg(a::text, ';' order by id) from authors a) || '|' ||"
                    "(select string_agg(b::text, ';' order by id) from books b) || '|' ||"
                    "(select string_agg(hash || created_at, ';' order by id) from drizzle.__drizzle_migrations)");
}

std::string seeded(const temp_dir& cwd) {
  const auto db = fresh_database();
  EXPECT_EQ(catalog(db, "migrate", cwd).exit_code, 0);
  auto s = catalog(db, "seed", cwd);
  EXPECT_EQ(s.exit_code, 0) << s.output;
  return db;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(db_backup, export_drop_import_restores_the_same_rows) {
  temp_dir cwd;
  const auto db = seeded(cwd);
  const std::string before = contents(db);
  ASSERT_NE(before.find("|"), std::string::npos);
  ASSERT_EQ(scalar(db, "select count(*) from books"), "7");

  auto out = catalog(db, "db export", cwd);
  ASSERT_EQ(out.exit_code, 0) << out.output;
  const fs::path dir = cwd.path / "db" / "backups";
  EXPECT_EQ(read_text(dir / ".gitignore").find("*\n!.gitignore\n") != std::string::npos, true);
  fs::path dump;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sql") dump = e.path();
  ASSERT_FALSE(dump.empty());
  const std::string name = dump.filename().string();
  EXPECT_TRUE(name.starts_with("development-20") && name.size() == std::string("development-20261130T034417Z.sql").size())
      << name;
  EXPECT_NE(out.output.find("db/backups/" + name), std::string::npos) << out.output;
  EXPECT_EQ(read_text(dump).find("test-pass"), std::string::npos);  // no secret in the dump
  EXPECT_EQ(fs::status(dump).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);

  pg(db, "drop table books; drop table authors; drop schema drizzle cascade");
  EXPECT_EQ(scalar(db, "select count(*) from pg_tables where tablename in ('authors', 'books')"), "0");

  auto refused = catalog(db, "db import " + dump.string() + " --env production", cwd);
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("refused in production"), std::string::npos) << refused.output;
  EXPECT_EQ(scalar(db, "select count(*) from pg_tables where tablename in ('authors', 'books')"), "0");

  auto in = catalog(db, "db import " + dump.string(), cwd);
  ASSERT_EQ(in.exit_code, 0) << in.output;
  EXPECT_EQ(contents(db), before);
  auto check = catalog(db, "db check", cwd);
  EXPECT_EQ(check.exit_code, 0) << check.output;

  // Importing over the existing tables replaces them (the dump drops each object first).
  pg(db, "delete from books");
  auto again = catalog(db, "db import " + dump.string() + " --env production --force", cwd);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(contents(db), before);
}

TEST(db_backup, a_failing_import_restores_nothing) {
  temp_dir cwd;
  const auto db = seeded(cwd);
  const fs::path bad = cwd.path / "bad.sql";
  std::ofstream(bad) << "delete from books;\nselect no_such_function();\n";
  auto in = catalog(db, "db import " + bad.string(), cwd);
  EXPECT_EQ(in.exit_code, 1) << in.output;
  EXPECT_NE(in.output.find("nothing was restored"), std::string::npos) << in.output;
  EXPECT_NE(in.output.find("no_such_function"), std::string::npos) << in.output;
  EXPECT_EQ(scalar(db, "select count(*) from books"), "7");
  auto missing = catalog(db, "db import " + (cwd.path / "nope.sql").string(), cwd);
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("no such file"), std::string::npos) << missing.output;
}

TEST(db_backup, missing_or_old_pg_dump_is_a_clear_error) {
  temp_dir cwd;
  const auto db = fresh_database();
  auto missing = catalog(db, "db export", cwd, "PATH=/nonexistent");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("pg_dump not found on PATH"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(cwd.path / "db"));
  auto escaping = catalog(db, "db export --env ../../x", cwd);
  EXPECT_EQ(escaping.exit_code, 1) << escaping.output;
  EXPECT_NE(escaping.output.find("not a usable environment name"), std::string::npos) << escaping.output;

  // A pg_dump reporting major version 9 next to the real psql: older than the server.
  const fs::path bin = cwd.path / "bin";
  fs::create_directories(bin);
  std::ofstream(bin / "pg_dump") << "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n";
  fs::permissions(bin / "pg_dump", fs::perms::owner_all);
  fs::create_symlink("/usr/bin/psql", bin / "psql");
  auto old = catalog(db, "db export", cwd, "PATH='" + bin.string() + ":/usr/bin:/bin'");
  EXPECT_EQ(old.exit_code, 1) << old.output;
  EXPECT_NE(old.output.find("pg_dump 9 is older than the server (PostgreSQL 1"), std::string::npos) << old.output;
  EXPECT_FALSE(fs::exists(cwd.path / "db"));
  EXPECT_EQ(old.output.find("test-pass"), std::string::npos) << old.output;
}

}  // namespace
