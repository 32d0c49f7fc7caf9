// Slow clients hold no thread: with 300 connections each dripping its request head one byte a
// second (more than the 256 threads the server used to have), a real request to the fixture
// gateway is still answered at once.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "gateway_client.h"
#include "support/slow_clients.h"

namespace edgefn::gateway_test {
namespace {

using namespace std::chrono_literals;

TEST(GatewaySlowClients, ARealRequestIsAnsweredWhile300SlowClientsDrip) {
  constexpr std::size_t k_slow = 300;
  testing::slow_clients slow(gateway_port(), k_slow, 1000ms);
  ASSERT_EQ(slow.connected(), k_slow);
  std::this_thread::sleep_for(2500ms);  // every slow client has sent a few bytes by now
  ASSERT_GE(slow.dripped(), 2 * k_slow);
  const auto start = std::chrono::steady_clock::now();
  const reply r = sql(R"({"query":"select 1 as x"})");
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("[gateway] %zu slow clients connected: a real request answered in %.1f ms\n",
              k_slow, static_cast<double>(took.count()) / 1000.0);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(rows_of(r.body), R"([{"x":1}])");
  // Generous for a loaded 2-core machine; typically a few milliseconds.
  EXPECT_LT(took, 1s);
  EXPECT_EQ(slow.still_waiting(), k_slow) << "the slow clients were dropped, not held";
}

}  // namespace
}  // namespace edgefn::gateway_test
