// `<app> serve` over real sockets: a client that sends a whole request and then shuts down its
// write side (half-close) still gets the response, and the write it asked for happens once;
// slow clients hold no thread (300 of them dripping their heads do not delay a real request).
// Runs the wardrobe binary (EDGEFN_APP_BIN) against the fixture's gateway and Postgres.

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "support/slow_clients.h"
#include "support/test_env.h"
#include "support/loopback.h"

namespace edgefn::testing {
namespace {

constexpr const char* k_db = "edgefn_half_close";
constexpr const char* k_secret = "dev-secret-for-half-close";

/// Runs `sql` on `conn`; returns the first cell of the result ("" when none).
std::string pg_query(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  const auto st = PQresultStatus(r);
  EXPECT_TRUE(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) << sql << ": " << PQerrorMessage(conn);
  std::string out = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  return out;
}

PGconn* pg_connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  return conn;
}

std::string app_env() {
  const auto& env = test_env::get();
  return "DATABASE_URL='" + env.connection_string(k_db) + "' NEON_FETCH_ENDPOINT='" + env.gateway_url +
         "' AUTH_DEV_SECRET='" + k_secret + "' ";
}

std::string app_bin() {
  const char* bin = std::getenv("EDGEFN_APP_BIN");
  return bin ? bin : "";
}

/// `<app> serve --port 0` in the background; its port is read from the line it logs.
class serve_process {
 public:
  serve_process() {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 2);
      ::close(out[0]);
      const std::string cmd = app_env() + "exec '" + app_bin() + "' serve --port 0";
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    err_fd_ = out[0];
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
      pollfd p{err_fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[512];
      const ssize_t n = ::read(err_fd_, buf, sizeof buf);
      if (n <= 0) break;
      seen.append(buf, static_cast<std::size_t>(n));
      const auto at = seen.find("listening on http://127.0.0.1:");
      if (at != std::string::npos && seen.find('\n', at) != std::string::npos)
        port_ = std::atoi(seen.c_str() + at + std::string_view("listening on http://127.0.0.1:").size());
    }
  }
  ~serve_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (err_fd_ >= 0) ::close(err_fd_);
  }
  serve_process(const serve_process&) = delete;
  serve_process& operator=(const serve_process&) = delete;
  [[nodiscard]] int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int err_fd_ = -1;
  int port_ = 0;
};

std::string cli_token(const std::string& sub) {
  const std::string cmd = app_env() + "'" + app_bin() + "' token --sub " + sub + " --ttl 300 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

/// Everything the server sends until it closes (or `limit` passes).
std::string read_until_close(int fd, std::chrono::seconds limit) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

TEST(half_close_test, a_whole_request_runs_to_completion_and_is_answered) {
  ASSERT_FALSE(app_bin().empty()) << "EDGEFN_APP_BIN is not set";
  const auto& env = test_env::get();
  PGconn* admin = pg_connect(env.libpq_conninfo());
  PQclear(PQexec(admin, (std::string("drop database if exists ") + k_db).c_str()));
  pg_query(admin, std::string("create database ") + k_db);
  PQfinish(admin);
  PGconn* db = pg_connect(env.libpq_conninfo(k_db));
  pg_query(db, "create table items (id serial primary key, user_id text not null, name varchar(256), "
               "size varchar(256), type varchar(256), color varchar(256), created_at timestamp default now(), "
               "image_url text not null)");

  const std::string token = cli_token("kp_half");
  ASSERT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
  serve_process serve;
  ASSERT_NE(serve.port(), 0) << "serve did not start";

  // Hold the table so that the insert waits well past the server's client checks (250 ms).
  pg_query(db, "begin");
  pg_query(db, "lock table items in access exclusive mode");

  const std::string body = R"({"name":"half-closed","imageUrl":"https://img.example/images/h.png"})";
  const std::string request = "POST /api/wardrobe HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token +
                              "\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
  const int fd = connect_loopback(serve.port());
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  ASSERT_EQ(::shutdown(fd, SHUT_WR), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  pg_query(db, "commit");  // the insert proceeds

  const std::string response = read_until_close(fd, std::chrono::seconds(20));
  ::close(fd);
  EXPECT_EQ(response.rfind("HTTP/1.1 201 ", 0), 0u) << response;
  EXPECT_NE(response.find("\"half-closed\""), std::string::npos) << response;
  EXPECT_EQ(pg_query(db, "select count(*) from items where user_id = 'kp_half'"), "1");
  PQfinish(db);
}

TEST(half_close_test, a_real_request_is_answered_while_300_slow_clients_drip) {
  ASSERT_FALSE(app_bin().empty()) << "EDGEFN_APP_BIN is not set";
  serve_process serve;
  ASSERT_NE(serve.port(), 0) << "serve did not start";
  constexpr std::size_t k_slow = 300;
  slow_clients slow(serve.port(), k_slow, std::chrono::milliseconds(1000));
  ASSERT_EQ(slow.connected(), k_slow);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ASSERT_GE(slow.dripped(), 2 * k_slow);
  const auto start = std::chrono::steady_clock::now();
  const int fd = connect_loopback(serve.port());
  ASSERT_GE(fd, 0);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  const std::string response = read_until_close(fd, std::chrono::seconds(10));
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  ::close(fd);
  std::printf("[serve] %zu slow clients connected: a real request answered in %.1f ms\n", k_slow,
              static_cast<double>(took.count()) / 1000.0);
  EXPECT_EQ(response.rfind("HTTP/1.1 200 ", 0), 0u) << response;
  EXPECT_NE(response.find(R"({"status":"ok"})"), std::string::npos) << response;
  EXPECT_LT(took, std::chrono::seconds(1)) << "generous for a loaded 2-core machine";
  EXPECT_EQ(slow.still_waiting(), k_slow) << "the slow clients were dropped, not held";
}

}  // namespace
}  // namespace edgefn::testing
