// `db pull` in the core: what the C++ schema layer cannot declare is left out with a note
// naming it, identifiers that would clash are renamed, and the namespace is validated.

#include <gtest/gtest.h>

#include <string>

#include "migrate/pull.h"

namespace mg = edgefn::migrate;
namespace db = edgefn::db;

namespace {

db::schema_model odd_schema() {
  db::schema_model s;
  db::table_model t;
  t.name = "odd things";
  t.columns.push_back({"id", "serial", "", true, true, std::nullopt, false});
  t.columns.push_back({"name", "text", "", false, true, std::nullopt, false});
  t.columns.push_back({"class", "smallint", "", false, false, std::nullopt, false});
  t.columns.push_back({"2nd", "integer", "", false, false, std::string("0"), true});
  t.indexes.push_back({"lower_idx", {{"lower(name)", true}}, false, false, "btree"});
  t.indexes.push_back({"name_idx", {{"name"}}, false, false, "btree"});
  t.unique_constraints.push_back({"nnd", {"name"}, true});
  t.foreign_keys.push_back({"custom_fk", "odd things", "other", {"2nd"}, {"id"}, "no action", "no action"});
  s.tables.push_back(std::move(t));
  return s;
}

TEST(pull, left_out_objects_get_one_note_each) {
  auto h = mg::pull_header(odd_schema(), "x");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->notes, (std::vector<std::string>{
                          "column odd things.class has type smallint, which the C++ schema layer cannot declare: left out",
                          "foreign key custom_fk on odd things is not named odd things_2nd_other_id_fk (drizzle's name "
                          "for it): left out",
                          "index lower_idx on odd things uses expressions, an order, NULLS FIRST or a method the C++ "
                          "schema cannot declare: left out",
                          "unique constraint nnd on odd things has NULLS NOT DISTINCT, which the C++ schema cannot "
                          "declare: left out"}));
  // Identifiers: spaces and leading digits made valid, a member named like the table's `name`.
  EXPECT_NE(h->header.find("struct odd_things_table {"), std::string::npos) << h->header;
  EXPECT_NE(h->header.find("static constexpr auto name_col = db::text<&odd_things_row::name>(name, \"name\")"),
            std::string::npos) << h->header;
  EXPECT_NE(h->header.find("std::optional<std::int32_t> _2nd{};"), std::string::npos) << h->header;
  EXPECT_NE(h->header.find(".default_literal(\"0\")"), std::string::npos) << h->header;
  EXPECT_NE(h->header.find("db::index(\"name_idx\").on(name_col)"), std::string::npos) << h->header;
}

TEST(pull, namespace_must_be_a_cpp_name) {
  EXPECT_FALSE(mg::pull_header({}, ""));
  EXPECT_FALSE(mg::pull_header({}, "a b"));
  EXPECT_FALSE(mg::pull_header({}, "a::"));
  EXPECT_FALSE(mg::pull_header({}, "class"));
  EXPECT_TRUE(mg::pull_header({}, "a::b_2"));
}

}  // namespace
