#include "base/padded_buffer.h"

#include <gtest/gtest.h>

TEST(padded_buffer, keeps_zeroed_padding_after_growth) {
  edgefn::padded_buffer b;
  std::string big(1000, 'x');
  for (int i = 0; i < 5; ++i) b.append(big);
  EXPECT_EQ(b.size(), 5000u);
  const char* end = b.data() + b.size();
  for (std::size_t i = 0; i < simdjson::SIMDJSON_PADDING; ++i) EXPECT_EQ(end[i], 0);
  EXPECT_GE(b.padded_view().capacity(), b.size() + simdjson::SIMDJSON_PADDING);
}

TEST(padded_buffer, prepare_and_commit_write_in_place) {
  edgefn::padded_buffer b("ab");
  auto span = b.prepare(3);
  span[0] = 'c';
  b.commit(1);
  EXPECT_EQ(b.view(), "abc");
  simdjson::ondemand::parser p;
  edgefn::padded_buffer json(R"({"k":[1,2]})");
  auto doc = p.iterate(json.padded_view());
  int64_t v = 0;
  ASSERT_EQ(doc["k"].at(1).get_int64().get(v), simdjson::SUCCESS);
  EXPECT_EQ(v, 2);
}
