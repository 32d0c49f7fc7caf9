#include "base/json_small.h"

#include <gtest/gtest.h>

#include <string>

namespace edgefn::json {
namespace {

TEST(json_small_test, reads_every_kind_of_member) {
  small_doc doc;
  auto root = doc.read(R"({"s":"a\"b\u00e9","n":-12,"t":true,"f":false,"z":null,"a":[1,"x"],"o":{"k":"v"}})");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->find("s").string(), "a\"b\xc3\xa9");
  EXPECT_EQ(root->find("n").int64(), -12);
  EXPECT_EQ(root->find("n").number_text(), "-12");
  EXPECT_EQ(root->find("t").boolean(), true);
  EXPECT_EQ(root->find("f").boolean(), false);
  EXPECT_EQ(root->find("z").type(), kind::null);
  const node a = root->find("a");
  ASSERT_EQ(a.type(), kind::array);
  EXPECT_EQ(a.first().int64(), 1);
  EXPECT_EQ(a.first().next().string(), "x");
  EXPECT_FALSE(a.first().next().next());
  EXPECT_EQ(root->find("o").find("k").string(), "v");
  EXPECT_FALSE(root->find("missing"));
}

TEST(json_small_test, wrong_kinds_read_as_absent) {
  small_doc doc;
  auto root = doc.read(R"({"s":"1","n":1.5,"big":18446744073709551616,"neg":-1,"e":1e3})");
  ASSERT_TRUE(root);
  EXPECT_FALSE(root->find("s").int64());
  EXPECT_FALSE(root->find("s").boolean());
  EXPECT_FALSE(root->find("n").int64());
  EXPECT_FALSE(root->find("n").string());
  EXPECT_FALSE(root->find("big").uint64());
  EXPECT_FALSE(root->find("big").int64());
  EXPECT_FALSE(root->find("neg").uint64());
  EXPECT_EQ(root->find("neg").int64(), -1);
  EXPECT_FALSE(root->find("e").int64());  // as simdjson's get_int64: plain digits only
  EXPECT_FALSE(root->find("s").find("x"));
  EXPECT_FALSE(root->find("s").first());
}

TEST(json_small_test, the_first_of_duplicate_keys_wins) {
  small_doc doc;
  auto root = doc.read(R"({"k":1,"k":2,"o":{"a":"x","a":{"deep":[1]}}})");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->find("k").int64(), 1);
  EXPECT_EQ(root->find("o").find("a").string(), "x");
  int members = 0;
  for (node m = root->first(); m; m = m.next()) ++members;
  EXPECT_EQ(members, 2);
  EXPECT_TRUE(doc.had_duplicate_keys());
  small_doc nested;
  ASSERT_TRUE(nested.read(R"({"a":{"k":1,"k":1}})"));
  EXPECT_TRUE(nested.had_duplicate_keys());
  small_doc plain;
  ASSERT_TRUE(plain.read(R"({"k":1,"o":{"k":2},"a":[{"k":3},{"k":4}]})"));  // one key per object
  EXPECT_FALSE(plain.had_duplicate_keys());
}

TEST(json_small_test, malformed_text_and_other_top_level_values_are_errors) {
  for (const char* text : {"", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":[1,2}", "{\"a\":nul}",
                           "{\"a\":tru}", "{\"a\":\"\\x\"}", "{1:2}"}) {
    small_doc doc;
    auto root = doc.read(text);
    ASSERT_FALSE(root) << text;
    EXPECT_EQ(root.error(), read_error::malformed) << text;
  }
  for (const char* text : {"[]", "1", "\"s\"", "null"}) {
    small_doc doc;
    auto root = doc.read(text);
    ASSERT_FALSE(root) << text;
    EXPECT_EQ(root.error(), read_error::not_object) << text;
  }
}

TEST(json_small_test, read_value_takes_any_top_level_value) {
  {
    small_doc doc;
    EXPECT_EQ(doc.read_value(R"("query is not supported")")->string(), "query is not supported");
  }
  {
    small_doc doc;
    EXPECT_EQ(doc.read_value(" 42 ")->int64(), 42);
  }
  {
    small_doc doc;
    EXPECT_EQ(doc.read_value("[true]")->first().boolean(), true);
  }
  {
    small_doc doc;
    EXPECT_EQ(doc.read_value("null")->type(), kind::null);
  }
  for (const char* text : {"", "nul", "\"a", "1 2", "[1,", "<html>"}) {
    small_doc doc;
    auto v = doc.read_value(text);
    ASSERT_FALSE(v) << text;
    EXPECT_EQ(v.error(), read_error::malformed) << text;
  }
}

TEST(json_small_test, nesting_past_the_limit_is_skipped_not_read) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "[";
  for (int i = 0; i < 1000; ++i) deep += "]";
  small_doc doc;
  auto root = doc.read(R"({"deep":)" + deep + R"(,"after":"ok"})");
  ASSERT_TRUE(root);  // deeper than max_depth: skipped by simdjson, not read into rows
  EXPECT_EQ(root->find("after").string(), "ok");
}

TEST(json_small_test, writes_values_back_as_compact_json) {
  small_doc doc;
  auto root = doc.read(R"({ "kty" : "RSA", "n":"a\/b", "x":[ 1 , 2.50, {"y":null}], "e":{}, "d":true })");
  ASSERT_TRUE(root);
  std::string out;
  root->write(out);
  EXPECT_EQ(out, R"({"kty":"RSA","n":"a/b","x":[1,2.50,{"y":null}],"e":{},"d":true})");
}

}  // namespace
}  // namespace edgefn::json
