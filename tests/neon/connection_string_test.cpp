#include "neon/connection_string.h"

#include <gtest/gtest.h>

namespace neon = edgefn::neon;

TEST(unit, connection_string_parses_all_parts_and_keeps_params) {
  auto r = neon::parse_connection_string(
      "postgres://alice:s3cret@ep-cool-1.us-east-2.aws.neon.tech:5433/neondb?sslmode=require&options=endpoint%3Dep-cool-1&x");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->scheme, "postgres");
  EXPECT_EQ(r->user, "alice");
  EXPECT_EQ(r->password, "s3cret");
  EXPECT_EQ(r->host, "ep-cool-1.us-east-2.aws.neon.tech");
  EXPECT_EQ(r->port, 5433);
  EXPECT_EQ(r->database, "neondb");
  ASSERT_EQ(r->params.size(), 3u);
  EXPECT_EQ(r->params[0], (std::pair<std::string, std::string>{"sslmode", "require"}));
  EXPECT_EQ(*r->param("options"), "endpoint=ep-cool-1");
  EXPECT_EQ(*r->param("x"), "");
  EXPECT_EQ(r->param("nope"), nullptr);
}

TEST(unit, connection_string_percent_decodes_user_password_and_database) {
  auto r = neon::parse_connection_string("postgresql://us%40er:p%3Aw%2Fd%25@host.example/db%20with%20spaces");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->scheme, "postgresql");
  EXPECT_EQ(r->user, "us@er");
  EXPECT_EQ(r->password, "p:w/d%");
  EXPECT_EQ(r->database, "db with spaces");
  EXPECT_FALSE(r->port);
}

TEST(unit, connection_string_password_is_optional) {
  auto r = neon::parse_connection_string("postgresql://bob@localhost/db");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->password.has_value());
  auto empty = neon::parse_connection_string("postgresql://bob:@localhost/db");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->password, "");
}

TEST(unit, connection_string_keeps_ipv6_brackets) {
  auto r = neon::parse_connection_string("postgres://u:p@[::1]:5432/db");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->host, "[::1]");
  EXPECT_EQ(r->port, 5432);
  auto noport = neon::parse_connection_string("postgres://u:p@[2001:db8::1]/db");
  ASSERT_TRUE(noport);
  EXPECT_EQ(noport->host, "[2001:db8::1]");
  EXPECT_FALSE(neon::parse_connection_string("postgres://u:p@[::1/db"));
}

TEST(unit, connection_string_errors_are_clear_and_never_contain_the_password) {
  struct bad_case {
    const char* text;
    const char* expect;
  };
  const bad_case cases[] = {
      {"mysql://u:hunter2@h.x/db", "wrong URL scheme"},
      {"postgres://:hunter2@h.x/db", "missing user"},
      {"postgres://h.x/db", "missing user"},
      {"postgres://u:hunter2@/db", "missing host"},
      {"postgres://u:hunter2@h.x", "missing database"},
      {"postgres://u:hunter2@h.x/", "missing database"},
      {"postgres://u:hunter2@h.x:99999/db", "bad port"},
      {"postgres://u:hunter2/db", "bad port"},  // '@' forgotten: the password looks like a port
      {"postgres://u:hunter2%zz@h.x/db", "percent-encoding in the password"},
      {"u:hunter2@h.x/db", "expected a URL"},
      {"u:hunter2@h.x://db", "wrong URL scheme"},
      {"postgres://u:hunter2\n@h.x/db", "printable ASCII"},
  };
  for (const auto& c : cases) {
    auto r = neon::parse_connection_string(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().kind, neon::error_kind::invalid_connection_string) << c.text;
    EXPECT_NE(r.error().message.find(c.expect), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("hunter2"), std::string::npos) << r.error().message;
  }
}

TEST(unit, connection_string_scheme_is_case_insensitive) {
  auto r = neon::parse_connection_string("PostgreSQL://u:p@H.Example/db");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->scheme, "postgresql");
  EXPECT_EQ(r->host, "H.Example");
}

TEST(unit, connection_string_ignores_a_fragment) {
  auto r = neon::parse_connection_string("postgres://u:p@h.x/db#frag");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->database, "db");
  auto q = neon::parse_connection_string("postgres://u:p@h.x/db?a=1#frag");
  ASSERT_TRUE(q);
  EXPECT_EQ(*q->param("a"), "1");
}

// Spec checklist 45-47.
TEST(unit, endpoint_replaces_first_label_and_drops_port) {
  EXPECT_EQ(neon::derive_sql_endpoint("ep-a.r.neon.tech", false), "https://api.r.neon.tech/sql");
  EXPECT_EQ(neon::derive_sql_endpoint("ep-x-1.us-east-2.aws.neon.tech", false),
            "https://api.us-east-2.aws.neon.tech/sql");
  EXPECT_EQ(neon::derive_sql_endpoint("ep-a.r.neon.tech", true), "https://apiauth.r.neon.tech/sql");
}

TEST(unit, endpoint_keeps_dotless_hosts_and_mangles_ipv4_like_the_driver) {
  EXPECT_EQ(neon::derive_sql_endpoint("localhost", false), "https://localhost/sql");
  EXPECT_EQ(neon::derive_sql_endpoint("10.0.0.1", false), "https://api.0.0.1/sql");
  EXPECT_EQ(neon::derive_sql_endpoint("[::1]", false), "https://[::1]/sql");
}

TEST(unit, percent_decode_rejects_truncated_escapes) {
  EXPECT_FALSE(neon::percent_decode("%"));
  EXPECT_FALSE(neon::percent_decode("%4"));
  EXPECT_FALSE(neon::percent_decode("%g0"));
  EXPECT_EQ(*neon::percent_decode("%41%62c"), "Abc");
}
