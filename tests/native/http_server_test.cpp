// The shared HTTP server (native/http/server.h) on its own, over real loopback sockets:
// pipelining, reason phrases, the worker pool's queue bound, the server-wide request byte budget, what
// client_link::gone() tells a handler about a half-closed and a closed client, HTTP/2's
// idle deadline, and the request heads refused for framing another parser could read otherwise
// (RFC 9112: Transfer-Encoding, Host, obs-fold).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "support/loopback.h"

namespace edgefn::httpd {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

void send_text(int fd, const std::string& text) {
  ASSERT_EQ(::send(fd, text.data(), text.size(), MSG_NOSIGNAL), static_cast<ssize_t>(text.size()));
}


std::string get(std::uint16_t port, const std::string& target) {
  const int fd = testing::connect_loopback(port);
  if (fd < 0) return "<connect failed>";
  send_text(fd, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string r = testing::read_http_replies(fd, 1, 5s);
  ::close(fd);
  return r;
}

/// A server on a free port, started; `options` adjusted by the caller.
struct test_server {
  explicit test_server(server_options options, handler h) : srv(std::move(options), std::move(h)) {
    std::string error;
    EXPECT_TRUE(srv.listen(error)) << error;
    srv.start();
  }
  ~test_server() { srv.stop(); }
  std::uint16_t port() const { return srv.port(); }
  server srv;
};

response text(std::string body) {
  response r;
  r.body = std::move(body);
  return r;
}

/// What the server sends on `fd` until it closes the connection; `closed` tells whether it did
/// within `limit`.
std::string read_to_close(int fd, std::chrono::milliseconds limit, bool& closed) {
  std::string out;
  closed = false;
  const auto until = clock::now() + limit;
  while (!closed && clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) closed = true;
    else out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

/// How many responses `bytes` holds (status lines at the start of a line).
std::size_t count_replies(const std::string& bytes) {
  std::size_t n = bytes.rfind("HTTP/1.1 ", 0) == 0 ? 1 : 0;
  for (auto at = bytes.find("\r\nHTTP/1.1 "); at != std::string::npos; at = bytes.find("\r\nHTTP/1.1 ", at + 1)) ++n;
  return n;
}

/// A server whose handler records every request target it is given.
struct recording_server {
  recording_server()
      : s({}, [this](const request& r, const client_link&) {
          std::lock_guard lock(mu);
          seen.push_back(r.target);
          return text("served " + r.target);
        }) {}
  std::vector<std::string> targets() {
    std::lock_guard lock(mu);
    return seen;
  }
  std::mutex mu;
  std::vector<std::string> seen;
  test_server s;
};

TEST(http_server_test, pipelined_requests_are_answered_in_order) {
  test_server s({}, [](const request& r, const client_link&) {
    if (r.target == "/a") std::this_thread::sleep_for(100ms);  // the first one is the slower
    return text("target " + r.target);
  });
  const int fd = testing::connect_loopback(s.port());
  ASSERT_GE(fd, 0);
  send_text(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string replies = testing::read_http_replies(fd, 2, 5s);
  ::close(fd);
  const auto a = replies.find("target /a");
  const auto b = replies.find("target /b");
  ASSERT_NE(a, std::string::npos) << replies;
  ASSERT_NE(b, std::string::npos) << replies;
  EXPECT_LT(a, b);
}

TEST(http_server_test, a_head_reply_has_the_gets_content_length_and_no_body) {
  test_server s({}, [](const request& r, const client_link&) { return text("target " + r.target); });
  const int fd = testing::connect_loopback(s.port());
  ASSERT_GE(fd, 0);
  // The GET after the HEAD on the same connection: a body sent after the HEAD's head would be
  // read as the start of the next reply.
  send_text(fd, "HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  bool closed = false;
  const std::string out = read_to_close(fd, 5s, closed);
  ::close(fd);
  EXPECT_TRUE(closed);
  const auto second = out.find("HTTP/1.1 200", 1);
  ASSERT_NE(second, std::string::npos) << out;
  const std::string head_reply = out.substr(0, second);
  EXPECT_EQ(head_reply.rfind("HTTP/1.1 200 ", 0), 0u) << out;
  EXPECT_NE(head_reply.find("Content-Length: 9\r\n"), std::string::npos) << out;  // "target /x"
  EXPECT_EQ(head_reply.substr(head_reply.size() - 4), "\r\n\r\n") << out;       // nothing after the head
  EXPECT_EQ(out.find("target /x"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 9), "target /y") << out;
}

TEST(http_server_test, the_status_line_carries_the_registered_reason_phrase) {
  test_server s({}, [](const request& r, const client_link&) {
    response out = text("{}");
    out.status = std::stoi(r.target.substr(1));
    return out;
  });
  EXPECT_EQ(get(s.port(), "/422").rfind("HTTP/1.1 422 Unprocessable Entity\r\n", 0), 0u);
  EXPECT_EQ(get(s.port(), "/409").rfind("HTTP/1.1 409 Conflict\r\n", 0), 0u);
  EXPECT_EQ(get(s.port(), "/504").rfind("HTTP/1.1 504 Gateway Timeout\r\n", 0), 0u);
  EXPECT_EQ(get(s.port(), "/299").rfind("HTTP/1.1 299 Status\r\n", 0), 0u);
}

TEST(http_server_test, a_request_beyond_the_worker_queue_gets_503_with_retry_after) {
  server_options o;
  o.worker_threads = 1;
  o.max_queued_requests = 0;
  std::atomic<bool> slow_started{false};
  test_server s(o, [&](const request& r, const client_link&) {
    if (r.target == "/slow") {
      slow_started = true;
      std::this_thread::sleep_for(800ms);
    }
    return text("done " + r.target);
  });
  std::string slow;
  std::thread holder([&] { slow = get(s.port(), "/slow"); });
  while (!slow_started) std::this_thread::sleep_for(5ms);
  const auto start = clock::now();
  const std::string refused = get(s.port(), "/fast");
  EXPECT_LT(clock::now() - start, 500ms) << "answered at once, not after the slow one";
  EXPECT_EQ(refused.rfind("HTTP/1.1 503 ", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos) << refused;
  holder.join();
  EXPECT_NE(slow.find("done /slow"), std::string::npos) << slow;
  // Served again once the worker is free. The client can read the slow answer a moment before
  // the worker counts itself free (a CI run under load got one more 503 here), so a refusal
  // right after is allowed: within 2 s the request is served.
  std::string again;
  for (int i = 0; i < 40; ++i) {
    again = get(s.port(), "/fast");
    if (again.rfind("HTTP/1.1 503 ", 0) != 0) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_NE(again.find("done /fast"), std::string::npos) << again;
}

TEST(http_server_test, requests_past_the_byte_budget_get_503_until_memory_is_freed) {
  server_options o;
  o.max_buffered_bytes = 64 * 1024;
  test_server s(o, [](const request& r, const client_link&) { return text(std::to_string(r.body.size())); });
  // A holds 60 KiB of a 100 KB body that never completes.
  const int a = testing::connect_loopback(s.port());
  ASSERT_GE(a, 0);
  send_text(a, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(60000, 'a'));
  std::this_thread::sleep_for(200ms);
  const std::string post = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" + std::string(10000, 'b');
  const int b = testing::connect_loopback(s.port());
  ASSERT_GE(b, 0);
  send_text(b, post);
  const std::string refused = testing::read_http_replies(b, 1, 5s);
  ::close(b);
  EXPECT_EQ(refused.rfind("HTTP/1.1 503 ", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos) << refused;
  ::close(a);  // frees A's bytes
  std::this_thread::sleep_for(200ms);
  const int c = testing::connect_loopback(s.port());
  ASSERT_GE(c, 0);
  send_text(c, post);
  const std::string ok = testing::read_http_replies(c, 1, 5s);
  ::close(c);
  EXPECT_EQ(ok.rfind("HTTP/1.1 200 ", 0), 0u) << ok;
  EXPECT_NE(ok.find("\r\n\r\n10000"), std::string::npos) << ok;
}

TEST(http_server_test, gone_is_false_for_a_half_closed_client_and_true_for_a_closed_one) {
  // The handler watches its client for up to 1.5 s, as the gateway does while a query runs.
  std::atomic<int> answered{0};
  std::atomic<bool> saw_gone{false};
  test_server s({}, [&](const request&, const client_link& link) {
    const auto until = clock::now() + 1500ms;
    while (clock::now() < until) {
      pollfd p{link.fd(), link.poll_events(), 0};
      ::poll(&p, 1, 50);
      if (link.gone()) {
        saw_gone = true;
        return text("gone");
      }
    }
    ++answered;
    return text("stayed");
  });
  const int half = testing::connect_loopback(s.port());
  ASSERT_GE(half, 0);
  send_text(half, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(::shutdown(half, SHUT_WR), 0);
  const std::string reply = testing::read_http_replies(half, 2, 5s);  // an interim 100 may come first
  ::close(half);
  EXPECT_NE(reply.find("stayed"), std::string::npos) << reply;
  EXPECT_FALSE(saw_gone.load());

  const int closed = testing::connect_loopback(s.port());
  ASSERT_GE(closed, 0);
  send_text(closed, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(100ms);
  const auto closed_at = clock::now();
  ::close(closed);
  while (!saw_gone && clock::now() - closed_at < 1400ms) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(saw_gone.load()) << "a closed client is noticed while its request runs";
  EXPECT_EQ(answered.load(), 1);
}

TEST(http_server_test, an_http2_client_dripping_bytes_is_closed_at_the_idle_deadline) {
  server_options o;
  o.idle_timeout = 500ms;
  test_server s(o, [](const request&, const client_link&) { return text("x"); });
  const int fd = testing::connect_loopback(s.port());
  ASSERT_GE(fd, 0);
  // The preface: the magic, then an empty SETTINGS frame.
  send_text(fd, std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00", 33));
  // A PING frame (8-byte payload), one byte every 100 ms: the frame is never whole in time.
  const std::string ping("\x00\x00\x08\x06\x00\x00\x00\x00\x00" "12345678", 17);
  const auto start = clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < ping.size() && !closed; ++i) {
    (void)::send(fd, ping.data() + i, 1, MSG_NOSIGNAL);
    const auto until = clock::now() + 100ms;
    while (clock::now() < until && !closed) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      char buf[4096];
      closed = ::recv(fd, buf, sizeof buf, 0) <= 0;  // the server's SETTINGS, then EOF
    }
  }
  ::close(fd);
  EXPECT_TRUE(closed) << "still open after dripping the whole frame";
  EXPECT_LT(clock::now() - start, 1500ms);
}

TEST(http_server_test, a_transfer_encoding_not_ending_in_chunked_is_400_and_its_body_is_never_read_as_a_request) {
  // RFC 9112 §6.3: without a final chunked the body's length is unknown. Read as empty, the body
  // would be parsed as a second request on the keep-alive connection (request smuggling).
  recording_server s;
  const std::string inner = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::string> heads = {
      "POST /outer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n",
      "POST /outer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n",
      "POST /outer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n",
      "POST /outer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n",
      "POST /outer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nContent-Length: " + std::to_string(inner.size()) + "\r\n",
      // §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing, chunked or not.
      "POST /outer HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n",
  };
  for (const auto& head : heads) {
    const int fd = testing::connect_loopback(s.s.port());
    ASSERT_GE(fd, 0);
    const std::string body = head.find("HTTP/1.0") != std::string::npos ? "0\r\n\r\n" + inner : inner;
    send_text(fd, head + "Connection: keep-alive\r\n\r\n" + body);
    bool closed = false;
    const std::string out = read_to_close(fd, 3s, closed);
    ::close(fd);
    EXPECT_EQ(out.rfind("HTTP/1.1 400 ", 0), 0u) << head << out;
    EXPECT_EQ(count_replies(out), 1u) << head << out;
    EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << head << out;
    EXPECT_TRUE(closed) << head << "the connection stays open";
  }
  EXPECT_TRUE(s.targets().empty()) << "the handler was given " << s.targets().size() << " request(s)";
  // Chunked is read as it should be: the same bytes as its body, not as a request.
  const int fd = testing::connect_loopback(s.s.port());
  ASSERT_GE(fd, 0);
  char size[16];
  std::snprintf(size, sizeof size, "%zx", inner.size());
  send_text(fd, "POST /outer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                    std::string(size) + "\r\n" + inner + "\r\n0\r\n\r\n");
  bool closed = false;
  const std::string ok = read_to_close(fd, 3s, closed);
  ::close(fd);
  EXPECT_EQ(ok.rfind("HTTP/1.1 200 ", 0), 0u) << ok;
  EXPECT_EQ(s.targets(), std::vector<std::string>{"/outer"});
  // §6.1: a coding before the chunked one ("gzip, chunked") is one this server does not
  // implement: 501, rather than the app getting a body still gzip-encoded.
  for (const char* te : {"gzip, chunked", "GZIP,chunked", "identity, chunked"}) {
    const int gz = testing::connect_loopback(s.s.port());
    ASSERT_GE(gz, 0);
    send_text(gz, std::string("POST /coded HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + te + "\r\n\r\n" +
                      std::string(size) + "\r\n" + inner + "\r\n0\r\n\r\n");
    const std::string coded = read_to_close(gz, 3s, closed);
    ::close(gz);
    EXPECT_EQ(coded.rfind("HTTP/1.1 501 ", 0), 0u) << te << coded;
    EXPECT_TRUE(closed) << te;
  }
  EXPECT_EQ(s.targets(), std::vector<std::string>{"/outer"});
}

TEST(http_server_test, an_http11_request_without_host_with_two_hosts_or_a_folded_header_line_is_400) {
  // RFC 9112 §3.2 (Host) and §5.2 (obs-fold): parsers on the way differ on such heads, so a
  // server refuses them rather than guess.
  recording_server s;
  const std::vector<std::string> refused = {
      "GET /no-host HTTP/1.1\r\n\r\n",
      "GET /two-hosts HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET /two-hosts-1.0 HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET /folded HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n",
      "GET /folded-tab HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n",
  };
  for (const auto& req : refused) {
    const int fd = testing::connect_loopback(s.s.port());
    ASSERT_GE(fd, 0);
    send_text(fd, req);
    bool closed = false;
    const std::string out = read_to_close(fd, 3s, closed);
    ::close(fd);
    EXPECT_EQ(out.rfind("HTTP/1.1 400 ", 0), 0u) << req << out;
    EXPECT_TRUE(closed) << req;
  }
  EXPECT_TRUE(s.targets().empty()) << "the handler was given " << s.targets().size() << " request(s)";
  // HTTP/1.0 needs no Host.
  const int fd = testing::connect_loopback(s.s.port());
  ASSERT_GE(fd, 0);
  send_text(fd, "GET /old HTTP/1.0\r\n\r\n");
  bool closed = false;
  const std::string ok = read_to_close(fd, 3s, closed);
  ::close(fd);
  EXPECT_EQ(ok.rfind("HTTP/1.1 200 ", 0), 0u) << ok;
  EXPECT_EQ(s.targets(), std::vector<std::string>{"/old"});
}

}  // namespace
}  // namespace edgefn::httpd
