// Overload and an unavailable database: active connections per pool key are bounded (a wait
// queue with a deadline), types are looked up on the connection in hand, and "database
// unavailable" (refused, 08xxx, 53xxx, 57P01-57P03, connection lost) answers 503 with
// Retry-After, never 500 or 400.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <vector>

#include "gateway/http_server.h"
#include "gateway/pg_errors.h"
#include "gateway/pg_pool.h"
#include "gateway/sql_handler.h"
#include "gateway_client.h"
#include "support/test_env.h"

namespace edgefn::gateway_test {
namespace {

using namespace std::chrono_literals;
using testing::test_env;

/// An in-process gateway with the given pool limits in front of the fixture Postgres (or of
/// `pg_port` when given).
class local_gateway {
 public:
  explicit local_gateway(gateway::pool_config pool, std::string pg_port = {})
      : pool_(pool),
        handler_(make_sql_config(std::move(pg_port)), pool_),
        server_(gateway::http_config{},
                [this](const gateway::http_request& r, const gateway::client_link& c) {
                  return handler_.handle(r, c);
                }) {
    std::string error;
    if (!server_.listen(error)) throw std::runtime_error(error);
    server_.start();
  }
  ~local_gateway() { server_.stop(); }
  local_gateway(const local_gateway&) = delete;
  local_gateway& operator=(const local_gateway&) = delete;
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/sql";
  }

