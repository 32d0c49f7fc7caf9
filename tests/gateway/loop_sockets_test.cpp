// Postgres sockets registered with the event loops (sql_handler.cpp: pg_watch): a connection's
// socket stays registered with the loop that last ran a query on it, and its registration must
// go before the pool closes it (its descriptor number is reused by the next connection), when
// another loop takes it, or when the worker path does. Churned here on purpose: two loops, a
// pool that keeps one idle connection (so most are closed and reopened, on reused descriptor
// numbers), backends killed behind the gateway's back, and batches on the worker path mixed
// in. A stale registration shows up as a request that hangs or fails.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gateway/http_server.h"
#include "gateway/pg_pool.h"
#include "gateway/sql_handler.h"
#include "gateway_client.h"
#include "support/test_env.h"

namespace edgefn::gateway_test {
namespace {

using namespace std::chrono_literals;

/// The gateway as `edgefn gateway` wires it (queries on the loops), with two loops and a pool
/// that keeps at most one idle connection.
class churning_gateway {
 public:
  churning_gateway()
      : pool_(pool_settings()), handler_(sql_settings(), pool_),
        server_(http_settings(), [this](const gateway::http_request& r,
                                        const gateway::client_link& c) {
          return handler_.handle(r, c);
        }) {
    server_.set_error_responder([this](int status, std::string_view message, std::string_view) { return handler_.reject(status, message); });
    server_.set_loop_handler([this](const gateway::http_request& r, const gateway::client_link& c,
                                    const httpd::loop_services& s, httpd::responder done) {
      return handler_.handle_on_loop(r, c, s, std::move(done));
    });
    std::string error;
    if (!server_.listen(error)) throw std::runtime_error(error);
    server_.start();
  }
  ~churning_gateway() { server_.stop(); }
  churning_gateway(const churning_gateway&) = delete;
  churning_gateway& operator=(const churning_gateway&) = delete;

  /// The application_name of this gateway's connections (unique per test process).
  [[nodiscard]] static const std::string& application_name() {
    static const std::string name = "edgefn-gateway-churn-" + std::to_string(::getpid());
    return name;
  }

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/sql";
  }

 private:
  static gateway::pool_config pool_settings() {
    gateway::pool_config c;
    c.max_idle_per_key = 1;
    // Its own name: the test kills this gateway's idle backends, never those of the shared
    // gateway that tests running at the same time use (they failed with 503s when it did).
    c.application_name = application_name();
    return c;
  }
  static gateway::sql_config sql_settings() {
    gateway::sql_config c;
    c.pg_host = testing::test_env::get().pg_host;
    c.pg_port = testing::test_env::get().pg_port;
    c.log_requests = false;
    return c;
  }
  static gateway::http_config http_settings() {
    gateway::http_config c;
    c.loops = 2;
    return c;
  }
  gateway::pg_pool pool_;
  gateway::sql_handler handler_;
  gateway::http_server server_;
};

TEST(GatewayLoopSockets, ConnectionsClosedReopenedKilledAndMovedBetweenLoopsKeepAnswering) {
  churning_gateway gw;
  const header_list headers = {conn_header()};
  constexpr int k_clients = 8;
  constexpr int k_requests = 60;
  std::atomic<int> answered{0};
  std::atomic<int> wrong{0};
  std::atomic<bool> done{false};
  std::atomic<int> killed{0};
  // Kills the gateway's idle backends now and then: the pool finds them dead (or a query
  // fails on one) and opens new connections.
  std::thread killer([&] {
    direct_pg pg;
    while (!done) {
      killed += std::atoi(pg.scalar("select count(pg_terminate_backend(pid)) from pg_stat_activity where "
                                    "application_name = '" + churning_gateway::application_name() +
                                    "' and state = 'idle'")
                              .c_str());
      std::this_thread::sleep_for(50ms);
    }
  });
  std::vector<std::thread> clients;
  for (int c = 0; c < k_clients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < k_requests; ++i) {
        const int n = c * 1000 + i;
        const bool batch = i % 10 == 9;  // a batch runs on a worker, blocking
        const std::string body =
            batch ? R"({"queries":[{"query":"select $1::int as n","params":[)" +
                        std::to_string(n) + "]}]}"
                  : R"({"query":"select $1::int as n","params":[)" + std::to_string(n) + "]}";
        const reply r = post(body, headers, gw.url());
        // A query on a backend killed under it may fail (503/500/400): it must still answer.
        if (r.status == 200) {
          ++answered;
          if (r.body.find("\"n\":" + std::to_string(n)) == std::string::npos) ++wrong;
        } else if (r.status == 0) {
          ++wrong;  // no answer at all (timed out or reset)
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  done = true;
  killer.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(killed.load(), 0) << "no backend of this gateway was killed: the test churned nothing";
  // Most requests find a live connection; the killed ones are few.
  EXPECT_GT(answered.load(), k_clients * k_requests / 2);
  // And afterwards, with nothing killed, every request is answered.
  for (int i = 0; i < 40; ++i) {
    const reply r = post(R"({"query":"select 7 as n"})", headers, gw.url());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("\"n\":7"), std::string::npos) << r.body;
  }
}

}  // namespace
}  // namespace edgefn::gateway_test
