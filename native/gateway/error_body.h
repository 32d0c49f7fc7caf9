#pragma once
// Neon's /sql error bodies: an object with 17 keys in a fixed order (spec §5).

#include <libpq-fe.h>

#include <string>
#include <string_view>

namespace edgefn::gateway {

/// An error to send: the HTTP status and the JSON body.
struct sql_error {
  int status = 400;
  std::string body;
};

/// A proxy-generated error: `code` and `severity` are "", every other field null.
[[nodiscard]] sql_error proxy_error(int status, std::string_view message);

/// A Postgres error from a failed result, with every diagnostic field copied
/// (position, internalPosition and line stay strings, absent fields are null).
[[nodiscard]] sql_error postgres_error(int status, const PGresult* result);

/// A Postgres-style error built from parts (used for connection failures, where libpq gives
/// only text): message, SQLSTATE and severity set, every other field null.
[[nodiscard]] sql_error postgres_error_fields(int status, std::string_view message,
                                              std::string_view code, std::string_view severity);

}  // namespace edgefn::gateway