 private:
  static gateway::sql_config make_sql_config(std::string pg_port) {
    gateway::sql_config c;
    c.pg_host = test_env::get().pg_host;
    c.pg_port = pg_port.empty() ? test_env::get().pg_port : std::move(pg_port);
    c.log_requests = false;
    return c;
  }
  gateway::pg_pool pool_;
  gateway::sql_handler handler_;
  gateway::http_server server_;
};

gateway::pool_config limits(std::size_t max_per_key, std::chrono::milliseconds wait) {
  gateway::pool_config c;
  c.max_connections_per_key = max_per_key;
  c.acquire_timeout = wait;
  return c;
}

/// A login role with a Postgres connection limit (a fresh name per call).
std::string capped_role(int connection_limit) {
  static std::atomic<int> n{0};
  const std::string name =
      "capped_" + std::to_string(::getpid()) + "_" + std::to_string(n.fetch_add(1));
  direct_pg pg;
  pg.exec("create role " + name + " login password 'pw' connection limit " +
          std::to_string(connection_limit));
  pg.exec("grant all on schema public to " + name);
  return name;
}

header_list role_headers(const std::string& role) {
  const auto& env = test_env::get();
  return {{"Neon-Connection-String", "postgres://" + role + ":pw@localhost:" + env.pg_port + "/" +
                                         env.pg_database}};
}

void expect_unavailable(const reply& r, const std::string& what) {
  EXPECT_EQ(r.status, 503) << what << ": " << r.body;
  EXPECT_EQ(r.header("retry-after"), "1") << what;
  EXPECT_EQ(r.header("content-type"), "application/json") << what;
}

TEST(GatewayOverload, ActiveConnectionsPerKeyAreBoundedAndQueued) {
  // Postgres lets this role have 4 connections; the gateway must never try a 5th.
  const std::string role = capped_role(4);
  local_gateway gw(limits(4, 20s));
  constexpr int k_requests = 40;
  std::atomic<int> ok{0};
  std::vector<std::string> failures(k_requests);
  std::vector<std::thread> threads;
  for (int i = 0; i < k_requests; ++i) {
    threads.emplace_back([&, i] {
      const reply r = post(R"j({"query":"select pg_sleep(0.05), 1 as x"})j", role_headers(role),
                           gw.url());
      if (r.status == 200) ++ok;
      else failures[static_cast<std::size_t>(i)] = std::to_string(r.status) + " " + r.body;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), k_requests);
  for (const auto& f : failures) EXPECT_EQ(f, "");
}

TEST(GatewayOverload, QueueDeadlineAnswers503WithRetryAfter) {
  local_gateway gw(limits(1, 300ms));
  std::thread holder([&] {
    (void)post(R"j({"query":"select pg_sleep(2)"})j", {conn_header()}, gw.url());
  });
  std::this_thread::sleep_for(500ms);
  const auto start = std::chrono::steady_clock::now();
  const reply r = post(R"({"query":"select 1"})", {conn_header()}, gw.url());
  const auto waited = std::chrono::steady_clock::now() - start;
  expect_unavailable(r, "queue deadline");
  EXPECT_LT(waited, 1500ms);
  EXPECT_GE(waited, 250ms);
  holder.join();
  EXPECT_EQ(post(R"({"query":"select 1"})", {conn_header()}, gw.url()).status, 200);
}

TEST(GatewayOverload, TypesAreLookedUpOnTheConnectionInHand) {
  // One connection allowed: a second one for the pg_type lookup would be refused.
  const std::string role = capped_role(1);
  direct_pg pg;
  const std::string type = role + "_mood";
  pg.exec("create type " + type + " as enum ('ok', 'sad')");
  pg.exec("alter type " + type + " owner to " + role);
  local_gateway gw(limits(1, 5s));
  const reply r = post(R"({"query":"select array['ok'::)" + type + R"(, 'sad'] as m"})",
                       role_headers(role), gw.url());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(rows_of(r.body), R"([{"m":["ok","sad"]}])");
}

TEST(GatewayOverload, TooManyConnectionsIs503) {
  const std::string role = capped_role(1);
  const auto& env = test_env::get();
  PGconn* held = PQconnectdb(("host=" + env.pg_host + " port=" + env.pg_port + " user=" + role +
                              " password=pw dbname=" + env.pg_database)
                                 .c_str());
  ASSERT_EQ(PQstatus(held), CONNECTION_OK);
  const reply r = post(R"({"query":"select 1"})", role_headers(role));
  expect_unavailable(r, "53300");
  EXPECT_EQ(error_field(r.body, "code"), "53300");
  PQfinish(held);
}

TEST(GatewayOverload, RefusedConnectionIs503) {
  // Port 1 (tcpmux): nothing listens there on a test machine.
  local_gateway gw(limits(4, 1s), "1");
  const reply r = post(R"({"query":"select 1"})", {conn_header()}, gw.url());
  expect_unavailable(r, "connection refused");
  EXPECT_EQ(error_field(r.body, "code"), "");
}

TEST(GatewayOverload, TerminatedBackendIs503) {
  const std::string marker = "terminate_me_" + std::to_string(std::random_device{}());
  std::thread killer([&] {
    direct_pg pg;
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(100ms);
      const std::string n = pg.scalar(
          "select count(pg_terminate_backend(pid)) from pg_stat_activity where query like "
          "'%" + marker + "%' and pid <> pg_backend_pid()");
      if (n != "0") return;
    }
  });
  const reply r = sql(R"j({"query":"select pg_sleep(10) /* )j" + marker + R"( */"})");
  killer.join();
  expect_unavailable(r, "57P01");
  EXPECT_EQ(error_field(r.body, "code"), "57P01");
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayErrors, UnavailableSqlstates) {
  for (const char* code : {"08000", "08001", "08003", "08004", "08006", "53000", "53100",
                           "53200", "53300", "53400", "57P01", "57P02", "57P03"}) {
    EXPECT_TRUE(gateway::sqlstate_unavailable(code)) << code;
  }
  for (const char* code : {"", "08P01", "57014", "57P04", "57000", "42601", "23505", "40001",
                           "5", "0800"}) {
    EXPECT_FALSE(gateway::sqlstate_unavailable(code)) << code;
  }
}

TEST(GatewayErrors, ConnectMessagesAreClassified) {
  using gateway::connect_failure_sqlstate;
  EXPECT_EQ(connect_failure_sqlstate("sorry, too many clients already"), "53300");
  EXPECT_EQ(connect_failure_sqlstate("too many connections for role \"x\""), "53300");
  EXPECT_EQ(connect_failure_sqlstate("the database system is starting up"), "57P03");
  EXPECT_EQ(connect_failure_sqlstate("the database system is shutting down"), "57P03");
  EXPECT_EQ(connect_failure_sqlstate("the database system is in recovery mode"), "57P03");
  EXPECT_EQ(connect_failure_sqlstate("the database system is not yet accepting connections"),
            "57P03");
  EXPECT_EQ(connect_failure_sqlstate("terminating connection due to administrator command"),
            "57P01");
  EXPECT_EQ(connect_failure_sqlstate("no pg_hba.conf entry for host"), "");
}

}  // namespace
}  // namespace edgefn::gateway_test
