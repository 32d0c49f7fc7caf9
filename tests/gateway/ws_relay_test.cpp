// The gateway's WebSocket relay (gateway/ws_relay.h) against the fixture's Postgres, driven by a
// Boost.Beast client speaking the Postgres wire protocol's first messages: bytes flow both
// ways (on the server's loops, no thread per relay), either side going away ends the relay,
// the cap answers 503, the idle timeout closes with 1001, pings find a client that vanished,
// and only local addresses are relayed to.
#include <gtest/gtest.h>

#include <dirent.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "gateway/http_server.h"
#include "gateway/ws_relay.h"
#include "gateway/ws_target.h"
#include "support/test_env.h"

namespace edgefn::gateway_test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

/// An in-process gateway serving only the WebSocket paths.
class ws_gateway {
 public:
  explicit ws_gateway(gateway::ws_config config)
      : relay_(std::move(config)),
        server_(gateway::http_config{},
                [this](const gateway::http_request& r, const gateway::client_link&) {
                  return relay_.handle(r);
                }) {
    std::string error;
    if (!server_.listen(error)) throw std::runtime_error(error);
    server_.start();
  }
  ~ws_gateway() { server_.stop(); }
  ws_gateway(const ws_gateway&) = delete;
  ws_gateway& operator=(const ws_gateway&) = delete;

  [[nodiscard]] std::uint16_t port() const { return server_.port(); }
  [[nodiscard]] const gateway::ws_relay& relay() const { return relay_; }

 private:
  gateway::ws_relay relay_;
  gateway::http_server server_;
};

gateway::ws_config fixture_config() {
  gateway::ws_config c;
  c.pg_host = testing::test_env::get().pg_host;
  c.pg_port = testing::test_env::get().pg_port;
  c.log_requests = false;
  return c;
}

/// A WebSocket client (blocking).
struct ws_client {
  asio::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  websocket::response_type response;

  /// Connects and upgrades; the error (upgrade_declined with `response` filled) when refused.
  beast::error_code open(std::uint16_t port, const std::string& target) {
    beast::error_code ec;
    ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) return ec;
    ws.binary(true);
    ws.handshake(response, "127.0.0.1", target, ec);
    return ec;
  }
  void send(const std::string& bytes) { ws.write(asio::buffer(bytes)); }
  /// Reads one message; "" with `ec` set when the stream ended.
  std::string read(beast::error_code& ec) {
    beast::flat_buffer buffer;
    ws.read(buffer, ec);
    return beast::buffers_to_string(buffer.data());
  }
};

/// The response to an upgrade request the gateway refuses (Beast 1.74's client handshake
/// does not hand a declined response back, so this one is sent by hand).
beast::http::response<beast::http::string_body> refused_upgrade(std::uint16_t port,
                                                                const std::string& target) {
  namespace http = beast::http;
  asio::io_context ioc;
  tcp::socket s(ioc);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::connection, "Upgrade");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  req.set(http::field::sec_websocket_version, "13");
  http::write(s, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(s, buffer, res);
  return res;
}

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

/// Postgres' SSLRequest: answered with one byte, 'N' (no TLS on the fixture) or 'S'.
std::string ssl_request() { return be32(8) + be32(80877103); }

/// A startup packet with an unsupported protocol version: Postgres answers with an
/// ErrorResponse ('E') and closes the connection.
std::string bad_startup() { return be32(8) + be32(0x00630000); }

/// Opens a relay on `target` and waits for Postgres' answer to an SSLRequest ('N' or 'S'), proof
/// that the relay reached Postgres. The error when the upgrade is refused or no answer came.
beast::error_code open_relay(ws_client& c, std::uint16_t port, const std::string& target) {
  if (auto ec = c.open(port, target)) return ec;
  c.send(ssl_request());
  beast::error_code ec;
  if (c.read(ec).empty() && !ec) ec = beast::http::error::end_of_stream;
  return ec;
}

