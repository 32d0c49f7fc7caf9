#pragma once
// The Neon client's single error type: every fallible call in src/neon returns
// `neon::result<T>` (= basic_result<T, neon::error>). Messages never contain the password or the
// auth token.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/padded_buffer.h"
#include "base/result.h"

namespace edgefn::neon {

/// What went wrong, coarse enough to switch on.
enum class error_kind : std::uint8_t {
  database,           ///< HTTP 400 with a Postgres error (non-empty SQLSTATE in `fields.code`)
  proxy,              ///< HTTP 400 from the proxy itself (`code` is "" or the body is a bare string)
  request_too_large,  ///< HTTP 413
  server_error,       ///< HTTP 500
  response_too_large, ///< HTTP 507
  http_status,        ///< any other non-2xx status
  transport_dns,      ///< host-reported: name resolution failed
  transport_connect,  ///< host-reported: TCP connect failed or was refused
  transport_tls,      ///< host-reported: TLS handshake or certificate failure
  transport_timeout,  ///< host-reported: the request timed out
  transport_other,    ///< host-reported: any other transport failure (reset, aborted, ...)
  protocol,           ///< a response body that is not what the protocol promises
  invalid_connection_string,  ///< the connection string could not be used
  invalid_argument,   ///< a bad argument to a client call (e.g. a non-ASCII header value)
  null_value,         ///< a NULL cell read as a non-optional value
  wrong_type,         ///< a cell read as a C++ type that its column OID does not map to
  invalid_value,      ///< a cell whose text is malformed for its type
  out_of_range,       ///< a cell value or index that does not fit the requested type
};

/// Stable lowercase name of `k` ("database", "transport_timeout", ...).
[[nodiscard]] std::string_view to_string(error_kind k) noexcept;

/// The 17 fields of a Neon error body, in the proxy's key order. Absent/JSON-null fields are
/// std::nullopt; an empty string (as proxy errors send for `code`/`severity`) is kept.
struct error_fields {
  std::optional<std::string> message, code, detail, hint, position, internal_position,
      internal_query, severity, where, table, column, schema, data_type, constraint, file, line,
      routine;

  // Out of line (error.cpp): every neon::result<T> moves and destroys an error, and 17 inline
  // optional<string> members at each of those places cost the wasm module kilobytes.
  error_fields() = default;
  ~error_fields();
  error_fields(const error_fields&);
  error_fields(error_fields&&) noexcept;
  error_fields& operator=(const error_fields&);
  error_fields& operator=(error_fields&&) noexcept;
};

/// The client's error. `message` is always set and is meant for humans (for a database error it
/// is the server's `message`, exactly as the JS driver's NeonDbError.message).
struct error {
  error_kind kind = error_kind::protocol;
  int http_status = 0;   ///< the HTTP status, or 0 when no response was received
  std::string message;
  error_fields fields;   ///< set for database/proxy errors decoded from a JSON body

  /// The SQLSTATE ("23505"), or "" when there is none.
  [[nodiscard]] std::string_view sqlstate() const noexcept {
    return fields.code ? std::string_view(*fields.code) : std::string_view();
  }
  /// True for the transport_* kinds (no HTTP response was received).
  [[nodiscard]] bool is_transport() const noexcept {
    return kind >= error_kind::transport_dns && kind <= error_kind::transport_other;
  }
};

template <class T>
using result = basic_result<T, error>;
using status = basic_status<error>;

/// Builds an error of `kind` with `message` (no fields, no status).
[[nodiscard]] error make_error(error_kind kind, std::string message);

/// Transport failure categories a host reports.
enum class transport : std::uint8_t { dns, connect, tls, timeout, other };

/// The error a host reports when the HTTP exchange failed before a response arrived. The message
/// reads "Error connecting to database: <detail>" as the JS driver's. The host must not put
/// credentials in `detail`.
[[nodiscard]] error transport_error(transport kind, std::string_view detail);

/// The error for a non-2xx response, as the JS driver builds it: status 400 with a JSON error
/// object gives a database/proxy error with all fields; any other status gives
/// "Server error (HTTP status N): <body>". A 400 body that is not a JSON error object gives a
/// `protocol` error quoting the body.
[[nodiscard]] error error_from_http(int http_status, const padded_buffer& body);

}  // namespace edgefn::neon
