#include "support/test_env.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

namespace edgefn::testing {

std::string test_env::libpq_conninfo(const std::string& database) const {
  return "host=" + pg_host + " port=" + pg_port + " user=" + pg_user + " password=" +
         pg_password + " dbname=" + (database.empty() ? pg_database : database);
}

std::string test_env::connection_string(const std::string& database) const {
  return "postgres://" + pg_user + ":" + pg_password + "@localhost:" + pg_port + "/" +
         (database.empty() ? pg_database : database);
}

const test_env& test_env::get() {
  static const test_env env = [] {
    const char* path = std::getenv("EDGEFN_TEST_ENV_FILE");
    std::ifstream in(path ? path : "");
    if (!in) {
      std::fprintf(stderr, "test env file not found (EDGEFN_TEST_ENV_FILE=%s); run through "
                           "ctest so the `db` fixture starts Postgres and the gateway\n",
                   path ? path : "<unset>");
      std::exit(1);
    }
    std::map<std::string, std::string> kv;
    for (std::string line; std::getline(in, line);) {
      const auto eq = line.find('=');
      if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
    }
    test_env e;
    e.pg_host = kv["EDGEFN_TEST_PG_HOST"];
    e.pg_port = kv["EDGEFN_TEST_PG_PORT"];
    e.pg_socket_dir = kv["EDGEFN_TEST_PG_SOCKET_DIR"];
    e.pg_user = kv["EDGEFN_TEST_PG_USER"];
    e.pg_password = kv["EDGEFN_TEST_PG_PASSWORD"];
    e.pg_database = kv["EDGEFN_TEST_PG_DATABASE"];
    e.gateway_url = kv["EDGEFN_TEST_GATEWAY_URL"];
    e.database_url = kv["DATABASE_URL"];
    return e;
  }();
  return env;
}

}  // namespace edgefn::testing
