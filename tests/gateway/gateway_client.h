#pragma once
// Test helpers: HTTP to the gateway (libcurl and raw sockets), libpq straight to Postgres,
// and builders for the exact JSON the gateway must answer.

#include <libpq-fe.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace edgefn::gateway_test {

/// A reply: status, headers (lowercased names; last one wins) and body.
struct reply {
  long status = 0;
  std::map<std::string, std::string> headers;
  std::string body;

  /// The header's value, or "<absent>".
  [[nodiscard]] std::string header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? "<absent>" : it->second;
  }
};

using header_list = std::vector<std::pair<std::string, std::string>>;

/// POSTs `body` to `url` (default: the fixture gateway) with `headers`.
reply post(const std::string& body, const header_list& headers = {}, const std::string& url = {});
/// POSTs with the fixture's connection string plus `extra` headers.
reply sql(const std::string& body, const header_list& extra = {});
/// A request with any method to the fixture gateway's host and `path`.
reply request(const std::string& method, const std::string& path, const header_list& headers = {},
              const std::string& body = {});

/// The fixture's Neon-Connection-String header.
std::pair<std::string, std::string> conn_header(const std::string& database = {});

/// The fixture gateway's port.
int gateway_port();

/// Connects a TCP socket to 127.0.0.1:port (blocking); -1 on failure.
int connect_tcp(int port);
/// Sends all bytes; false on error.
bool send_all(int fd, const std::string& data);
/// Reads until EOF or `timeout`; returns what arrived. `closed` tells whether EOF was seen.
std::string read_until_close(int fd, std::chrono::milliseconds timeout, bool& closed);
/// Reads one HTTP response (headers + Content-Length body) within `timeout`.
std::string read_response(int fd, std::chrono::milliseconds timeout);

/// A libpq connection straight to the fixture Postgres (bypassing the gateway).
class direct_pg {
 public:
  explicit direct_pg(const std::string& database = {});
  ~direct_pg();
  direct_pg(const direct_pg&) = delete;
  direct_pg& operator=(const direct_pg&) = delete;
  /// Runs `sql` and returns the first column of the first row ("" when none; "ERROR: …").
  std::string scalar(const std::string& sql);
  /// Runs `sql`, expecting success.
  void exec(const std::string& sql);

 private:
  PGconn* conn_;
};

/// `{"name":…,"dataTypeID":…,"tableID":0,"columnID":0,"dataTypeSize":…,"dataTypeModifier":-1,
/// "format":"text"}`.
std::string field(const std::string& name, int type, int size, int table = 0, int column = 0,
                  int modifier = -1);
/// A single-query success body.
std::string result(const std::string& fields, const std::string& rows, const std::string& command,
                   const std::string& row_count, bool as_array);
/// The 17-key error body of a proxy error.
std::string proxy_error(const std::string& message);
/// The `rows` value of a single-query body (text between "rows": and ,"command").
std::string rows_of(const std::string& body);
/// The string value of top-level key `key` in an error body, or "<absent>"; "null" for null.
std::string error_field(const std::string& body, const std::string& key);

}  // namespace edgefn::gateway_test
