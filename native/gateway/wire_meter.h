#pragma once
// Bytes a client has read from a TCP socket, from the kernel's own counters: what arrived
// (TCP_INFO tcpi_bytes_received) minus what still waits unread (FIONREAD). libpq reads a whole
// DataRow into its buffer before handing it out, even in single-row mode, so this is the only
// way to notice a huge row while it arrives and stop before it is all in memory.

#include <cstdint>
#include <optional>

namespace edgefn::gateway {

/// Bytes the process has read from TCP socket `fd` so far (possibly a little high: data may
/// arrive between the two syscalls; two readings may therefore go slightly backwards); nullopt
/// for a non-TCP socket (a Unix socket: then no cut is made while reading, only the JSON check
/// after each row).
[[nodiscard]] std::optional<std::uint64_t> tcp_bytes_read(int fd);

}  // namespace edgefn::gateway
