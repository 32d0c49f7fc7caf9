#pragma once
// `db export` / `db import`: pg_dump and psql run against DATABASE_URL (they speak the Postgres
// protocol; a Neon connection string works with them too). The connection string is handed to
// them as PG* environment variables, never on their command line (where `ps` would show the
// password), and no message quotes it.

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"
#include "neon/connection_string.h"

namespace edgefn::native {

/// What a child process printed (stdout and stderr together) and how it ended.
struct process_output {
  int exit_code = -1;  ///< -1: killed by a signal
  std::string output;
};

/// Runs `argv` (argv[0] looked up on PATH) with the current environment plus `extra_env`
/// ("KEY=VALUE" replaces KEY; a bare "KEY" removes it), stdin from /dev/null, capturing its
/// output (the first MiB).
/// Errors: invalid_argument ("<program> not found on PATH", or another spawn failure).
[[nodiscard]] result<process_output> run_process(const std::vector<std::string>& argv,
                                                 const std::vector<std::string>& extra_env);

/// libpq's environment for `conn`: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, and
/// PGSSLMODE / PGOPTIONS / PGCHANNELBINDING / PGAPPNAME from the URL's parameters. Every other
/// PG* variable of the caller's environment is removed so none leaks in.
[[nodiscard]] std::vector<std::string> libpq_env(const neon::connection_info& conn);

/// The major version in `pg_dump --version` / `psql --version` output ("pg_dump (PostgreSQL)
/// 16.4 (Debian ...)" -> 16), or 0 when it cannot be read.
[[nodiscard]] int client_major_version(std::string_view version_output);

/// `<dir>/<environment>-<UTC time, YYYYMMDDTHHMMSSZ>.sql`.
[[nodiscard]] std::string backup_path(const std::string& dir, const std::string& environment,
                                      std::chrono::system_clock::time_point when);

/// Dumps the database of `conn` (pg_dump, plain SQL with DROP ... IF EXISTS before each
/// object, no owners or grants, so it restores into another database or branch) into a new
/// file under `dir` (created, with a .gitignore that keeps backups out of git). Returns the
/// file's path. Errors, none leaving a half-written backup (a failed dump's file is removed):
/// unsupported when pg_dump's major version is older than the server's; invalid_argument when
/// `environment` is not a plain name (letters, digits, '-', '_', inner dots), pg_dump or psql
/// is missing, the server cannot be reached, pg_dump fails (its message included) or the
/// folder cannot be written.
[[nodiscard]] result<std::string> export_database(const neon::connection_info& conn, const std::string& dir,
                                                  const std::string& environment);

/// Restores `file` (an export) into the database of `conn` with psql, in one transaction that
/// stops at the first error (all or nothing). Errors: invalid_argument (psql or the file
/// missing, psql failed: its message included).
[[nodiscard]] status import_database(const neon::connection_info& conn, const std::string& file);

}  // namespace edgefn::native
