#include "migrate/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

extern char** environ;

namespace edgefn::native {
namespace {

namespace fs = std::filesystem;

std::string key_of(std::string_view assignment) { return std::string(assignment.substr(0, assignment.find('='))); }

// The caller's environment with `extra` applied (same-named variables replaced; an entry
// without '=' removes the variable).
std::vector<std::string> merged_env(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    const std::string k = key_of(*e);
    bool replaced = false;
    for (const auto& x : extra) replaced = replaced || key_of(x) == k;
    if (!replaced) out.emplace_back(*e);
  }
  for (const auto& x : extra)
    if (x.find('=') != std::string::npos) out.push_back(x);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& xs) {
  std::vector<char*> out;
  for (auto& x : xs) out.push_back(x.data());
  out.push_back(nullptr);
  return out;
}

// "2026-11-30 03:44:17" UTC as 20261130T034417Z.
std::string utc_stamp(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The server's major version through psql (the same connection pg_dump will use).
result<int> server_major_version(const std::vector<std::string>& env) {
  auto r = run_process({"psql", "-X", "-A", "-t", "-q", "-c", "show server_version_num"}, env);
  if (!r) return std::move(r).error();
  if (r->exit_code != 0)
    return fail(errc::invalid_argument, "cannot reach the database: " + trimmed(r->output));
  int num = 0;
  const std::string text = trimmed(r->output);
  std::from_chars(text.data(), text.data() + text.size(), num);
  if (num <= 0) return fail(errc::invalid_argument, "unexpected server_version_num: " + text);
  return num / 10000;
}

status ensure_backup_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(errc::invalid_argument, "cannot create " + dir + ": " + ec.message());
  const fs::path ignore = fs::path(dir) / ".gitignore";
  if (fs::exists(ignore, ec)) return {};
  std::ofstream out(ignore);
  out << "# Database exports (`db export`): data, kept out of git.\n*\n!.gitignore\n";
  if (!out) return fail(errc::invalid_argument, "cannot write " + ignore.string());
  return {};
}

}  // namespace

result<process_output> run_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return fail(errc::invalid_argument, std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  std::vector<std::string> args = argv, env = merged_env(extra_env);
  auto arg_ptrs = pointers(args), env_ptrs = pointers(env);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    if (rc == ENOENT) return fail(errc::invalid_argument, argv[0] + " not found on PATH");
    return fail(errc::invalid_argument, "cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  process_output out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (out.output.size() < (1u << 20)) out.output.append(buf, static_cast<std::size_t>(n));  // bounded
  }
  close(fds[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  out.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

std::vector<std::string> libpq_env(const neon::connection_info& conn) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)  // nothing of the caller's libpq settings leaks in
    if (std::string_view(*e).starts_with("PG")) env.push_back(key_of(*e));
  auto set = [&env](const std::string& key, const std::string& value) {
    std::erase_if(env, [&](const std::string& x) { return key_of(x) == key; });
    env.push_back(key + "=" + value);
  };
  std::string host = conn.host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);  // IPv6
  set("PGHOST", host);
  if (conn.port) set("PGPORT", std::to_string(*conn.port));
  set("PGUSER", conn.user);
  if (conn.password) set("PGPASSWORD", *conn.password);
  set("PGDATABASE", conn.database);
  for (const auto& [param, var] : {std::pair{"sslmode", "PGSSLMODE"}, std::pair{"options", "PGOPTIONS"},
                                   std::pair{"channel_binding", "PGCHANNELBINDING"},
                                   std::pair{"application_name", "PGAPPNAME"}})
    if (const std::string* v = conn.param(param)) set(var, *v);
  return env;
}

int client_major_version(std::string_view text) {
  const auto close = text.find(") ");
  if (close == std::string_view::npos) return 0;
  text.remove_prefix(close + 2);
  int major = 0;
  std::from_chars(text.data(), text.data() + text.size(), major);
  return major;
}

std::string backup_path(const std::string& dir, const std::string& environment,
                        std::chrono::system_clock::time_point when) {
  return (fs::path(dir) / (environment + "-" + utc_stamp(when) + ".sql")).string();
}

result<std::string> export_database(const neon::connection_info& conn, const std::string& dir,
                                    const std::string& environment) {
  // The name becomes part of a path: letters, digits, '-', '_' and inner dots only.
  const bool safe = !environment.empty() && environment.front() != '.' &&
                    std::all_of(environment.begin(), environment.end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
                    });
  if (!safe) return fail(errc::invalid_argument, "not a usable environment name for a file: " + environment);
  const auto env = libpq_env(conn);
  auto version = run_process({"pg_dump", "--version"}, env);
  if (!version)
    return fail(errc::invalid_argument, version.error().message +
                                            ": install the PostgreSQL client tools (Debian: postgresql-client)");
  const int client = client_major_version(version->output);
  auto server = server_major_version(env);
  if (!server) return std::move(server).error();
  if (client < *server)
    return fail(errc::unsupported, "pg_dump " + std::to_string(client) + " is older than the server (PostgreSQL " +
                                       std::to_string(*server) + "): install postgresql-client-" +
                                       std::to_string(*server) + " or newer");
  if (auto st = ensure_backup_dir(dir); !st) return st.error();
  const std::string file = backup_path(dir, environment, std::chrono::system_clock::now());
  // Created here, owner-only (a dump holds the data), and never over an existing file.
  const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(errc::invalid_argument, "cannot create " + file + ": " + std::strerror(errno));
  close(fd);
  auto r = run_process({"pg_dump", "--format=plain", "--no-owner", "--no-privileges", "--clean", "--if-exists",
                        "--file=" + file},
                       env);
  if (!r || r->exit_code != 0) {
    std::error_code ec;
    fs::remove(file, ec);
    if (!r) return std::move(r).error();
    return fail(errc::invalid_argument, "pg_dump failed: " + trimmed(r->output));
  }
  return file;
}

status import_database(const neon::connection_info& conn, const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return fail(errc::invalid_argument, file + ": no such file");
  auto r = run_process({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", file},
                       libpq_env(conn));
  if (!r) return std::move(r).error();
  if (r->exit_code != 0) return fail(errc::invalid_argument, "psql failed (nothing was restored): " + trimmed(r->output));
  return {};
}

}  // namespace edgefn::native
