#pragma once
// The Neon-Connection-String header, validated the way Neon's proxy does (spec §2).

#include <string>
#include <string_view>

#include "base/result.h"

namespace edgefn::gateway {

/// The parts of a connection string the gateway uses. Secrets stay in memory only.
struct conn_info {
  std::string host;      ///< may be empty (then --pg-host is required)
  std::string port;      ///< may be empty
  std::string database;  ///< URL-decoded
  std::string user;      ///< URL-decoded
  std::string password;  ///< URL-decoded
};

/// Parses and validates `value`. The error message is the exact Neon message
/// (`invalid connection string: …`, `incorrect scheme`, `missing database name`,
/// `missing username`, `missing authentication credentials: required password`).
/// Unlike Neon, an IP-literal host is accepted (this is a local gateway).
[[nodiscard]] result<conn_info> parse_conn_string(std::string_view value);

}  // namespace edgefn::gateway
