#include "transport/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <string>

#include "support/test_env.h"

using edgefn::native::curl_transport;
using edgefn::native::transport_failure;
using edgefn::native::transport_result;

namespace {

edgefn::http::request sql_request(const std::string& query) {
  const auto& env = edgefn::testing::test_env::get();
  edgefn::http::request r;
  r.url = env.gateway_url;
  r.headers = {{"Neon-Connection-String", env.connection_string()},
               {"Neon-Raw-Text-Output", "true"},
               {"Neon-Array-Mode", "true"}};
  r.body = R"({"query":")" + query + R"(","params":[]})";
  return r;
}

}  // namespace

TEST(curl_transport, performs_a_request_against_the_gateway) {
  curl_transport t;
  auto r = t.perform(sql_request("select 1 as x"));
  ASSERT_EQ(r.failure, transport_failure::none) << r.failure_detail;
  EXPECT_EQ(r.response.status, 200);
  EXPECT_NE(r.response.body.view().find(R"("rows":[["1"]])"), std::string::npos)
      << r.response.body.view();
  const std::string* ct = edgefn::http::find_header(r.response.headers, "content-type");
  ASSERT_NE(ct, nullptr);
  EXPECT_EQ(*ct, "application/json");
}

TEST(curl_transport, runs_many_requests_concurrently_on_one_multi_handle) {
  curl_transport t;
  int done = 0, ok = 0;
  for (int i = 0; i < 24; ++i) {
    t.submit(sql_request("select pg_sleep(0.2), " + std::to_string(i) + " as i"),
             [&, i](transport_result&& r) {
               ++done;
               if (r.failure == transport_failure::none && r.response.status == 200 &&
                   r.response.body.view().find("\"" + std::to_string(i) + "\"]]") !=
                       std::string::npos)
                 ++ok;
             });
  }
  EXPECT_EQ(t.in_flight(), 24);
  const auto start = std::chrono::steady_clock::now();
  t.run();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(done, 24);
  EXPECT_EQ(ok, 24);
  // 24 sequential sleeps would take 4.8 s; concurrency must make this far shorter.
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
}

TEST(curl_transport, reports_a_refused_connection_as_connect_failure) {
  curl_transport t;
  edgefn::http::request r;
  r.url = "http://127.0.0.1:1/sql";  // port 1: nothing listens there
  auto res = t.perform(std::move(r));
  EXPECT_EQ(res.failure, transport_failure::connect) << res.failure_detail;
  EXPECT_FALSE(res.failure_detail.empty());
}

TEST(curl_transport, reports_an_unresolvable_host_as_dns_failure) {
  curl_transport t;
  edgefn::http::request r;
  r.url = "http://edgefn-no-such-host.invalid/sql";
  auto res = t.perform(std::move(r));
  EXPECT_EQ(res.failure, transport_failure::dns) << res.failure_detail;
}

TEST(curl_transport, reports_an_unresponsive_server_as_timeout) {
  // A listening socket that never answers: connect succeeds (backlog), the response never comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  edgefn::native::transport_options opts;
  opts.total_timeout = std::chrono::milliseconds(300);
  curl_transport t(opts);
  edgefn::http::request r;
  r.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/sql";
  auto res = t.perform(std::move(r));
  ::close(fd);
  EXPECT_EQ(res.failure, transport_failure::timeout) << res.failure_detail;
}
