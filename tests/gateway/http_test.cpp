// Server checklist items 31-36, 40, 41, 44: headers, connection strings, auth, limits, CORS.
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>

#include "gateway_client.h"
#include "support/test_env.h"

namespace edgefn::gateway_test {
namespace {

using testing::test_env;

std::string port() { return test_env::get().pg_port; }

reply with_conn(const std::string& conn, const std::string& body = R"({"query":"select 1"})") {
  return post(body, {{"Neon-Connection-String", conn}});
}

TEST(GatewayHttp, Item31_MissingConnectionString) {
  const reply r = post(R"({"query":"select 1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, proxy_error("invalid header: neon-connection-string"));
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
}

TEST(GatewayHttp, Item32_ConnectionStringValidation) {
  EXPECT_EQ(with_conn("mysql://u:p@h.example/db").body, proxy_error("incorrect scheme"));
  EXPECT_EQ(with_conn("postgres://h.example/db").body, proxy_error("missing username"));
  EXPECT_EQ(with_conn("postgres://u@h.example/db").body,
            proxy_error("missing authentication credentials: required password"));
  EXPECT_EQ(with_conn("postgres://u:p@h.example").body, proxy_error("missing database name"));
  EXPECT_EQ(with_conn("not a url").body,
            proxy_error("invalid connection string: relative URL without a base"));
  EXPECT_EQ(with_conn("mysql://u:p@h.example/db").status, 400);
}

TEST(GatewayHttp, Item33_WrongPasswordAndUnknownDb) {
  const reply bad = with_conn("postgres://edgefn:wrong@localhost:" + port() + "/edgefn_test");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, proxy_error("password authentication failed for user 'edgefn'"));
  const reply nodb = with_conn("postgres://edgefn:test-pass@localhost:" + port() + "/gw_nope");
  EXPECT_EQ(nodb.status, 400);
  EXPECT_EQ(error_field(nodb.body, "code"), "3D000");
  EXPECT_EQ(error_field(nodb.body, "message"), "database \"gw_nope\" does not exist");
}

TEST(GatewayHttp, PasswordCheckedOnEveryRequest) {
  // A pooled connection for the right password must not serve a wrong one.
  ASSERT_EQ(sql(R"({"query":"select 1"})").status, 200);
  const reply bad = with_conn("postgres://edgefn:test-pas@localhost:" + port() + "/edgefn_test");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, proxy_error("password authentication failed for user 'edgefn'"));
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayHttp, Item34_PercentDecoding) {
  const reply db = post(R"({"query":"select current_database() d"})", {conn_header("db%20with%20spaces")});
  EXPECT_EQ(rows_of(db.body), R"([{"d":"db with spaces"}])");
  const reply role = with_conn("postgres://other:p%40ss%3Aw%2Frd%3F%23@localhost:" + port() +
                                   "/edgefn_test",
                               R"({"query":"select current_user u"})");
  EXPECT_EQ(rows_of(role.body), R"([{"u":"other"}])");
}

TEST(GatewayHttp, Item35_BadBodies) {
  const reply notjson = sql("select 1");
  EXPECT_EQ(notjson.status, 400);
  EXPECT_EQ(error_field(notjson.body, "message").rfind("could not parse the HTTP request body: ", 0),
            0u);
  EXPECT_EQ(error_field(notjson.body, "code"), "");
  for (const char* body : {R"({"query":1})", R"({"params":[]})", R"([1])", R"({"query":"select 1")",
                           R"({"queries":[{"params":[]}]})", R"({"query":"select 1","params":{}})"}) {
    EXPECT_EQ(error_field(sql(body).body, "message").rfind("could not parse the HTTP request body: ", 0),
              0u) << body;
  }
  const reply big = sql(std::string(10485761, ' '));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body, proxy_error("request is too large (max is 10485760 bytes)"));
  const std::string padded = R"({"query":"select 1 as x"})" + std::string(10485760 - 25, ' ');
  ASSERT_EQ(padded.size(), 10485760u);
  EXPECT_EQ(sql(padded).status, 200);
}

TEST(GatewayHttp, Item35_OversizedContentLengthRejectedUpFront) {
  const int fd = connect_tcp(gateway_port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "POST /sql HTTP/1.1\r\nHost: x\r\nContent-Length: 10485761\r\n\r\n"));
  const std::string resp = read_response(fd, std::chrono::seconds(5));
  ::close(fd);
  EXPECT_EQ(resp.rfind("HTTP/1.1 413 ", 0), 0u) << resp;
  EXPECT_NE(resp.find(proxy_error("request is too large (max is 10485760 bytes)")),
            std::string::npos);
}

TEST(GatewayHttp, Item36_ResponseTooLarge) {
  const reply r =
      sql(R"({"query":"select * from generate_series(1,5000) a, generate_series(1,5000) b"})");
  EXPECT_EQ(r.status, 507);
  EXPECT_EQ(r.body, proxy_error("response is too large (max is 10485760 bytes)"));
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayHttp, Item40_OptionsAndCors) {
  const reply r = request("OPTIONS", "/sql");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.header("allow"), "OPTIONS, POST");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_EQ(r.header("access-control-allow-headers"),
            "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, "
            "Neon-Pool-Opt-In, Neon-Batch-Read-Only, Neon-Batch-Isolation-Level");
  EXPECT_EQ(r.header("access-control-max-age"), "86400");
  const reply ok = sql(R"({"query":"select 1"})");
  const reply bad = sql(R"({"query":"selec 1"})");
  for (const reply* x : {&ok, &bad}) {
    EXPECT_EQ(x->headers.at("access-control-allow-origin"), "*");
    EXPECT_EQ(x->headers.at("content-type"), "application/json");
    const std::string& id = x->headers.at("neon-request-id");
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');  // a version 4 UUID, RFC 4122 variant, lowercase hex
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    for (std::size_t i = 0; i < id.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      const std::string allowed = dash ? "-" : "0123456789abcdef";
      EXPECT_NE(allowed.find(id[i]), std::string::npos) << id << " at " << i;
    }
  }
  EXPECT_NE(ok.headers.at("neon-request-id"), bad.headers.at("neon-request-id"));
}

TEST(GatewayHttp, Item41_OtherRoutesAndContentType) {
  const reply get = request("GET", "/sql", {conn_header()});
  EXPECT_EQ(get.status, 400);
  EXPECT_EQ(get.body, "\"query is not supported\"");
  const reply other = request("POST", "/x", {conn_header()}, R"({"query":"select 1"})");
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(other.body, "\"query is not supported\"");
  const reply query_string = request("POST", "/sql?x=1", {conn_header()}, R"({"query":"select 1"})");
  EXPECT_EQ(query_string.status, 200);
  const reply text = sql(R"({"query":"select 1"})", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 200);
}

TEST(GatewayHttp, Item44_AuthorizationHeaderRejected) {
  const reply r = sql(R"({"query":"select 1"})", {{"Authorization", "Bearer x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, proxy_error("missing authentication credentials: required password"));
}

}  // namespace
}  // namespace edgefn::gateway_test
