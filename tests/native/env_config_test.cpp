#include "config/env_config.h"
#include "config/app_config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using edgefn::native::env_config;

namespace {

struct temp_project {
  std::filesystem::path dir;
  temp_project() {
    char tmpl[] = "/tmp/edgefn-env-XXXXXX";
    dir = mkdtemp(tmpl);
  }
  ~temp_project() { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
  }
};

}  // namespace

TEST(env_config, parses_quotes_comments_and_export) {
  auto kv = env_config::parse_dotenv(
      "# comment\nexport A=1\nB = 'x # y'\nC=\"line\\nnext\"\nD=plain # trailing\n bad line\nE=\n");
  EXPECT_EQ(kv["A"], "1");
  EXPECT_EQ(kv["B"], "x # y");
  EXPECT_EQ(kv["C"], "line\nnext");
  EXPECT_EQ(kv["D"], "plain");
  EXPECT_EQ(kv["E"], "");
  EXPECT_EQ(kv.count("bad"), 0u);
}

TEST(env_config, earlier_files_win_per_key_and_environment_wins_over_files) {
  temp_project p;
  p.write(".env", "DATABASE_URL=postgres://from-env\nONLY_BASE=base\nEDGEFN_T_OVERRIDE=file\n");
  p.write(".env.local", "DATABASE_URL=postgres://from-local\n");
  p.write(".env.staging.local", "DATABASE_URL=postgres://from-staging\n");
  setenv("EDGEFN_T_OVERRIDE", "process", 1);
  auto cfg = env_config::load(p.dir.string(), "staging");
  EXPECT_EQ(cfg.get("DATABASE_URL"), "postgres://from-staging");
  EXPECT_EQ(cfg.get("ONLY_BASE"), "base");
  EXPECT_EQ(cfg.get("EDGEFN_T_OVERRIDE"), "process");
  EXPECT_EQ(cfg.files_read().size(), 3u);
  unsetenv("EDGEFN_T_OVERRIDE");

  auto no_env = env_config::load(p.dir.string(), "");
  if (no_env.environment().empty()) {
    EXPECT_EQ(no_env.get("DATABASE_URL"), "postgres://from-local");
  }
  EXPECT_EQ(no_env.get("MISSING_KEY_XYZ"), std::nullopt);
}

TEST(env_config, environment_variable_selects_the_env_file) {
  temp_project p;
  p.write(".env.production.local", "K=prod\n");
  p.write(".env", "K=base\n");
  setenv("ENVIRONMENT", "production", 1);
  auto cfg = env_config::load(p.dir.string());
  unsetenv("ENVIRONMENT");
  EXPECT_EQ(cfg.environment(), "production");
  EXPECT_EQ(cfg.get("K"), "prod");
}

TEST(env_config, cache_sizes_are_read_in_bytes_and_validated) {
  temp_project p;
  p.write(".env", "DATABASE_URL=postgres://u@db.example/d\n");
  auto defaults = edgefn::native::load_host_config(env_config::load(p.dir.string(), ""), "");
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->cache_max_bytes, 32u << 20);
  EXPECT_EQ(defaults->cache_max_entry_bytes, 1u << 20);

  p.write(".env", "DATABASE_URL=postgres://u@db.example/d\nCACHE_MAX_BYTES=1048576\nCACHE_MAX_ENTRY_BYTES=4096\n");
  auto set = edgefn::native::load_host_config(env_config::load(p.dir.string(), ""), "");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->cache_max_bytes, 1048576u);
  EXPECT_EQ(set->cache_max_entry_bytes, 4096u);

  for (const char* bad : {"1k", "0", "-5", "12 "}) {
    p.write(".env", std::string("DATABASE_URL=postgres://u@db.example/d\nCACHE_MAX_BYTES='") + bad + "'\n");
    auto r = edgefn::native::load_host_config(env_config::load(p.dir.string(), ""), "");
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("CACHE_MAX_BYTES"), std::string::npos);
  }
}

TEST(env_config, host_config_reads_the_sql_deadline_and_server_timing) {
  temp_project p;
  p.write(".env", "DATABASE_URL=postgres://u:p@localhost/db\n");
  auto defaults = edgefn::native::load_host_config(env_config::load(p.dir.string(), "none"), "");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->api.sql_timeout_ms, 10'000u);
  EXPECT_FALSE(defaults->api.server_timing);

  p.write(".env.t.local", "SQL_TIMEOUT_MS=2500\nSERVER_TIMING=true\n");
  auto set = edgefn::native::load_host_config(env_config::load(p.dir.string(), "t"), "");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->api.sql_timeout_ms, 2500u);
  EXPECT_TRUE(set->api.server_timing);

  for (const char* bad : {"10s", "-1", "99999999999"}) {
    p.write(".env.bad.local", std::string("SQL_TIMEOUT_MS=") + bad + "\n");
    auto refused = edgefn::native::load_host_config(env_config::load(p.dir.string(), "bad"), "");
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("SQL_TIMEOUT_MS"), std::string::npos);
  }
}

TEST(env_config, max_body_bytes_is_read_and_bounded_by_neons_request_limit) {
  temp_project p;
  p.write(".env", "DATABASE_URL=postgres://u:p@localhost/db\n");
  auto defaults = edgefn::native::load_host_config(env_config::load(p.dir.string(), "none"), "");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->api.max_body_bytes, 64u * 1024);

  p.write(".env.m.local", "MAX_BODY_BYTES=1048576\n");
  auto set = edgefn::native::load_host_config(env_config::load(p.dir.string(), "m"), "");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->api.max_body_bytes, 1048576u);

  for (const char* bad : {"0", "1MiB", "-1"}) {  // the range: api::make_handler (app_test)
    p.write(".env.bad.local", std::string("MAX_BODY_BYTES=") + bad + "\n");
    auto refused = edgefn::native::load_host_config(env_config::load(p.dir.string(), "bad"), "");
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("MAX_BODY_BYTES"), std::string::npos) << bad;
  }
}

TEST(env_config, database_url_read_names_a_replica_of_the_same_endpoint) {
  temp_project p;
  p.write(".env", "DATABASE_URL=postgres://u:p@localhost/db\nNEON_FETCH_ENDPOINT=http://127.0.0.1:4444/sql\n");
  auto none = edgefn::native::load_host_config(env_config::load(p.dir.string(), "none"), "");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->api.read_replica);
  EXPECT_TRUE(none->read_database.connection_string.empty());

  p.write(".env.r.local", "DATABASE_URL_READ=postgres://u:p@replica.local:5433/db\n");
  auto set = edgefn::native::load_host_config(env_config::load(p.dir.string(), "r"), "");
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->api.read_replica);
  EXPECT_EQ(set->read_database.connection_string, "postgres://u:p@replica.local:5433/db");
  EXPECT_EQ(set->read_database.endpoint_override, "http://127.0.0.1:4444/sql");
  EXPECT_EQ(set->database.connection_string, "postgres://u:p@localhost/db") << "writes keep the primary";

  p.write(".env.bad.local", "DATABASE_URL_READ=mysql://u:secret-pw@replica/db\n");
  auto refused = edgefn::native::load_host_config(env_config::load(p.dir.string(), "bad"), "");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("DATABASE_URL_READ"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("secret-pw"), std::string::npos) << "never quotes the URL";
}
