#pragma once

#include <chrono>
#include <string>
// Plain TCP connections to a server under test on 127.0.0.1, and reading its HTTP/1.1 replies
// (one copy for every socket test).

namespace edgefn::testing {

/// A blocking socket connected to 127.0.0.1:`port`, or -1 when the connection failed. The
/// caller closes it.
[[nodiscard]] int connect_loopback(int port);

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed), or
/// -1. Another process may take it before the caller binds it; callers wait for their own
/// server, never just for the port to answer.
[[nodiscard]] int free_loopback_port();

/// What the server sent on `fd` until `count` HTTP/1.1 replies (heads plus bodies of their
/// Content-Length) arrived, the server closed, or `limit` passed.
[[nodiscard]] std::string read_http_replies(int fd, int count, std::chrono::milliseconds limit);

}  // namespace edgefn::testing
