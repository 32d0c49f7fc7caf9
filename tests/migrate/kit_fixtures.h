#pragma once
// Reading the drizzle-kit fixtures of tests/migrate/data (EDGEFN_MIGRATE_TEST_DATA) in the core
// unit tests: a file's text, a 0.x journal folder cut back to its first migration, a format 7
// snapshot's model, a snapshot's id.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "db/snapshot.h"
#include "migrate/migration.h"
#include "simdjson.h"

namespace edgefn::migrate_test {

namespace mg = edgefn::migrate;
namespace db = edgefn::db;

inline std::string data(const std::string& rel) {
  std::ifstream in(std::string(EDGEFN_MIGRATE_TEST_DATA) + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << rel;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The files of a journal-layout fixture up to migration 0000, with a one-entry journal.
struct kit0_folder {
  std::string journal, sql, snapshot;
  explicit kit0_folder(const std::string& dir) : sql(data(dir + "/0000_init.sql")), snapshot(data(dir + "/meta/0000_snapshot.json")) {
    const std::string full = data(dir + "/meta/_journal.json");
    const auto second = full.find(",\n    {\n      \"idx\": 1");
    journal = full.substr(0, second) + "\n  ]\n}";
  }
  [[nodiscard]] std::vector<mg::source_file> files() const {
    return {{"meta/_journal.json", journal}, {"0000_init.sql", sql}, {"meta/0000_snapshot.json", snapshot}};
  }
};

inline db::schema_model v7(const std::string& text) {
  auto s = db::parse_snapshot(edgefn::padded_buffer(text));
  EXPECT_TRUE(s);
  return s ? s->schema : db::schema_model{};
}

inline std::string id_of(const std::string& snapshot) {
  simdjson::dom::parser p;
  std::string_view id;
  EXPECT_EQ(p.parse(snapshot)["id"].get_string().get(id), simdjson::SUCCESS);
  return std::string(id);
}

}  // namespace edgefn::migrate_test
