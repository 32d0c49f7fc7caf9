#include "neon/error.h"

#include <gtest/gtest.h>

#include "neon/result_set.h"

namespace neon = edgefn::neon;

namespace {
edgefn::padded_buffer body(std::string_view s) { return edgefn::padded_buffer(s); }
}  // namespace

// Spec checklist 19-21, 57: all 17 keys, in the proxy's order.
TEST(unit, database_error_400_carries_all_seventeen_fields) {
  const auto e = neon::error_from_http(400, body(
      R"({"message":"duplicate key value violates unique constraint \"t_pkey\"","code":"23505",)"
      R"("detail":"Key (id)=(1) already exists.","hint":"h","position":"15","internalPosition":"3",)"
      R"("internalQuery":"iq","severity":"ERROR","where":"w","table":"t","column":"c","schema":"public",)"
      R"("dataType":"dt","constraint":"t_pkey","file":"nbtinsert.c","line":"666","routine":"_bt_check_unique"})"));
  EXPECT_EQ(e.kind, neon::error_kind::database);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"t_pkey\"");
  EXPECT_EQ(e.sqlstate(), "23505");
  const auto& f = e.fields;
  EXPECT_EQ(f.message, e.message);
  EXPECT_EQ(f.detail, "Key (id)=(1) already exists.");
  EXPECT_EQ(f.hint, "h");
  EXPECT_EQ(f.position, "15");
  EXPECT_EQ(f.internal_position, "3");
  EXPECT_EQ(f.internal_query, "iq");
  EXPECT_EQ(f.severity, "ERROR");
  EXPECT_EQ(f.where, "w");
  EXPECT_EQ(f.table, "t");
  EXPECT_EQ(f.column, "c");
  EXPECT_EQ(f.schema, "public");
  EXPECT_EQ(f.data_type, "dt");
  EXPECT_EQ(f.constraint, "t_pkey");
  EXPECT_EQ(f.file, "nbtinsert.c");
  EXPECT_EQ(f.line, "666");
  EXPECT_EQ(f.routine, "_bt_check_unique");
  EXPECT_FALSE(e.is_transport());
}

TEST(unit, database_error_null_fields_are_absent) {
  const auto e = neon::error_from_http(400, body(
      R"({"message":"relation \"nope\" does not exist","code":"42P01","detail":null,"hint":null,)"
      R"("position":"15","internalPosition":null,"internalQuery":null,"severity":"ERROR","where":null,)"
      R"("table":null,"column":null,"schema":null,"dataType":null,"constraint":null,"file":"parse_relation.c",)"
      R"("line":"1449","routine":"parserOpenTable"})"));
  EXPECT_EQ(e.kind, neon::error_kind::database);
  EXPECT_EQ(e.fields.position, "15");
  EXPECT_FALSE(e.fields.detail);
  EXPECT_FALSE(e.fields.table);
}

TEST(unit, proxy_error_has_empty_code) {
  const auto e = neon::error_from_http(400, body(
      R"({"message":"password authentication failed for user 'u'","code":"","detail":null,"hint":null,)"
      R"("position":null,"internalPosition":null,"internalQuery":null,"severity":"","where":null,"table":null,)"
      R"("column":null,"schema":null,"dataType":null,"constraint":null,"file":null,"line":null,"routine":null})"));
  EXPECT_EQ(e.kind, neon::error_kind::proxy);
  EXPECT_EQ(e.message, "password authentication failed for user 'u'");
  EXPECT_EQ(e.fields.code, "");
  EXPECT_EQ(e.fields.severity, "");
  EXPECT_EQ(e.sqlstate(), "");
}

TEST(unit, database_error_fields_of_another_type_keep_their_json_text) {
  const auto e = neon::error_from_http(400, body(
      R"({"message":"m","code":"XX000","line":666,"position":{"a":[1,true]},"hint":"\u0041","extra":[1]})"));
  EXPECT_EQ(e.kind, neon::error_kind::database);
  EXPECT_EQ(e.fields.line, "666");
  EXPECT_EQ(e.fields.position, R"({"a":[1,true]})");
  EXPECT_EQ(e.fields.hint, "A");
  EXPECT_EQ(neon::error_from_http(400, body(R"({"message":"m",)")).kind, neon::error_kind::protocol);
  EXPECT_EQ(neon::error_from_http(400, body("[1]")).kind, neon::error_kind::protocol);
  EXPECT_EQ(neon::error_from_http(400, body("12")).kind, neon::error_kind::protocol);
}

