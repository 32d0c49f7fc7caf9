// The native `cached` pool: freshness windows, per-table invalidation, no stale stores, a bound
// on total bytes with a per-entry cap, least-recently-used eviction.

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
  sql_cache c(cache_options{60'000, 15'000, 1 << 20, 8});
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

// Options in field order: max_age_ms, stale_while_revalidate_ms, max_bytes, max_entry_bytes.
constexpr std::int64_t k_age = 60'000, k_swr = 15'000;

TEST(sql_cache_test, total_bytes_stay_bounded_whatever_the_number_of_keys) {
  // One user paging with distinct cursors: many distinct keys of near-maximal entries.
  sql_cache c(cache_options{k_age, k_swr, 100'000, 10'000});
  const std::string body(9'000, 'x');
  for (int i = 0; i < 1000; ++i) c.store("cursor-" + std::to_string(i), k_items, c.begin(k_items), 200, body, i);
  EXPECT_LE(c.size(), 11u) << "100 kB hold at most 11 bodies of 9 kB";
  EXPECT_LE(c.bytes(), 100'000u);
  EXPECT_GE(c.size(), 5u) << "still caches";
  EXPECT_EQ(c.lookup("cursor-999", 1000).body, body) << "the newest entry is kept";
}

TEST(sql_cache_test, the_least_recently_used_entry_is_evicted_first) {
  sql_cache c(cache_options{k_age, k_swr, 4'000, 1'500});
  const std::string body(1'000, 'b');
  c.store("a", k_items, c.begin(k_items), 200, body, 0);
  c.store("b", k_items, c.begin(k_items), 200, body, 1);
  c.store("c", k_items, c.begin(k_items), 200, body, 2);
  ASSERT_EQ(c.lookup("a", 3).state, sql_cache::freshness::fresh);  // a is now the most recent
  c.store("d", k_items, c.begin(k_items), 200, body, 4);
  EXPECT_EQ(c.lookup("b", 5).state, sql_cache::freshness::miss) << "b was the least recently used";
  EXPECT_EQ(c.lookup("a", 5).state, sql_cache::freshness::fresh);
  EXPECT_EQ(c.lookup("d", 5).state, sql_cache::freshness::fresh);
}

TEST(sql_cache_test, replacing_an_entry_does_not_count_it_twice) {
  sql_cache c(cache_options{k_age, k_swr, 3'000, 1'500});
  const std::string body(1'000, 'r');
  c.store("a", k_items, c.begin(k_items), 200, body, 0);
  for (int i = 1; i < 10; ++i) c.store("b", k_items, c.begin(k_items), 200, body, i);
  EXPECT_EQ(c.lookup("a", 10).state, sql_cache::freshness::fresh) << "two entries fit";
  EXPECT_EQ(c.size(), 2u);
}

}  // namespace
}  // namespace edgefn::host
