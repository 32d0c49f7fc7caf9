#include "pg/array_literal.h"

#include <gtest/gtest.h>

using edgefn::pg::parse_array_literal;

TEST(array_literal, parses_flat_array_with_nulls_and_quoted_null) {
  auto r = parse_array_literal(R"({a,NULL,"NULL",null," b "})");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->dims, std::vector<std::size_t>{5});
  EXPECT_EQ(r->elements[0], "a");
  EXPECT_EQ(r->elements[1], std::nullopt);
  EXPECT_EQ(r->elements[2], "NULL");
  EXPECT_EQ(r->elements[3], std::nullopt);
  EXPECT_EQ(r->elements[4], " b ");
}

TEST(array_literal, unescapes_quoted_elements) {
  auto r = parse_array_literal(R"({"a\"b","c\\d",e\,f})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->elements[0], "a\"b");
  EXPECT_EQ(r->elements[1], "c\\d");
  EXPECT_EQ(r->elements[2], "e,f");
}

TEST(array_literal, parses_multi_dimensional_and_drops_bounds) {
  auto r = parse_array_literal("{{1,2},{3,4},{5,6}}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->dims, (std::vector<std::size_t>{3, 2}));
  EXPECT_EQ(r->elements.size(), 6u);
  auto b = parse_array_literal("[0:1]={1,2}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->dims, std::vector<std::size_t>{2});
}

TEST(array_literal, empty_array_has_no_dims) {
  auto r = parse_array_literal("{}");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->dims.empty());
  EXPECT_TRUE(r->elements.empty());
}

TEST(array_literal, box_arrays_use_semicolon_delimiter) {
  auto r = parse_array_literal("{(1,1),(0,0);(2,2),(1,1)}", ';');
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->elements[0], "(1,1),(0,0)");
}

TEST(array_literal, rejects_malformed_input_with_an_error_value) {
  for (const char* bad : {"", "1,2", "{1,2", "{\"a}", "{{1,2},{3}}", "{{1},2}", "{1}x", "{,}",
                          "{1,}", "[1:2]{1,2}", "{{}}"}) {
    auto r = parse_array_literal(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, edgefn::errc::parse_error);
    }
  }
}

TEST(array_literal, quotes_elements_like_node_postgres) {
  std::string out;
  edgefn::pg::append_quoted_element(out, "x\"y\\z");
  EXPECT_EQ(out, R"("x\"y\\z")");
}
