// The native `cached` pool: freshness windows, per-table invalidation, no stale stores.

#include <gtest/gtest.h>

#include "host/sql_cache.h"

namespace edgefn::host {
namespace {

const std::vector<std::string> k_items{"items"};

TEST(sql_cache_test, fresh_then_stale_then_gone) {
  sql_cache c;
  c.store("k", k_items, c.begin(k_items), 200, "body", 1000);
  EXPECT_EQ(c.lookup("k", 1000).state, sql_cache::freshness::fresh);
  EXPECT_EQ(c.lookup("k", 60'999).state, sql_cache::freshness::fresh);
  EXPECT_EQ(c.lookup("k", 61'000).state, sql_cache::freshness::stale) << "max_age 60 s";
  EXPECT_EQ(c.lookup("k", 75'999).body, "body");
  EXPECT_EQ(c.lookup("k", 76'000).state, sql_cache::freshness::miss) << "swr 15 s";
  EXPECT_EQ(c.size(), 0u);
}

TEST(sql_cache_test, only_small_2xx_results_are_stored) {
  sql_cache c(cache_options{60'000, 15'000, 10, 8});
  c.store("err", k_items, c.begin(k_items), 400, "{}", 0);
  c.store("big", k_items, c.begin(k_items), 200, "123456789", 0);
  EXPECT_EQ(c.size(), 0u);
}

TEST(sql_cache_test, writes_invalidate_reads_of_their_tables_only) {
  sql_cache c;
  c.store("items-read", k_items, c.begin(k_items), 200, "a", 0);
  c.store("other-read", {"users"}, c.begin({"users"}), 200, "b", 0);
  c.invalidate(k_items);
  EXPECT_EQ(c.lookup("items-read", 1).state, sql_cache::freshness::miss);
  EXPECT_EQ(c.lookup("other-read", 1).state, sql_cache::freshness::fresh);
}

TEST(sql_cache_test, a_bookmarked_lookup_finds_only_entries_fetched_for_that_bookmark_or_a_later_one) {
  sql_cache c;
  c.store("k", k_items, c.begin(k_items), 200, "before", 0);  // fetched without a bookmark
  EXPECT_EQ(c.lookup("k", 1).state, sql_cache::freshness::fresh) << "no bookmark: today's semantics";
  EXPECT_EQ(c.lookup("k", 1, 100).state, sql_cache::freshness::miss);
  EXPECT_EQ(c.size(), 1u) << "the entry stays for readers without a bookmark";
  c.store("k", k_items, c.begin(k_items), 200, "after", 2, 100);
  EXPECT_EQ(c.lookup("k", 3, 100).body, "after");
  EXPECT_EQ(c.lookup("k", 3, 99).body, "after");
  EXPECT_EQ(c.lookup("k", 3, 101).state, sql_cache::freshness::miss);
  EXPECT_EQ(c.lookup("k", 3).body, "after");
}

TEST(sql_cache_test, a_read_that_started_before_a_write_is_not_stored) {
  sql_cache c;
  auto ticket = c.begin(k_items);  // read sent
  c.invalidate(k_items);           // a write lands meanwhile
  c.store("k", k_items, ticket, 200, "pre-write rows", 5);
  EXPECT_EQ(c.lookup("k", 6).state, sql_cache::freshness::miss);
  c.store("k", k_items, c.begin(k_items), 200, "fresh rows", 7);
  EXPECT_EQ(c.lookup("k", 8).body, "fresh rows");
}

}  // namespace
}  // namespace edgefn::host
