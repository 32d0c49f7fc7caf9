#pragma once
// Building the HTTP request for one /sql call (single query or batch), byte-compatible with what
// the official driver (@neondatabase/serverless 1.2.0) sends.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "neon/connection_string.h"
#include "neon/param.h"

namespace edgefn::neon {

/// Where and how to reach Neon.
struct client_config {
  /// postgres://user:password@host/db?... It is sent verbatim in Neon-Connection-String (see
  /// make_target): the server only reads user, password, host, database and `options`.
  std::string connection_string{};
  /// When non-empty, the /sql URL used verbatim (e.g. "http://127.0.0.1:4444/sql" for a local
  /// gateway), like neonConfig.fetchEndpoint given as a string.
  std::string endpoint_override{};
  /// When non-empty, sent as "Authorization: Bearer <token>" and the endpoint becomes apiauth.
  std::string auth_token{};
};

/// A validated config: the parsed connection string plus the URL and fixed headers.
struct target {
  connection_info connection;
  std::string url;
  http::header_list headers;  ///< the headers every request carries
};

/// Validates `config` and precomputes the URL and headers. Headers: Neon-Connection-String (the
/// connection string exactly as given: unlike the JS driver we neither rewrite the scheme to
/// postgresql: nor append application_name, which the proxy ignores), Neon-Raw-Text-Output: true,
/// Neon-Array-Mode: true, and Authorization when a token is set. Never Neon-Pool-Opt-In.
/// Errors: invalid_connection_string (see parse_connection_string); invalid_argument for an
/// endpoint override or token with characters that cannot go in a URL/header.
[[nodiscard]] result<target> make_target(const client_config& config);

/// One statement and its parameters.
struct query {
  std::string text;
  std::vector<param> params;
};

enum class isolation_level : std::uint8_t {
  read_uncommitted, read_committed, repeatable_read, serializable
};

/// The header value Neon expects ("ReadUncommitted", ..., "Serializable").
[[nodiscard]] std::string_view to_string(isolation_level level) noexcept;

/// Batch (transaction) options. Each is sent as a Neon-Batch-* header only when set; booleans are
/// spelled "true"/"false" (String(bool)), so an explicit false is sent too, like the driver.
struct batch_options {
  std::optional<isolation_level> isolation{};
  std::optional<bool> read_only{};
  std::optional<bool> deferrable{};
};

/// Appends the headers of every /sql request the core makes: Neon-Raw-Text-Output and
/// Neon-Array-Mode, both "true" (rows arrive as arrays of text, as the decoder reads them).
void add_row_format_headers(http::header_list& headers);

/// The JSON body of a single query: {"query":"...","params":[...]}.
[[nodiscard]] std::string query_body(std::string_view sql, std::span<const param> params);

/// The JSON body of a batch: {"queries":[{"query":...,"params":[...]},...]}.
[[nodiscard]] std::string batch_body(std::span<const query> queries);

/// A complete POST request for one statement. Never sends Neon-Batch-* headers.
[[nodiscard]] http::request make_query_request(const target& t, std::string_view sql,
                                               std::span<const param> params);

/// A complete POST request running `queries` in one transaction with `options`.
[[nodiscard]] http::request make_batch_request(const target& t, std::span<const query> queries,
                                               const batch_options& options = {});

}  // namespace edgefn::neon
