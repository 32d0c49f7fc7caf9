// The exchange driver: actions issued, results fed, concurrent actions, many exchanges
// interleaved, cancellation, unknown ids.

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "exchange/engine.h"

namespace edgefn::exchange {
namespace {

request make_request(std::string target) {
  request r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

action_result ok(action_id id, std::string body = {}) {
  action_result r;
  r.id = id;
  r.http_status = 200;
  r.body.append(body);
  return r;
}

object_delete del(std::string key) { return object_delete{std::move(key)}; }

// One action, then a response built from its result.
task<response> echo_one(context& ctx) {
  action_result r = co_await ctx.perform(del(ctx.req().target));
  co_return response{200, {}, std::string(r.body.view())};
}

// Three actions at once, then a second round.
task<response> fan_out(context& ctx) {
  std::vector<action_body> batch;
  for (const char* k : {"a", "b", "c"}) batch.push_back(del(k));
  std::vector<action_result> rs = co_await ctx.perform_all(std::move(batch));
  std::string body;
  for (const auto& r : rs) body += std::string(r.body.view());
  action_result last = co_await ctx.perform(del("d"));
  body += std::string(last.body.view());
  co_return response{200, {}, body};
}

task<std::string> nested(context& ctx, std::string key) {
  action_result r = co_await ctx.perform(del(std::move(key)));
  co_return std::string(r.body.view());
}

task<response> two_sequential(context& ctx) {
  std::string a = co_await nested(ctx, ctx.req().target + "/1");
  std::string b = co_await nested(ctx, ctx.req().target + "/2");
  ctx.log("done " + a + b);
  co_return response{200, {}, a + b};
}

task<response> no_actions(context&) { co_return response{204, {}, {}}; }

TEST(engine_test, synchronous_handler_finishes_in_start) {
  engine e(no_actions);
  const auto id = e.start(make_request("/"), "r1", 1000);
  EXPECT_FALSE(e.next_action());
  auto f = e.next_response();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->exchange, id);
  EXPECT_EQ(f->resp.status, 204);
  EXPECT_EQ(e.active(), 0u);
}

TEST(engine_test, one_action_then_response) {
  engine e(echo_one);
  e.start(make_request("/x"), "r1", 1000);
  auto a = e.next_action();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind(), action_kind::delete_object);
  EXPECT_EQ(std::get<object_delete>(a->body).key, "/x");
  EXPECT_FALSE(e.next_response());
  EXPECT_TRUE(e.complete(ok(a->id, "hello"), 1001));
  auto f = e.next_response();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->resp.body, "hello");
  EXPECT_FALSE(e.complete(ok(a->id, "again"), 1002)) << "a result is accepted once";
}

TEST(engine_test, concurrent_actions_are_issued_together_and_resume_once) {
  engine e(fan_out);
  e.start(make_request("/"), "r1", 0);
  std::vector<action> issued;
  while (auto a = e.next_action()) issued.push_back(std::move(*a));
  ASSERT_EQ(issued.size(), 3u) << "all three before any result";
  // Results arrive in reverse order; the handler sees them in issue order.
  EXPECT_TRUE(e.complete(ok(issued[2].id, "C"), 1));
  EXPECT_FALSE(e.next_action());
  EXPECT_TRUE(e.complete(ok(issued[0].id, "A"), 2));
  EXPECT_FALSE(e.next_action());
  EXPECT_TRUE(e.complete(ok(issued[1].id, "B"), 3));
  auto d = e.next_action();
  ASSERT_TRUE(d);
  EXPECT_EQ(std::get<object_delete>(d->body).key, "d");
  EXPECT_TRUE(e.complete(ok(d->id, "D"), 4));
  auto f = e.next_response();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->resp.body, "ABCD");
}

