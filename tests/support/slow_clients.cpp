#include "support/slow_clients.h"
#include "support/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string_view>

namespace edgefn::testing {
namespace {

/// The head every slow client sends, byte by byte (long enough never to end in a test).
constexpr std::string_view k_head =
    "POST /sql HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

}  // namespace

slow_clients::slow_clients(int port, std::size_t count, std::chrono::milliseconds interval) {
  for (std::size_t i = 0; i < count; ++i) {
    const int fd = connect_loopback(port);
    if (fd < 0) break;
    fds_.push_back(fd);
  }
  dripper_ = std::thread([this, interval] { drip(interval); });
}

slow_clients::~slow_clients() {
  stop_.store(true);
  dripper_.join();
  for (const int fd : fds_) ::close(fd);
}

void slow_clients::drip(std::chrono::milliseconds interval) {
  std::size_t at = 0;
  while (!stop_.load()) {
    for (const int fd : fds_) {
      if (::send(fd, k_head.data() + at, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1) ++dripped_;
    }
    at = (at + 1) % k_head.size();
    const auto until = std::chrono::steady_clock::now() + interval;
    while (!stop_.load() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

std::size_t slow_clients::still_waiting() const {
  std::size_t n = 0;
  for (const int fd : fds_) {
    pollfd p{fd, POLLIN, 0};
    // Readable means an answer (a 503, say) or the server's close: that client is not waiting.
    if (::poll(&p, 1, 0) == 0) ++n;
  }
  return n;
}

}  // namespace edgefn::testing