std::size_t thread_count() {
  std::size_t n = 0;
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
    ::closedir(d);
  }
  return n;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds within = 5s) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(ws_relay_test, relays_the_wire_protocol_both_ways_and_closes_when_postgres_does) {
  ws_gateway gw(fixture_config());
  ws_client c;
  ASSERT_FALSE(c.open(gw.port(), "/v2?address=localhost:5432")) << c.response;
  EXPECT_EQ(c.response.result_int(), 101);
  c.send(ssl_request());
  beast::error_code ec;
  const std::string answer = c.read(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(answer == "N" || answer == "S") << answer;
  c.send(bad_startup());
  std::string error;
  while (!ec) error += c.read(ec);
  ASSERT_FALSE(error.empty());
  EXPECT_EQ(error[0], 'E');
  EXPECT_NE(error.find("unsupported frontend protocol"), std::string::npos) << error;
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(c.ws.reason().code, websocket::close_code::normal);
  EXPECT_TRUE(eventually([&] { return gw.relay().active() == 0; }));
}

TEST(ws_relay_test, a_vanished_client_frees_its_relay_and_thread) {
  ws_gateway gw(fixture_config());
  const std::size_t baseline = thread_count();
  {
    std::array<ws_client, 6> clients;
    for (auto& c : clients) {
      ASSERT_FALSE(open_relay(c, gw.port(), "/v1"));
    }
    EXPECT_EQ(gw.relay().active(), clients.size());
    // No close frame: the TCP connections just go away.
    for (auto& c : clients) c.ws.next_layer().close();
  }
  EXPECT_TRUE(eventually([&] { return gw.relay().active() == 0; }));
  EXPECT_TRUE(eventually([&] { return thread_count() <= baseline; }))
      << thread_count() << " threads, " << baseline << " before";
}

TEST(ws_relay_test, relays_run_on_the_server_loops_without_a_thread_each) {
  ws_gateway gw(fixture_config());
  const std::size_t baseline = thread_count();
  std::array<ws_client, 8> clients;
  for (auto& c : clients) {
    ASSERT_FALSE(open_relay(c, gw.port(), "/v2"));
  }
  EXPECT_EQ(gw.relay().active(), clients.size());
  // The upgrades ran on worker threads (at most one each); the relays themselves hold none.
  EXPECT_LT(thread_count(), baseline + clients.size())
      << thread_count() << " threads, " << baseline << " before";
  for (auto& c : clients) c.ws.close(websocket::close_code::normal);
  EXPECT_TRUE(eventually([&] { return gw.relay().active() == 0; }));
}

TEST(ws_relay_test, upgrades_beyond_the_cap_get_503_until_a_relay_ends) {
  auto config = fixture_config();
  config.max_connections = 2;
  ws_gateway gw(config);
  ws_client a;
  ws_client b;
  ASSERT_FALSE(a.open(gw.port(), "/v2"));
  ASSERT_FALSE(b.open(gw.port(), "/v2"));
  const auto refused = refused_upgrade(gw.port(), "/v2");
  EXPECT_EQ(refused.result_int(), 503);
  EXPECT_EQ(refused[beast::http::field::retry_after], "1");
  EXPECT_NE(refused.body().find("too many WebSocket connections"), std::string::npos)
      << refused.body();
  a.ws.close(websocket::close_code::normal);
  ASSERT_TRUE(eventually([&] { return gw.relay().active() == 1; }));
  ws_client later;
  EXPECT_FALSE(later.open(gw.port(), "/v2"));
}

TEST(ws_relay_test, a_silent_relay_is_closed_after_the_idle_timeout) {
  auto config = fixture_config();
  config.idle_timeout = 300ms;
  ws_gateway gw(config);
  ws_client c;
  ASSERT_FALSE(open_relay(c, gw.port(), "/v2"));
  beast::error_code ec;
  const auto start = std::chrono::steady_clock::now();
  (void)c.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(c.ws.reason().code, websocket::close_code::going_away);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(eventually([&] { return gw.relay().active() == 0; }));
}

TEST(ws_relay_test, a_client_that_answers_no_ping_is_gone_after_the_ping_timeout) {
  auto config = fixture_config();
  config.ping_timeout = 400ms;
  ws_gateway gw(config);
  ws_client c;
  ASSERT_FALSE(open_relay(c, gw.port(), "/v2"));
  // The client stays connected but reads nothing from now on, so it answers no ping.
  EXPECT_EQ(gw.relay().active(), 1u);
  EXPECT_TRUE(eventually([&] { return gw.relay().active() == 0; }, 3s));
}

TEST(ws_relay_test, a_client_that_answers_pings_keeps_its_relay) {
  auto config = fixture_config();
  config.ping_timeout = 300ms;
  ws_gateway gw(config);
  ws_client c;
  ASSERT_FALSE(c.open(gw.port(), "/v2"));
  // Reading answers the relay's pings (Beast replies with pongs) until the socket is shut.
  std::thread reader([&] {
    beast::error_code ec;
    while (!ec) (void)c.read(ec);
  });
  std::this_thread::sleep_for(1500ms);  // five ping timeouts without any data
  EXPECT_EQ(gw.relay().active(), 1u);
  beast::error_code ec;
  c.ws.next_layer().shutdown(tcp::socket::shutdown_both, ec);
  reader.join();
  EXPECT_TRUE(eventually([&] { return gw.relay().active() == 0; }));
}

TEST(ws_relay_test, unreachable_postgres_is_503_before_any_upgrade) {
  auto config = fixture_config();
  {
    asio::io_context ioc;  // a port nobody listens on: bound, then released
    tcp::acceptor probe(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    config.pg_port = std::to_string(probe.local_endpoint().port());
  }
  ws_gateway gw(config);
  const auto refused = refused_upgrade(gw.port(), "/v2");
  EXPECT_EQ(refused.result_int(), 503);
  EXPECT_NE(refused.body().find("cannot connect to Postgres"), std::string::npos)
      << refused.body();
  EXPECT_EQ(gw.relay().active(), 0u);
}

TEST(ws_relay_test, without_flags_only_a_local_address_is_relayed_to) {
  gateway::ws_config config;
  config.log_requests = false;
  ws_gateway gw(config);
  const auto& env = testing::test_env::get();
  ws_client local;
  ASSERT_FALSE(local.open(gw.port(), "/v2?address=localhost:" + env.pg_port));
  local.send(ssl_request());
  beast::error_code ec;
  EXPECT_EQ(local.read(ec).size(), 1u);
  for (const std::string target :
       {"/v2?address=example.com:5432", "/v2", "/v1?address=localhost:99999",
        "/v1?address=%zz"}) {
    EXPECT_EQ(refused_upgrade(gw.port(), target).result_int(), 400) << target;
  }
}

TEST(ws_relay_test, relay_targets_follow_flags_then_the_address_parameter) {
  using gateway::resolve_relay_target;
  const auto from_address = resolve_relay_target("/v2?address=127.0.0.1:6543", "", "");
  ASSERT_TRUE(from_address);
  EXPECT_EQ(from_address->host, "127.0.0.1");
  EXPECT_EQ(from_address->port, "6543");
  const auto flags_win = resolve_relay_target("/v2?x=1&address=db.example:1", "/tmp/pg", "5433");
  ASSERT_TRUE(flags_win);
  EXPECT_EQ(flags_win->host, "/tmp/pg");
  EXPECT_EQ(flags_win->port, "5433");
  const auto v6 = resolve_relay_target("/v1?address=%5B::1%5D:5432", "", "");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(resolve_relay_target("/v2?address=localhost", "", "")->port, "5432");
  EXPECT_FALSE(resolve_relay_target("/v2?address=10.0.0.1:5432", "", ""));
  EXPECT_FALSE(resolve_relay_target("/v2?address=localhost:0", "", ""));
  EXPECT_FALSE(resolve_relay_target("/v2?address=[::1", "", ""));
  EXPECT_TRUE(gateway::is_ws_path("/v2?address=a:1"));
  EXPECT_TRUE(gateway::is_ws_path("/v1"));
  EXPECT_FALSE(gateway::is_ws_path("/sql"));
  EXPECT_FALSE(gateway::is_ws_path("/v2/x"));
}

}  // namespace
}  // namespace edgefn::gateway_test
