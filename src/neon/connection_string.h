#pragma once
// Postgres connection URLs (postgres://user:password@host:port/database?k=v&...), parsed the way
// the official Neon driver (1.2.0) validates them, and the /sql endpoint derived from the host.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "neon/error.h"

namespace edgefn::neon {

/// A parsed connection string. All strings are owned and percent-decoded.
struct connection_info {
  std::string original;     ///< the connection string exactly as given
  std::string scheme;       ///< "postgres" or "postgresql" (lowercase)
  std::string user;         ///< never empty
  std::optional<std::string> password;  ///< absent when the URL has no ':' in its userinfo
  std::string host;         ///< as written (case kept); IPv6 keeps its brackets: "[::1]"
  std::optional<std::uint16_t> port;
  std::string database;     ///< the first path segment, never empty
  /// Every query parameter, in order, decoded ('+' stays '+', as in the URL spec's path rules).
  std::vector<std::pair<std::string, std::string>> params;

  /// The value of the first parameter named `key`, or nullptr.
  [[nodiscard]] const std::string* param(std::string_view key) const;
};

/// Parses `text`. Errors (kind invalid_connection_string; messages never contain the password):
/// a scheme other than postgres:/postgresql:, a missing user, host or database, a bad port, bad
/// percent-encoding, an unterminated IPv6 bracket, or characters that cannot go in an HTTP header
/// (non-ASCII, control characters: percent-encode them).
[[nodiscard]] result<connection_info> parse_connection_string(std::string_view text);

/// The /sql URL the official driver derives from `host` (Socket.defaults.fetchEndpoint): the
/// first DNS label is replaced by "api." ("apiauth." when `with_auth_token`), the port is
/// dropped, and the result is "https://<host>/sql". A host without a dot is kept as is; IPv4
/// literals are mangled exactly like the driver (10.0.0.1 -> https://api.0.0.1/sql).
[[nodiscard]] std::string derive_sql_endpoint(std::string_view host, bool with_auth_token);

/// Decodes %XX escapes in `s`. Fails on a '%' not followed by two hex digits.
[[nodiscard]] result<std::string> percent_decode(std::string_view s);

}  // namespace edgefn::neon
