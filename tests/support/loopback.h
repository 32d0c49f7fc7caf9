#pragma once
// Plain TCP connections to a server under test on 127.0.0.1 (one copy for every socket test).

namespace edgefn::testing {

/// A blocking socket connected to 127.0.0.1:`port`, or -1 when the connection failed. The
/// caller closes it.
[[nodiscard]] int connect_loopback(int port);

}  // namespace edgefn::testing
