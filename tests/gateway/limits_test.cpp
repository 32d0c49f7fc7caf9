// Request and response limits: the param count and nesting limits answer 400 with a JSON
// reason; the 10 MiB response limit applies to every row, the last one included, counting the
// escaped JSON bytes, and a huge row never makes the gateway hold much more than the limit.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gateway_client.h"
#include "support/loopback.h"
#include "support/test_env.h"

namespace edgefn::gateway_test {
namespace {

constexpr const char* k_too_large = "response is too large (max is 10485760 bytes)";

std::string params_body(std::size_t count) {
  std::string body = R"({"query":"select 1","params":[)";
  for (std::size_t i = 0; i < count; ++i) body += i == 0 ? "1" : ",1";
  return body + "]}";
}

std::string nested(const std::string& open, const std::string& close, int depth,
                   const std::string& leaf) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += open;
  s += leaf;
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}

TEST(GatewayLimits, MoreThan65535ParamsIs400WithReason) {
  const reply r = sql(params_body(65536));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body, "message"),
            "could not parse the HTTP request body: too many params (more than 65535, the "
            "Postgres protocol limit)");
  EXPECT_EQ(error_field(r.body, "code"), "");
  // 65535 params reach Postgres, which counts them against the statement's ($1 is absent).
  const reply at_limit = sql(params_body(65535));
  EXPECT_EQ(at_limit.status, 400) << at_limit.body;
  EXPECT_EQ(error_field(at_limit.body, "code"), "08P01");
}

TEST(GatewayLimits, ObjectsAndArraysShareOneNestingLimit) {
  const std::string deep_object = nested(R"({"a":)", "}", 65, "1");
  const reply object = sql(R"({"query":"select $1::jsonb is not null a","params":[)" +
                           deep_object + "]}");
  EXPECT_EQ(object.status, 400) << object.body.substr(0, 200);
  EXPECT_EQ(error_field(object.body, "message"),
            "could not parse the HTTP request body: params nest too deep (more than 64 levels)");
  const reply array = sql(R"({"query":"select $1::text is not null a","params":[)" +
                          nested("[", "]", 65, "1") + "]}");
  EXPECT_EQ(array.status, 400);
  EXPECT_EQ(error_field(array.body, "message"), error_field(object.body, "message"));
  // An object inside an array counts the array's levels too.
  const reply mixed = sql(R"({"query":"select $1::text is not null a","params":[)" +
                          nested("[", "]", 1, nested(R"({"a":)", "}", 64, "1")) + "]}");
  EXPECT_EQ(mixed.status, 400);
  // 64 levels are fine either way.
  EXPECT_EQ(sql(R"({"query":"select $1::jsonb is not null a","params":[)" +
                nested(R"({"a":)", "}", 64, "1") + "]}")
                .status,
            200);
  EXPECT_EQ(sql(R"({"query":"select $1::text is not null a","params":[)" +
                nested("[", "]", 64, "1") + "]}")
                .status,
            200);
  // Brackets inside strings are not nesting.
  EXPECT_EQ(sql(R"({"query":"select $1::jsonb->>'a' a","params":[{"a":")" +
                std::string(100, '[') + R"("}]})")
                .status,
            200);
}

TEST(GatewayLimits, OneRowOverTheLimitIs507) {
  const reply r = sql(R"({"query":"select repeat('x', 11 * 1024 * 1024) as big"})");
  EXPECT_EQ(r.status, 507);
  EXPECT_EQ(error_field(r.body, "message"), k_too_large);
  // The last of several rows counts too.
  const reply last = sql(
      R"({"query":"select case when i = 3 then repeat('x', 10 * 1024 * 1024) else 'a' end from generate_series(1, 3) i"})");
  EXPECT_EQ(last.status, 507);
  EXPECT_EQ(sql(R"({"query":"select repeat('x', 9 * 1024 * 1024) as big"})").status, 200);
}

