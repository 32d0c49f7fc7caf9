#include "gateway/wire_meter.h"

#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace edgefn::gateway {

std::optional<std::uint64_t> tcp_bytes_read(int fd) {
  // Queued first, then received: bytes arriving between the two calls make the result a bit
  // too high rather than too low (callers still never subtract a later value from it blindly).
  int queued = 0;
  if (::ioctl(fd, SIOCINQ, &queued) != 0 || queued < 0) return std::nullopt;
  tcp_info info{};
  socklen_t len = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0 ||
      len < offsetof(tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received) {
    return std::nullopt;
  }
  const auto q = static_cast<std::uint64_t>(queued);
  return info.tcpi_bytes_received > q ? info.tcpi_bytes_received - q : 0;
}

}  // namespace edgefn::gateway
