#include "neon/request.h"

#include <gtest/gtest.h>

#include "neon/client.h"

namespace neon = edgefn::neon;
namespace http = edgefn::http;

namespace {

constexpr const char* k_conn = "postgres://u:p@ep-a.r.neon.tech:5433/db";

neon::target make(const neon::client_config& cfg) {
  auto t = neon::make_target(cfg);
  EXPECT_TRUE(t) << (t ? "" : t.error().message);
  return std::move(t).value();
}

std::string header(const http::request& r, std::string_view name) {
  const std::string* v = http::find_header(r.headers, name);
  return v ? *v : std::string("<absent>");
}

}  // namespace

// Spec 45, 48.
TEST(unit, query_request_goes_to_derived_endpoint_with_the_fixed_headers) {
  const auto t = make({.connection_string = k_conn});
  const http::request r = neon::make_query_request(t, "select 1", {});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://api.r.neon.tech/sql");
  EXPECT_EQ(header(r, "Neon-Connection-String"), k_conn);
  EXPECT_EQ(header(r, "Neon-Raw-Text-Output"), "true");
  EXPECT_EQ(header(r, "Neon-Array-Mode"), "true");
  EXPECT_EQ(header(r, "Neon-Pool-Opt-In"), "<absent>");
  EXPECT_EQ(header(r, "Authorization"), "<absent>");
  EXPECT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.body, R"({"query":"select 1","params":[]})");
}

// Spec 46.
TEST(unit, auth_token_uses_apiauth_and_bearer_header) {
  const auto t = make({.connection_string = "postgres://u@ep-a.r.neon.tech/db", .auth_token = "tok.en"});
  const http::request r = neon::make_query_request(t, "select 1", {});
  EXPECT_EQ(r.url, "https://apiauth.r.neon.tech/sql");
  EXPECT_EQ(header(r, "Authorization"), "Bearer tok.en");
}

// Spec 47 (string form).
TEST(unit, endpoint_override_is_used_verbatim) {
  const auto t = make({.connection_string = k_conn, .endpoint_override = "http://127.0.0.1:4444/sql"});
  EXPECT_EQ(neon::make_query_request(t, "select 1", {}).url, "http://127.0.0.1:4444/sql");
}

// Spec 49 analogue.
TEST(unit, query_body_has_query_then_string_params) {
  const std::vector<neon::param> ps{1, "s"};
  EXPECT_EQ(neon::query_body("select $1 a, $2 b", ps),
            R"({"query":"select $1 a, $2 b","params":["1","s"]})");
}

TEST(unit, query_body_escapes_sql_text) {
  const std::vector<neon::param> ps{"line\n\"q\"\\"};
  EXPECT_EQ(neon::query_body("select '\"'\n", ps),
            R"({"query":"select '\"'\n","params":["line\n\"q\"\\"]})");
}

// Spec 52.
TEST(unit, batch_request_sends_only_the_options_that_are_set) {
  const auto t = make({.connection_string = k_conn});
  const std::vector<neon::query> qs{{"select 1", {}}, {"select $1", {neon::param(2)}}};
  const http::request r = neon::make_batch_request(
      t, qs, {.isolation = neon::isolation_level::serializable, .read_only = false});
  EXPECT_EQ(r.body,
            R"({"queries":[{"query":"select 1","params":[]},{"query":"select $1","params":["2"]}]})");
  EXPECT_EQ(header(r, "Neon-Batch-Isolation-Level"), "Serializable");
  EXPECT_EQ(header(r, "Neon-Batch-Read-Only"), "false");
  EXPECT_EQ(header(r, "Neon-Batch-Deferrable"), "<absent>");
  EXPECT_EQ(header(r, "Neon-Array-Mode"), "true");
}

TEST(unit, batch_isolation_levels_are_spelled_as_neon_expects) {
  EXPECT_EQ(neon::to_string(neon::isolation_level::read_uncommitted), "ReadUncommitted");
  EXPECT_EQ(neon::to_string(neon::isolation_level::read_committed), "ReadCommitted");
  EXPECT_EQ(neon::to_string(neon::isolation_level::repeatable_read), "RepeatableRead");
  EXPECT_EQ(neon::to_string(neon::isolation_level::serializable), "Serializable");
  const auto t = make({.connection_string = k_conn});
  const http::request r = neon::make_batch_request(t, {}, {.read_only = true, .deferrable = true});
  EXPECT_EQ(r.body, R"({"queries":[]})");
  EXPECT_EQ(header(r, "Neon-Batch-Read-Only"), "true");
  EXPECT_EQ(header(r, "Neon-Batch-Deferrable"), "true");
  EXPECT_EQ(header(r, "Neon-Batch-Isolation-Level"), "<absent>");
}

// Spec 53.
TEST(unit, batch_without_options_and_single_queries_send_no_batch_headers) {
  const auto t = make({.connection_string = k_conn});
  const std::vector<neon::query> qs{{"select 1", {}}};
  for (const auto& r : {neon::make_batch_request(t, qs), neon::make_query_request(t, "select 1", {})})
    for (const auto& [k, v] : r.headers) EXPECT_EQ(k.rfind("Neon-Batch-", 0), std::string::npos) << k;
}

TEST(unit, bad_config_is_rejected_without_leaking_secrets) {
  auto bad_conn = neon::make_target({.connection_string = "mysql://u:hunter2@h.x/db"});
  ASSERT_FALSE(bad_conn);
  EXPECT_EQ(bad_conn.error().kind, neon::error_kind::invalid_connection_string);
  EXPECT_EQ(bad_conn.error().message.find("hunter2"), std::string::npos);
  auto bad_tok = neon::make_target({.connection_string = k_conn, .auth_token = "a\r\nX-Evil: 1"});
  ASSERT_FALSE(bad_tok);
  EXPECT_EQ(bad_tok.error().kind, neon::error_kind::invalid_argument);
  EXPECT_EQ(bad_tok.error().message.find("Evil"), std::string::npos);
}

TEST(unit, client_facade_builds_requests_and_decodes_replies) {
  auto c = neon::client::create({.connection_string = k_conn});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->url(), "https://api.r.neon.tech/sql");
  EXPECT_EQ(c->connection().database, "db");
  const http::request r = c->make_query_request("select $1::int4 as n", {neon::param(42)});
  EXPECT_EQ(r.body, R"({"query":"select $1::int4 as n","params":["42"]})");
  http::response resp;
  resp.status = 200;
  resp.body.append(R"({"fields":[{"name":"n","dataTypeID":23,"tableID":0,"columnID":0,"dataTypeSize":4,"dataTypeModifier":-1,"format":"text"}],"rows":[["42"]],"command":"SELECT","rowCount":1,"rowAsArray":true})");
  auto rs = c->decode_response(resp);
  ASSERT_TRUE(rs) << rs.error().message;
  EXPECT_EQ(rs->get<std::int32_t>(0, 0).value(), 42);
}
