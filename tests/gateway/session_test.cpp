// Server checklist items 37-39 (no session state survives a request) and 42 (cancellation).
#include <gtest/gtest.h>

#include <unistd.h>

#include <thread>

#include "gateway_client.h"
#include "support/test_env.h"

namespace edgefn::gateway_test {
namespace {

// These tests use role `other` so that their pool key is theirs alone: after a pause (the
// pooled connection's reset runs in the background) the next request must get the same
// backend (same pid), which proves the session was reset rather than replaced.
reply other_sql(const std::string& body) {
  const std::string conn = "postgres://other:p%40ss%3Aw%2Frd%3F%23@localhost:" +
                           testing::test_env::get().pg_port + "/edgefn_test";
  return post(body, {{"Neon-Connection-String", conn}, {"Neon-Array-Mode", "true"}});
}

/// The first value of the single row of `body` when it is `[[N,...]]`-shaped, as text.
std::string first_value(const std::string& body) {
  const std::string rows = rows_of(body);
  if (rows.size() < 5) return "<none>";
  return rows.substr(2, rows.find_first_of(",]", 2) - 2);
}

/// The pid of the backend that serves the next request, once it is back in the pool.
std::string backend_pid_after_pause() {
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string pid = first_value(other_sql(R"j({"query":"select pg_backend_pid()"})j").body);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return pid;
}

TEST(GatewaySession, Item37_BareBeginIsRolledBack) {
  const std::string pid = backend_pid_after_pause();
  ASSERT_EQ(other_sql(R"j({"query":"begin"})j").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string q = R"j({"query":"select pg_backend_pid(), pg_current_xact_id()::text"})j";
  const reply a = other_sql(q);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const reply b = other_sql(q);
  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(b.status, 200);
  EXPECT_EQ(first_value(a.body), pid) << "the pooled connection was not reused";
  EXPECT_EQ(first_value(b.body), pid) << "the pooled connection was not reused";
  EXPECT_NE(rows_of(a.body), rows_of(b.body));
}

TEST(GatewaySession, Item38_SettingsAreReset) {
  const reply batch = sql(
      R"j({"queries":[{"query":"SET IntervalStyle='iso_8601'"},{"query":"select '0'::interval i"}]})j");
  ASSERT_EQ(batch.status, 200);
  EXPECT_NE(batch.body.find(R"j("rows":[{"i":"PT0S"}])j"), std::string::npos) << batch.body;
  const std::string pid = backend_pid_after_pause();
  ASSERT_EQ(other_sql(R"j({"queries":[{"query":"SET IntervalStyle='iso_8601'"},{"query":"set statement_timeout = 1234"}]})j").status, 200);
  EXPECT_EQ(backend_pid_after_pause(), pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const reply after = other_sql(
      R"j({"query":"select pg_backend_pid(), '0'::interval, current_setting('statement_timeout')"})j");
  EXPECT_EQ(rows_of(after.body), "[[" + pid + R"j(,"00:00:00","0"]])j");
}

TEST(GatewaySession, Item39_TempTablesDoNotSurvive) {
  const std::string pid = backend_pid_after_pause();
  ASSERT_EQ(other_sql(R"j({"query":"create temp table gw_tmp(x int)"})j").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const reply check =
      other_sql(R"j({"query":"select pg_backend_pid(), to_regclass('pg_temp.gw_tmp')::text"})j");
  EXPECT_EQ(rows_of(check.body), "[[" + pid + ",null]]");
  const reply r = other_sql(R"j({"query":"select * from gw_tmp"})j");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r.body, "code"), "42P01");
}

// A single query's reset runs right behind it (pipelined), not when a background thread gets
// to it: whatever the query left in the session (a session advisory lock, a setting made with
// set_config) is gone, and the same backend serves the next request.
TEST(GatewaySession, SingleQueryStateIsGoneRightAfterIt) {
  const std::string pid = backend_pid_after_pause();
  const reply set = other_sql(
      R"j({"query":"select pg_advisory_lock(424242), set_config('statement_timeout', '4321', false), pg_backend_pid()"})j");
  ASSERT_EQ(set.status, 200) << set.body;
  ASSERT_NE(rows_of(set.body).find("4321"), std::string::npos) << set.body;
  // Postgres released it before it read the next message; a backend descheduled on a loaded
  // machine may take a moment to get there, hence the poll rather than one look.
  direct_pg pg;
  std::string held = "1";
  for (int i = 0; i < 40 && held != "0"; ++i) {
    held = pg.scalar(
        "select count(*) from pg_locks where locktype = 'advisory' and objid = 424242");
    if (held != "0") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(held, "0") << "the advisory lock outlived the request";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // back in the pool
  const reply after =
      other_sql(R"j({"query":"select pg_backend_pid(), current_setting('statement_timeout')"})j");
  EXPECT_EQ(rows_of(after.body), "[[" + pid + R"j(,"0"]])j");
}

TEST(GatewaySession, FailedQueryDoesNotPoisonPool) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sql(R"j({"query":"select 1/0"})j").status, 400);
    EXPECT_EQ(rows_of(sql(R"j({"query":"select 7 as x"})j").body), R"j([{"x":7}])j");
  }
}

TEST(GatewaySession, KilledBackendIsNotReused) {
  const std::string pid = backend_pid_after_pause();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  direct_pg pg;
  EXPECT_EQ(pg.scalar("select pg_terminate_backend(" + pid + ")"), "t");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const reply r = other_sql(R"j({"query":"select 5, pg_backend_pid()"})j");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(first_value(r.body), "5");
  EXPECT_EQ(rows_of(r.body).find(pid), std::string::npos);
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
  EXPECT_EQ(sql(R"j({"query":"select 1 as x"})j").status, 200);
}

}  // namespace
}  // namespace edgefn::gateway_test
