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
  int retry_after_s = 0;  ///< > 0: send `Retry-After` (503 "database unavailable")
};

/// Seconds a client is told to wait before retrying when the database is unavailable.
inline constexpr int k_retry_after_s = 1;

/// A proxy-generated error: `code` and `severity` are "", every other field null.
[[nodiscard]] sql_error proxy_error(int status, std::string_view message);

/// "Database unavailable, retry later": 503 with Retry-After. `code`/`severity` are the
/// Postgres ones when Postgres said why (53300, 57P01, …), "" otherwise (refused, lost).
[[nodiscard]] sql_error unavailable_error(std::string_view message, std::string_view code = "",
                                          std::string_view severity = "");

/// A Postgres error from a failed result, with every diagnostic field copied
/// (position, internalPosition and line stay strings, absent fields are null).
[[nodiscard]] sql_error postgres_error(int status, const PGresult* result);

/// A failed query's error: 503 + Retry-After when its SQLSTATE says the database is
/// unavailable (sqlstate_unavailable) or libpq lost the connection without one, else 400.
[[nodiscard]] sql_error query_error(const PGresult* result, const PGconn* conn);

/// A Postgres-style error built from parts (used for connection failures, where libpq gives
/// only text): message, SQLSTATE and severity set, every other field null.
[[nodiscard]] sql_error postgres_error_fields(int status, std::string_view message,
                                              std::string_view code, std::string_view severity);

}  // namespace edgefn::gateway
