#pragma once
// Access to the throwaway Postgres + gateway started by the CTest fixture `db`
// (tests/support/test_env.sh). Tests call test_env::get() and skip nothing: if the fixture
// did not run, get() fails the test with a clear message.

#include <string>

namespace edgefn::testing {

struct test_env {
  std::string pg_host;
  std::string pg_port;
  std::string pg_socket_dir;
  std::string pg_user;
  std::string pg_password;
  std::string pg_database;
  std::string gateway_url;   ///< http://127.0.0.1:PORT/sql
  std::string database_url;  ///< postgres://user:password@localhost:PORT/db

  /// libpq conninfo straight to Postgres (bypassing the gateway), for a given database.
  [[nodiscard]] std::string libpq_conninfo(const std::string& database = {}) const;
  /// A connection string for the gateway's Neon-Connection-String header.
  [[nodiscard]] std::string connection_string(const std::string& database = {}) const;

  /// Reads $EDGEFN_TEST_ENV_FILE once; aborts the test binary with a message if missing.
  static const test_env& get();
};

}  // namespace edgefn::testing
