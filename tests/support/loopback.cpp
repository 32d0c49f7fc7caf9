#include "support/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <poll.h>
#include <unistd.h>

#include <cstdint>

namespace edgefn::testing {

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

namespace {

/// True when `out` holds `count` whole replies.
bool holds_replies(const std::string& out, int count) {
  std::size_t at = 0;
  for (int i = 0; i < count; ++i) {
    const auto head_end = out.find("\r\n\r\n", at);
    if (head_end == std::string::npos) return false;
    const auto cl = out.find("Content-Length: ", at);
    const std::size_t len =
        cl == std::string::npos || cl > head_end ? 0 : std::stoul(out.substr(cl + 16));
    at = head_end + 4 + len;
    if (out.size() < at) return false;
  }
  return true;
}

}  // namespace

std::string read_http_replies(int fd, int count, std::chrono::milliseconds limit) {
  std::string out;
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!holds_replies(out, count) && std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace edgefn::testing
