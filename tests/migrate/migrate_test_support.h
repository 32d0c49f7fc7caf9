#pragma once
// Helpers shared by the migrate integration tests: a fresh database per test (created through
// libpq straight on Postgres), a Neon client to it through the gateway, libpq queries to check
// side effects, and running the edgefn binary against it.

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "neon/client.h"
#include "support/test_env.h"

namespace edgefn::migrate_test {

using edgefn::testing::test_env;

using rows_t = std::vector<std::vector<std::string>>;

// Runs `sql` straight on Postgres (libpq), returning the rows as text ("<null>" for NULL).
inline rows_t pg(const std::string& db, const std::string& sql) {
  PGconn* conn = PQconnectdb(test_env::get().libpq_conninfo(db).c_str());
  rows_t out;
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    for (int i = 0; i < PQntuples(r); ++i) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(r); ++c)
        row.emplace_back(PQgetisnull(r, i, c) ? "<null>" : PQgetvalue(r, i, c));
      out.push_back(std::move(row));
    }
    PQclear(r);
  }
  PQfinish(conn);
  return out;
}

inline std::string scalar(const std::string& db, const std::string& sql) {
  auto r = pg(db, sql);
  return r.empty() || r[0].empty() ? "<none>" : r[0][0];
}

inline std::string fresh_database() {
  static std::atomic<int> counter{0};
  const std::string name = "mig_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
                           std::to_string(std::rand() % 100000);
  pg("postgres", "create database " + name);
  return name;
}

inline edgefn::neon::client client_for(const std::string& db) {
  edgefn::neon::client_config cfg;
  cfg.connection_string = test_env::get().connection_string(db);
  cfg.endpoint_override = test_env::get().gateway_url;
  auto c = edgefn::neon::client::create(cfg);
  EXPECT_TRUE(c);
  return std::move(c).value();
}

struct cli_result {
  int exit_code = -1;
  std::string output;
};

// Runs `cmd` in a shell, stdout and stderr together.
inline cli_result shell(const std::string& cmd) {
  cli_result out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.output.append(buf, n);
  const int st = pclose(p);
  out.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

// Runs the app binary `bin` in the directory `cwd` (default: /tmp, no stray .env) against `db`,
// with `env_extra` ("KEY=VALUE ...", shell-quoted by the caller) added to its environment.
inline cli_result run_app(const std::string& bin, const std::string& db, const std::string& args,
                          const std::string& cwd = "/tmp", const std::string& env_extra = "") {
  const auto& e = test_env::get();
  return shell("cd '" + cwd + "' && env -u ENVIRONMENT -u NODE_ENV DATABASE_URL='" + e.connection_string(db) +
               "' NEON_FETCH_ENDPOINT='" + e.gateway_url + "' " + env_extra + " " + bin + " " + args);
}

#ifdef EDGEFN_BIN
// Runs the wardrobe binary (EDGEFN_BIN) in an empty temp dir against `db`.
inline cli_result run_cli(const std::string& db, const std::string& args) { return run_app(EDGEFN_BIN, db, args); }
#endif

// The lines of `output` starting with `prefix`, in order.
inline std::vector<std::string> lines_starting(const std::string& output, const std::string& prefix) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < output.size()) {
    auto end = output.find('\n', at);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
    at = end + 1;
  }
  return out;
}

/// A scratch folder under /tmp (removed with its contents by the destructor).
struct temp_dir {
  std::filesystem::path path;
  explicit temp_dir(const char* prefix = "edgefn-test") {
    std::string tmpl = std::string("/tmp/") + prefix + "-XXXXXX";
    path = mkdtemp(tmpl.data());
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

}  // namespace edgefn::migrate_test
