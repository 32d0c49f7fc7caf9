#pragma once
// Where a WebSocket connection of the official Neon driver (`Pool`/`Client`) is relayed: the
// driver opens `ws://<wsProxy>`, where wsProxy is either a string it appends
// `?address=host:port` to, or a function of (host, port). Neon's wsproxy serves `/v1` and reads
// `address`; Neon's own proxy serves `/v2` (the driver's default `host + '/v2'`). The gateway
// accepts both paths; `--pg-host`/`--pg-port` win over `address`, which may only name this
// machine (the gateway is a local tool, not an open relay).

#include <string>
#include <string_view>

#include "base/result.h"

namespace edgefn::gateway {

/// A Postgres server to relay to: a TCP host (name or IP) or, when `host` starts with '/', the
/// directory of a Unix socket (as libpq's `host`), and the port.
struct relay_target {
  std::string host;
  std::string port;
};

/// True when `target` (origin-form, with the query) is one of the WebSocket paths.
[[nodiscard]] bool is_ws_path(std::string_view target);

/// The Postgres server for a WebSocket request target. `flag_host`/`flag_port` (the gateway's
/// --pg-host/--pg-port, "" when absent) override the `address` parameter's parts; a host taken
/// from `address` must be loopback (localhost, 127.x.x.x, ::1). Errors (message for a 400):
/// no host at all, a malformed address or port, a non-local address.
[[nodiscard]] result<relay_target> resolve_relay_target(std::string_view target,
                                                        std::string_view flag_host,
                                                        std::string_view flag_port);

}  // namespace edgefn::gateway