TEST(engine_test, many_exchanges_interleave_without_sharing_state) {
  engine e(two_sequential);
  constexpr int n = 200;
  for (int i = 0; i < n; ++i) e.start(make_request("/" + std::to_string(i)), "r", i);
  EXPECT_EQ(e.active(), static_cast<std::size_t>(n));
  std::vector<action> pending;
  std::size_t logs = 0, finished = 0;
  auto drain = [&] {
    while (auto a = e.next_action()) {
      if (a->kind() == action_kind::log) ++logs;
      else pending.push_back(std::move(*a));
    }
    while (auto f = e.next_response()) {
      ++finished;
      const auto& b = f->resp.body;
      // "/i/1" + "/i/2": each exchange saw only its own results
      const auto half = b.size() / 2;
      EXPECT_EQ(b.substr(0, half - 1), b.substr(half, half - 1)) << b;
    }
  };
  drain();
  std::int64_t now = 1000;
  while (!pending.empty()) {
    // complete in a scrambled order: odd positions first, from the back
    std::vector<action> batch;
    batch.swap(pending);
    std::reverse(batch.begin(), batch.end());
    std::stable_partition(batch.begin(), batch.end(), [](const action& a) { return a.id % 2 == 1; });
    for (auto& a : batch) {
      EXPECT_TRUE(e.complete(ok(a.id, std::get<object_delete>(a.body).key), ++now));
      drain();
    }
  }
  EXPECT_EQ(finished, static_cast<std::size_t>(n));
  EXPECT_EQ(logs, static_cast<std::size_t>(n)) << "log actions need no result";
  EXPECT_EQ(e.active(), 0u);
  EXPECT_EQ(e.awaiting(), 0u);
}

TEST(engine_test, cancel_drops_the_exchange_and_ignores_late_results) {
  engine e(echo_one);
  const auto id = e.start(make_request("/x"), "r1", 0);
  auto a = e.next_action();
  ASSERT_TRUE(a);
  e.cancel(id);
  EXPECT_EQ(e.active(), 0u);
  EXPECT_FALSE(e.complete(ok(a->id), 1));
  EXPECT_FALSE(e.next_response());
}

TEST(engine_test, cancel_removes_unsent_actions) {
  engine e(echo_one);
  const auto id = e.start(make_request("/x"), "r1", 0);
  e.cancel(id);
  EXPECT_FALSE(e.next_action());
}

TEST(engine_test, unknown_action_id_is_ignored) {
  engine e(echo_one);
  EXPECT_FALSE(e.complete(ok(12345), 0));
}

TEST(engine_test, context_tracks_time_and_sql_actions) {
  engine e([](context& ctx) -> task<response> {
    sql_call s;
    s.body = "{}";
    std::vector<action_body> two;
    two.push_back(s);
    two.push_back(s);
    co_await ctx.perform_all(std::move(two));
    co_return response{200, {}, std::to_string(ctx.sql_actions()) + " " +
                                    std::to_string(ctx.now_ms() - ctx.started_ms())};
  });
  e.start(make_request("/"), "r", 5000);
  auto a = e.next_action();
  auto b = e.next_action();
  ASSERT_TRUE(a && b);
  e.complete(ok(a->id), 5010);
  e.complete(ok(b->id), 5042);
  auto f = e.next_response();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->resp.body, "2 42");
}

}  // namespace
}  // namespace edgefn::exchange

namespace edgefn::exchange {
namespace {

// Heap-allocated strings in the operand of co_await (GCC 12 has had bugs with temporaries
// there): the action must own its bytes after the coroutine resumes.
task<response> long_keys(context& ctx) {
  const std::string key(200, 'k');
  action_body body = object_delete{key};
  action_result r = co_await ctx.perform(std::move(body));
  co_return response{200, {}, std::string(r.body.view())};
}

TEST(engine_test, actions_own_their_bytes) {
  engine e(long_keys);
  e.start(make_request("/"), "r", 0);
  auto a = e.next_action();
  ASSERT_TRUE(a);
  e.complete(ok(a->id, std::string(300, 'b')), 1);
  EXPECT_EQ(std::get<object_delete>(a->body).key, std::string(200, 'k'));
  auto f = e.next_response();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->resp.body.size(), 300u);
}

}  // namespace
}  // namespace edgefn::exchange
