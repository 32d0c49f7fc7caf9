#pragma once
// A minimal Postgres client over the gateway's WebSocket endpoint, for gateway_bench: what the
// official driver's Pool/Client does (the Postgres wire protocol in binary WebSocket frames,
// SCRAM-SHA-256 checked by Postgres itself), synchronous, one connection per worker. A query
// goes as libpq's PQexecParams sends it (Parse/Bind/Describe/Execute/Sync in one message), so
// it compares with the libpq peer message for message.

#include <memory>
#include <string>

namespace edgefn::bench {

/// Where and as whom to connect.
struct ws_pg_target {
  std::string host;    ///< the gateway's host
  std::string port;    ///< the gateway's port
  std::string path;    ///< e.g. /v2?address=127.0.0.1:5432
  std::string user;
  std::string password;
  std::string database;
};

/// Reads `ws://host:port/path` and a libpq key=value conninfo (user, password, dbname; plain
/// values without quotes). False with `error` set when either is malformed.
[[nodiscard]] bool parse_ws_pg_target(const std::string& url, const std::string& conninfo,
                                      ws_pg_target& out, std::string& error);

/// One authenticated session. Not thread-safe; closed by the destructor.
class ws_pg_connection {
 public:
  ws_pg_connection();
  ~ws_pg_connection();
  ws_pg_connection(const ws_pg_connection&) = delete;
  ws_pg_connection& operator=(const ws_pg_connection&) = delete;

  /// WebSocket handshake, startup, SCRAM-SHA-256 (or cleartext/trust), until ReadyForQuery.
  [[nodiscard]] bool connect(const ws_pg_target& target, std::string& error);

  /// Runs `sql` (no params) with the extended protocol; `rows` gets the DataRow count. False
  /// on an ErrorResponse (message in `error`) or a broken connection.
  [[nodiscard]] bool query(const std::string& sql, int& rows, std::string& error);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace edgefn::bench