TEST(GatewayLimits, EscapedBytesCount) {
  // 6 MiB of quotes on the wire, 12 MiB once escaped for JSON.
  const reply quotes = sql(R"({"query":"select repeat('\"', 6 * 1024 * 1024) as q"})");
  EXPECT_EQ(quotes.status, 507);
  EXPECT_EQ(error_field(quotes.body, "message"), k_too_large);
  // A batch's results add up.
  const reply batch = sql(R"j({"queries":[{"query":"select repeat('x', 6 * 1024 * 1024)"},)j"
                          R"j({"query":"select repeat('x', 6 * 1024 * 1024)"}]})j");
  EXPECT_EQ(batch.status, 507);
}

/// A /proc/PID/status value in kB ("VmRSS", "VmHWM"), or -1.
long proc_kb(long pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
  }
  return -1;
}

/// The fixture gateway's process id (EDGEFN_TEST_GATEWAY_PID in the env file).
long fixture_gateway_pid() {
  const char* path = std::getenv("EDGEFN_TEST_ENV_FILE");
  std::ifstream in(path ? path : "");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("EDGEFN_TEST_GATEWAY_PID=", 0) == 0) return std::stol(line.substr(24));
  }
  return -1;
}

/// A fresh gateway process (the fixture's binary) on its own port, so that its memory is
/// this test's alone; killed on destruction.
class gateway_process {
 public:
  gateway_process() {
    char exe[4096] = {};
    const std::string link = "/proc/" + std::to_string(fixture_gateway_pid()) + "/exe";
    if (::readlink(link.c_str(), exe, sizeof exe - 1) <= 0) return;
    // A port free now (a pid-derived one could belong to another server: the test would then
    // talk to it, or this gateway would fail to bind and the warm-up time out).
    port_ = testing::free_loopback_port();
    if (port_ < 0) return;
    const auto& env = testing::test_env::get();
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl(exe, exe, "gateway", "--listen", listen.c_str(), "--pg-host", env.pg_host.c_str(),
              "--pg-port", env.pg_port.c_str(), "--quiet", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {  // it exited (could not bind): no server
        pid_ = -1;
        return;
      }
      const int fd = connect_tcp(port_);
      if (fd >= 0) {
        ::close(fd);
        return;
      }
      ::usleep(100000);
    }
  }
  ~gateway_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  gateway_process(const gateway_process&) = delete;
  gateway_process& operator=(const gateway_process&) = delete;
  [[nodiscard]] long pid() const { return pid_; }
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/sql";
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST(GatewayLimits, HugeRowKeepsMemoryNearTheLimit) {
  gateway_process gw;
  ASSERT_GT(gw.pid(), 0);
  const reply warm = post(R"({"query":"select 1"})", {conn_header()}, gw.url());
  ASSERT_EQ(warm.status, 200);
  const long before = proc_kb(gw.pid(), "VmHWM");
  ASSERT_GT(before, 0);
  const reply r =
      post(R"({"query":"select repeat('x', 200 * 1000 * 1000) as big"})", {conn_header()}, gw.url());
  EXPECT_EQ(r.status, 507);
  const long grown_mb = (proc_kb(gw.pid(), "VmHWM") - before) / 1024;
  std::printf("gateway peak RSS growth for a 200 MB row: %ld MB (from %ld MB)\n", grown_mb,
              before / 1024);
  // The limit is 10 MiB; the wire read is cut at 3x the remaining budget (see pg_exec.cpp),
  // checked before libpq parses a read. Once libpq knows the row's length it sizes its buffer
  // to it and keeps reading while data keeps arriving, so one read can bring most or all of
  // the row: 32-192 MB of growth here (ASan build, quiet or with both cores busy). Checked
  // after parsing instead (until 2026-11-30), a row that came whole was also copied into a
  // PGresult and written as JSON: 811 MB once in CI; before any cut, 764 MB.
  EXPECT_LT(grown_mb, 300);
  EXPECT_EQ(post(R"({"query":"select 1"})", {conn_header()}, gw.url()).status, 200);
}

}  // namespace
}  // namespace edgefn::gateway_test