TEST(unit, bare_string_400_is_a_proxy_error) {
  const auto e = neon::error_from_http(400, body(R"("query is not supported")"));
  EXPECT_EQ(e.kind, neon::error_kind::proxy);
  EXPECT_EQ(e.message, "query is not supported");
}

TEST(unit, non_json_400_is_a_protocol_error_quoting_the_body) {
  const auto e = neon::error_from_http(400, body("<html>bad gateway</html>"));
  EXPECT_EQ(e.kind, neon::error_kind::protocol);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_NE(e.message.find("<html>bad gateway</html>"), std::string::npos);
  EXPECT_EQ(neon::error_from_http(400, body("{}")).kind, neon::error_kind::protocol);
  EXPECT_EQ(neon::error_from_http(400, body("")).kind, neon::error_kind::protocol);
}

// Spec checklist 58.
TEST(unit, other_statuses_are_server_errors_with_the_raw_body) {
  const auto big = neon::error_from_http(413, body(R"j({"message":"request is too large (max is 10485760 bytes)","code":""})j"));
  EXPECT_EQ(big.kind, neon::error_kind::request_too_large);
  EXPECT_EQ(big.http_status, 413);
  EXPECT_EQ(big.message,
            R"j(Server error (HTTP status 413): {"message":"request is too large (max is 10485760 bytes)","code":""})j");
  EXPECT_EQ(neon::error_from_http(500, body("x")).kind, neon::error_kind::server_error);
  const auto huge = neon::error_from_http(507, body("response is too large"));
  EXPECT_EQ(huge.kind, neon::error_kind::response_too_large);
  EXPECT_EQ(huge.message, "Server error (HTTP status 507): response is too large");
  const auto other = neon::error_from_http(502, body(""));
  EXPECT_EQ(other.kind, neon::error_kind::http_status);
  EXPECT_EQ(other.message, "Server error (HTTP status 502): ");
}

// Spec checklist 59.
TEST(unit, transport_errors_are_reported_by_the_host) {
  const auto e = neon::transport_error(neon::transport::timeout, "no reply after 30 s");
  EXPECT_EQ(e.kind, neon::error_kind::transport_timeout);
  EXPECT_EQ(e.http_status, 0);
  EXPECT_EQ(e.message, "Error connecting to database: no reply after 30 s");
  EXPECT_TRUE(e.is_transport());
  EXPECT_EQ(neon::transport_error(neon::transport::dns, "").kind, neon::error_kind::transport_dns);
  EXPECT_EQ(neon::transport_error(neon::transport::connect, "").kind, neon::error_kind::transport_connect);
  EXPECT_EQ(neon::transport_error(neon::transport::tls, "").kind, neon::error_kind::transport_tls);
  EXPECT_EQ(neon::transport_error(neon::transport::other, "").kind, neon::error_kind::transport_other);
}

TEST(unit, error_kinds_have_stable_names) {
  EXPECT_EQ(neon::to_string(neon::error_kind::database), "database");
  EXPECT_EQ(neon::to_string(neon::error_kind::transport_tls), "transport_tls");
  EXPECT_EQ(neon::to_string(neon::error_kind::wrong_type), "wrong_type");
}

TEST(unit, decode_response_surfaces_database_errors) {
  edgefn::http::response r;
  r.status = 400;
  r.body.append(R"({"message":"division by zero","code":"22012","severity":"ERROR"})");
  auto rs = neon::decode_response(r);
  ASSERT_FALSE(rs);
  EXPECT_EQ(rs.error().kind, neon::error_kind::database);
  EXPECT_EQ(rs.error().sqlstate(), "22012");
  EXPECT_EQ(rs.error().message, "division by zero");
}
