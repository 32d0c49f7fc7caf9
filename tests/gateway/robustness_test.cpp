// Malformed, huge, slow and concurrent traffic: the gateway answers or closes, never hangs,
// and keeps serving everyone else.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <memory>
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

std::string raw_exchange(const std::string& request, int port = gateway_port()) {
  const int fd = connect_tcp(port);
  if (fd < 0) return "<connect failed>";
  send_all(fd, request);
  bool closed = false;
  std::string out = read_until_close(fd, 5s, closed);
  ::close(fd);
  return out;
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

/// An in-process gateway (1 s read and idle timeouts by default) in front of the fixture
/// Postgres.
class short_timeout_gateway {
 public:
  explicit short_timeout_gateway(std::size_t max_connections = 256,
                                 std::chrono::milliseconds pool_idle = 300000ms)
      : pool_(make_pool_config(pool_idle)),
        handler_(make_sql_config(), pool_),
        server_(make_http_config(max_connections),
                [this](const gateway::http_request& r, const gateway::client_link& c) {
                  return handler_.handle(r, c);
                }) {
    server_.set_error_responder([this](int status, std::string_view message, std::string_view) { return handler_.reject(status, message); });
    std::string error;
    if (!server_.listen(error)) throw std::runtime_error(error);
    server_.start();
  }
  ~short_timeout_gateway() { server_.stop(); }
  short_timeout_gateway(const short_timeout_gateway&) = delete;
  short_timeout_gateway& operator=(const short_timeout_gateway&) = delete;
  [[nodiscard]] int port() const { return server_.port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/sql"; }
  gateway::pg_pool& pool() { return pool_; }

 private:
  static gateway::pool_config make_pool_config(std::chrono::milliseconds idle) {
    gateway::pool_config c;
    c.idle_timeout = idle;
    return c;
  }
  static gateway::sql_config make_sql_config() {
    gateway::sql_config c;
    c.pg_host = testing::test_env::get().pg_host;
    c.pg_port = testing::test_env::get().pg_port;
    c.log_requests = false;
    return c;
  }
  static gateway::http_config make_http_config(std::size_t max_connections) {
    gateway::http_config c;
    c.read_timeout = 1000ms;
    c.idle_timeout = 1000ms;
    c.max_connections = max_connections;
    return c;
  }
  gateway::pg_pool pool_;
  gateway::sql_handler handler_;
  gateway::http_server server_;
};

TEST(GatewayRobustness, MalformedRequestLine) {
  const std::string r = raw_exchange("GARBAGE\r\n\r\n");
  EXPECT_EQ(status_line(r), "HTTP/1.1 400 Bad Request");
  EXPECT_NE(r.find("Connection: close"), std::string::npos);
  const std::string nul = raw_exchange(std::string("POST /sql HTTP/1.1\r\nHo\0st: x\r\n\r\n", 33));
  EXPECT_EQ(status_line(nul), "HTTP/1.1 400 Bad Request");
  EXPECT_NE(nul.find("invalid header name"), std::string::npos) << nul;  // what was wrong, not "malformed"
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayRobustness, HugeHeaderIs431) {
  const std::string r = raw_exchange("POST /sql HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                     std::string(100 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(status_line(r), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayRobustness, InvalidUtf8AndNulBodies) {
  const reply bad_utf8 = sql("{\"query\":\"select '\xff\xfe'\"}");
  EXPECT_EQ(bad_utf8.status, 400);
  EXPECT_EQ(error_field(bad_utf8.body, "message").rfind("could not parse the HTTP request body: ", 0),
            0u);
  const reply nul = sql(std::string("{\"query\":\"select 1\"}\0", 21));
  EXPECT_EQ(nul.status, 400);
  const reply escaped_nul = sql(R"({"query":"select $1::text a","params":["a\u0000b"]})");
  EXPECT_EQ(escaped_nul.status, 400);
  EXPECT_EQ(error_field(escaped_nul.body, "code"), "22021");
  EXPECT_EQ(error_field(escaped_nul.body, "where"), "unnamed portal parameter $1");
  const reply nul_query = sql(R"({"query":"select 1\u0000"})");
  EXPECT_EQ(nul_query.status, 400);
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayRobustness, KeepAliveServesSeveralRequests) {
  const int fd = connect_tcp(gateway_port());
  ASSERT_GE(fd, 0);
  const auto [name, conn] = conn_header();
  for (int i = 1; i <= 3; ++i) {
    const std::string body = R"({"query":"select )" + std::to_string(i) + R"( as x"})";
    ASSERT_TRUE(send_all(fd, "POST /sql HTTP/1.1\r\nHost: x\r\n" + name + ": " + conn +
                                 "\r\nContent-Length: " + std::to_string(body.size()) +
                                 "\r\n\r\n" + body));
    const std::string resp = read_response(fd, 5s);
    EXPECT_EQ(status_line(resp), "HTTP/1.1 200 OK");
    EXPECT_NE(resp.find(R"("rows":[{"x":)" + std::to_string(i) + "}]"), std::string::npos);
  }
  ::close(fd);
}

TEST(GatewayRobustness, TruncatedBodyTimesOutAndOthersAreServed) {
  short_timeout_gateway gw;
  const int fd = connect_tcp(gw.port());
  ASSERT_GE(fd, 0);
  const auto [name, conn] = conn_header();
  ASSERT_TRUE(send_all(fd, "POST /sql HTTP/1.1\r\nHost: x\r\n" + name + ": " + conn +
                               "\r\nContent-Length: 100\r\n\r\n{\"query\":"));
  // Meanwhile another client is served.
  const reply other = post(R"({"query":"select 2 as x"})", {conn_header()}, gw.url());
  EXPECT_EQ(rows_of(other.body), R"([{"x":2}])");
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  const std::string got = read_until_close(fd, 5s, closed);
  const auto waited = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_TRUE(closed);
  EXPECT_EQ(got, "");
  EXPECT_LT(waited, 3s);
  EXPECT_EQ(post(R"({"query":"select 3 as x"})", {conn_header()}, gw.url()).status, 200);
}

TEST(GatewayRobustness, SlowHeadersTimeOut) {
  short_timeout_gateway gw;
  const int fd = connect_tcp(gw.port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "POST /sql HTTP/1.1\r\nHost"));
  bool closed = false;
  const auto start = std::chrono::steady_clock::now();
  (void)read_until_close(fd, 5s, closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  ::close(fd);
  const int idle = connect_tcp(gw.port());
  (void)read_until_close(idle, 5s, closed);
  EXPECT_TRUE(closed) << "an idle connection is closed after the idle timeout";
  ::close(idle);
}

TEST(GatewayRobustness, ManyConcurrentRequests) {
  constexpr int k_threads = 24;
  constexpr int k_each = 8;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([t, &good] {
      for (int i = 0; i < k_each; ++i) {
        const std::string n = std::to_string(t * 100 + i);
        const reply r = sql(R"({"query":"select pg_sleep(0.05), )" + n + R"(::int as x"})",
                            {{"Neon-Array-Mode", "true"}});
        if (rows_of(r.body) == "[[\"\"," + n + "]]") ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), k_threads * k_each);
  // 192 requests of 50 ms each: served one at a time this would take ~10 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
}

TEST(GatewayRobustness, ConnectionCapAnswers503) {
  short_timeout_gateway gw(1);
  const int holder = connect_tcp(gw.port());
  ASSERT_GE(holder, 0);
  std::this_thread::sleep_for(300ms);
  const reply refused = post(R"({"query":"select 1"})", {conn_header()}, gw.url());
  EXPECT_EQ(refused.status, 503);
  ::close(holder);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(post(R"({"query":"select 1"})", {conn_header()}, gw.url()).status, 200);
}

TEST(GatewayRobustness, IdlePoolConnectionsClose) {
  short_timeout_gateway gw(256, 1000ms);
  const reply r = post(R"({"query":"select pg_backend_pid() p"})", {conn_header()}, gw.url());
  ASSERT_EQ(r.status, 200);
  const std::string pid = rows_of(r.body).substr(6, rows_of(r.body).size() - 8);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(gw.pool().idle_count(), 1u);
  direct_pg pg;
  EXPECT_EQ(pg.scalar("select count(*) from pg_stat_activity where pid = " + pid), "1");
  std::this_thread::sleep_for(2000ms);
  EXPECT_EQ(gw.pool().idle_count(), 0u);
  EXPECT_EQ(pg.scalar("select count(*) from pg_stat_activity where pid = " + pid), "0");
}

TEST(GatewayRobustness, HeadRequestKeepsFraming) {
  const int fd = connect_tcp(gateway_port());
  ASSERT_GE(fd, 0);
  // The HEAD's reply names the length a GET's body would have (RFC 9110 8.6) and sends none: the
  // next reply starts right after its head.
  ASSERT_TRUE(send_all(fd, "HEAD /sql HTTP/1.1\r\nHost: x\r\n\r\nOPTIONS /sql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  bool closed = false;
  const std::string out = read_until_close(fd, 5s, closed);
  ::close(fd);
  EXPECT_EQ(status_line(out), "HTTP/1.1 400 Bad Request");
  const auto head_end = out.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << out;
  const std::string head = out.substr(0, head_end + 2);
  EXPECT_NE(head.find("Content-Length: "), std::string::npos) << out;
  EXPECT_EQ(head.find("Content-Length: 0\r\n"), std::string::npos) << out;
  EXPECT_EQ(status_line(out.substr(head_end + 4)), "HTTP/1.1 200 OK") << out;
}

TEST(GatewayRobustness, AbsoluteFormTarget) {
  const auto [name, conn] = conn_header();
  const std::string body = R"({"query":"select 1 as x"})";
  const std::string r = raw_exchange("POST http://127.0.0.1/sql HTTP/1.1\r\nHost: x\r\n" + name +
                                     ": " + conn + "\r\nConnection: close\r\nContent-Length: " +
                                     std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(status_line(r), "HTTP/1.1 200 OK");
  EXPECT_NE(r.find(R"j("rows":[{"x":1}])j"), std::string::npos);
}

}  // namespace
}  // namespace edgefn::gateway_test
