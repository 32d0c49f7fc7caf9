// Server checklist items 37-39 (no session state survives a request) and 42 (cancellation).
#include <gtest/gtest.h>

#include <unistd.h>

#include <thread>

#include "gateway_client.h"

namespace edgefn::gateway_test {
namespace {

TEST(GatewaySession, Item37_BareBeginIsRolledBack) {
  ASSERT_EQ(sql(R"({"query":"begin"})").status, 200);
  const reply a = sql(R"({"query":"select pg_current_xact_id()::text x"})");
  const reply b = sql(R"({"query":"select pg_current_xact_id()::text x"})");
  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(b.status, 200);
  EXPECT_NE(rows_of(a.body), rows_of(b.body));
}

TEST(GatewaySession, Item38_SettingsAreReset) {
  const reply batch = sql(
      R"({"queries":[{"query":"SET IntervalStyle='iso_8601'"},{"query":"select '0'::interval i"}]})");
  ASSERT_EQ(batch.status, 200);
  EXPECT_NE(batch.body.find(R"("rows":[{"i":"PT0S"}])"), std::string::npos) << batch.body;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rows_of(sql(R"({"query":"select '0'::interval i"})").body), R"([{"i":"00:00:00"}])");
  }
  ASSERT_EQ(sql(R"({"query":"set statement_timeout = 1"})").status, 200);
  EXPECT_EQ(rows_of(sql(R"({"query":"show statement_timeout"})").body),
            R"([{"statement_timeout":"0"}])");
}

TEST(GatewaySession, Item39_TempTablesDoNotSurvive) {
  ASSERT_EQ(sql(R"j({"query":"create temp table gw_tmp(x int)"})j").status, 200);
  for (int i = 0; i < 3; ++i) {
    const reply r = sql(R"({"query":"select * from gw_tmp"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(error_field(r.body, "code"), "42P01");
  }
}

TEST(GatewaySession, FailedQueryDoesNotPoisonPool) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sql(R"({"query":"select 1/0"})").status, 400);
    EXPECT_EQ(rows_of(sql(R"({"query":"select 7 as x"})").body), R"([{"x":7}])");
  }
}

TEST(GatewaySession, KilledBackendIsNotReused) {
  const reply pid = sql(R"({"query":"select pg_backend_pid()::text p"})");
  ASSERT_EQ(pid.status, 200);
  direct_pg pg;
  const std::string p = rows_of(pid.body).substr(7, rows_of(pid.body).size() - 10);
  EXPECT_EQ(pg.scalar("select pg_terminate_backend(" + p + ")"), "t");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(rows_of(sql(R"({"query":"select 5 as x"})").body), R"([{"x":5}])");
}

std::string count_marked(direct_pg& pg, const std::string& marker) {
  return pg.scalar("select count(*) from pg_stat_activity where state = 'active' and query like '%" +
                   marker + "%' and pid <> pg_backend_pid()");
}

TEST(GatewaySession, Item42_ClientDisconnectCancelsQuery) {
  const std::string marker = "gw_cancel_marker_" + std::to_string(::getpid());
  const std::string body = R"({"query":"select pg_sleep(30) /* )" + marker + R"( */"})";
  const auto [name, conn] = conn_header();
  const int fd = connect_tcp(gateway_port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "POST /sql HTTP/1.1\r\nHost: x\r\n" + name + ": " + conn +
                               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                               body));
  direct_pg pg;
  bool running = false;
  for (int i = 0; i < 100 && !running; ++i) {
    running = count_marked(pg, marker) == "1";
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(running);
  ::close(fd);
  const auto closed_at = std::chrono::steady_clock::now();
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() - closed_at < std::chrono::seconds(2)) {
    gone = count_marked(pg, marker) == "0";
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(gone) << "pg_sleep still running 2 s after the client went away";
  EXPECT_EQ(sql(R"({"query":"select 1 as x"})").status, 200);
}

}  // namespace
}  // namespace edgefn::gateway_test
