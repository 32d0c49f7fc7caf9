// The C++ Neon client (src/neon) through the native transport and the local gateway against a
// real Postgres: the server checklist as the client sees it (raw text + array mode, always).

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "support/test_env.h"
#include "transport/neon_exec.h"

namespace neon = edgefn::neon;
using edgefn::native::curl_transport;
using edgefn::testing::test_env;

namespace {

neon::client make_client(const std::string& connection_string = {}) {
  neon::client_config cfg;
  cfg.connection_string =
      connection_string.empty() ? test_env::get().connection_string() : connection_string;
  cfg.endpoint_override = test_env::get().gateway_url;
  auto c = neon::client::create(cfg);
  if (!c) ADD_FAILURE() << c.error().message;
  return std::move(c).value();
}

// A scalar straight from Postgres through libpq (bypassing the gateway), to check side effects.
std::string pg_scalar(const std::string& sql) {
  PGconn* conn = PQconnectdb(test_env::get().libpq_conninfo().c_str());
  std::string out = "<connection failed>";
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* r = PQexec(conn, sql.c_str());
    out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0)
                                                                   : PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  return out;
}

class client_gateway : public ::testing::Test {
 protected:
  neon::result<neon::result_set> run(const std::string& sql, std::vector<neon::param> params = {}) {
    return edgefn::native::execute(transport_, client_, sql, params);
  }
  curl_transport transport_;
  neon::client client_ = make_client();
};

}  // namespace

TEST_F(client_gateway, select_returns_fields_command_and_typed_cells) {
  auto rs = run("select 1 as x");
  ASSERT_TRUE(rs) << rs.error().message;
  ASSERT_EQ(rs->columns(), 1u);
  EXPECT_EQ(rs->fields()[0].name, "x");
  EXPECT_EQ(rs->fields()[0].type_oid, 23u);
  EXPECT_EQ(rs->fields()[0].type_size, 4);
  EXPECT_EQ(rs->fields()[0].type_modifier, -1);
  EXPECT_EQ(rs->command(), "SELECT");
  EXPECT_EQ(rs->row_count(), 1);
  EXPECT_EQ(*rs->get<std::int32_t>(0, 0), 1);
}

TEST_F(client_gateway, decodes_every_scalar_type_from_postgres_text) {
  auto rs = run(
      "select true a, 1::int2 b, 9007199254740993::int8 c, "
      "123456789012345678901234567890.123456789::numeric d, 'NaN'::float8 e, 2.5::float4 f, "
      "'{\"k\": 1}'::jsonb g, 'héllo 😀'::text h, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid i, "
      "'2024-02-29'::date j, '13:14:15.5'::time k, '2024-01-02 03:04:05.678'::timestamp l, "
      "'2024-01-02 03:04:05+05:30'::timestamptz m, '1 year 2 mons 3 days 04:05:06'::interval n, "
      "'\\x00ff'::bytea o, ''::text p, null::text q");
  ASSERT_TRUE(rs) << rs.error().message;
  EXPECT_EQ(*rs->get<bool>(0, 0), true);
  EXPECT_EQ(*rs->get<std::int16_t>(0, 1), 1);
  EXPECT_EQ(*rs->get<std::int64_t>(0, 2), 9007199254740993);
  EXPECT_EQ(rs->get<neon::numeric>(0, 3)->text, "123456789012345678901234567890.123456789");
  EXPECT_TRUE(std::isnan(*rs->get<double>(0, 4)));
  EXPECT_EQ(*rs->get<float>(0, 5), 2.5f);
  EXPECT_EQ(rs->get<neon::json_text>(0, 6)->text, R"({"k": 1})");
  EXPECT_EQ(*rs->get<std::string_view>(0, 7), "héllo 😀");
  EXPECT_EQ(rs->get<neon::uuid>(0, 8)->to_string(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(rs->get<neon::date>(0, 9)->days, neon::date::from_ymd(2024, 2, 29).days);
  EXPECT_EQ(rs->get<neon::time_of_day>(0, 10)->micros, (13 * 3600 + 14 * 60 + 15) * 1000000LL + 500000);
  const std::int64_t day_2024_01_02 = neon::date::from_ymd(2024, 1, 2).days;
  EXPECT_EQ(rs->get<neon::timestamp>(0, 11)->micros,
            day_2024_01_02 * 86400000000LL + (3 * 3600 + 4 * 60 + 5) * 1000000LL + 678000);
  // 03:04:05+05:30 is 21:34:05 UTC the day before (the session runs in UTC).
  EXPECT_EQ(rs->get<neon::timestamptz>(0, 12)->micros,
            (day_2024_01_02 - 1) * 86400000000LL + (21 * 3600 + 34 * 60 + 5) * 1000000LL);
  auto iv = rs->get<neon::interval>(0, 13);
  ASSERT_TRUE(iv) << iv.error().message;
  EXPECT_EQ(iv->months, 14);
  EXPECT_EQ(iv->days, 3);
  EXPECT_EQ(iv->micros, (4 * 3600 + 5 * 60 + 6) * 1000000LL);
  EXPECT_EQ(*rs->get<neon::bytes>(0, 14), (neon::bytes{0x00, 0xff}));
  EXPECT_FALSE(rs->is_null(0, 15));
  EXPECT_EQ(*rs->get<std::string_view>(0, 15), "");
  EXPECT_TRUE(rs->is_null(0, 16));
  EXPECT_EQ(rs->get<std::string_view>(0, 16).error().kind, neon::error_kind::null_value);
  EXPECT_EQ(*rs->get_optional<std::string_view>(0, 16), std::nullopt);
  EXPECT_EQ(rs->get<std::int32_t>(0, 7).error().kind, neon::error_kind::wrong_type);
}

TEST_F(client_gateway, decodes_arrays_with_nulls_and_dimensions) {
  auto rs = run("select '{{1,2},{3,NULL}}'::int[] a, array['a',NULL,'NULL','x\"y'] b, '{}'::int8[] c");
  ASSERT_TRUE(rs) << rs.error().message;
  auto a = rs->get<neon::array<std::int32_t>>(0, 0);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->dims, (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(a->elements, (std::vector<std::optional<std::int32_t>>{1, 2, 3, std::nullopt}));
  auto b = rs->get<neon::array<std::string>>(0, 1);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->elements,
            (std::vector<std::optional<std::string>>{"a", std::nullopt, "NULL", "x\"y"}));
  auto c = rs->get<neon::array<std::int64_t>>(0, 2);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->elements.empty());
}

TEST_F(client_gateway, params_of_every_kind_round_trip_through_postgres) {
  const std::string injection = "'); drop table users; --";
  auto rs = run(
      "select $1::bool a, $2::int8 b, $3::float8 c, $4::text d, $5::bytea e, $6::int[] f, "
      "$7::jsonb g, $8::text h, $9::text[] i, $10::float8 j",
      {true, std::int64_t{-9223372036854775807LL - 1}, 0.1, injection,
       neon::param::bytes(std::string_view("\x00\x01\xff", 3)),
       neon::param::array({1, nullptr, 3}), neon::param::json(R"({"a":[1,"b"]})"), nullptr,
       neon::param::array({"q\"uote", "back\\slash", "{brace}", "", nullptr}),
       std::numeric_limits<double>::infinity()});
  ASSERT_TRUE(rs) << rs.error().message;
  EXPECT_EQ(*rs->get<bool>(0, 0), true);
  EXPECT_EQ(*rs->get<std::int64_t>(0, 1), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(*rs->get<double>(0, 2), 0.1);
  EXPECT_EQ(*rs->get<std::string_view>(0, 3), injection);
  EXPECT_EQ(*rs->get<neon::bytes>(0, 4), (neon::bytes{0x00, 0x01, 0xff}));
  EXPECT_EQ(rs->text(0, 5), "{1,NULL,3}");
  EXPECT_EQ(rs->get<neon::json_text>(0, 6)->text, R"({"a": [1, "b"]})");
  EXPECT_TRUE(rs->is_null(0, 7));
  auto i = rs->get<neon::array<std::string>>(0, 8);
  ASSERT_TRUE(i) << i.error().message;
  EXPECT_EQ(i->elements, (std::vector<std::optional<std::string>>{
                             "q\"uote", "back\\slash", "{brace}", "", std::nullopt}));
  EXPECT_TRUE(std::isinf(*rs->get<double>(0, 9)));
}

TEST_F(client_gateway, database_errors_carry_sqlstate_position_and_fields) {
  auto syntax = run("selec 1");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().kind, neon::error_kind::database);
  EXPECT_EQ(syntax.error().http_status, 400);
  EXPECT_EQ(syntax.error().sqlstate(), "42601");
  EXPECT_EQ(syntax.error().fields.position, "1");
  EXPECT_EQ(syntax.error().fields.severity, "ERROR");

  auto missing = run("select * from nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().sqlstate(), "42P01");
  EXPECT_EQ(missing.error().fields.position, "15");
  EXPECT_EQ(missing.error().message, "relation \"nope\" does not exist");

  auto params = run("select $1");
  ASSERT_FALSE(params);
  EXPECT_EQ(params.error().sqlstate(), "08P01");
  EXPECT_NE(params.error().message.find("bind message supplies 0 parameters"), std::string::npos);

  auto multi = run("select 1; select 2");
  ASSERT_FALSE(multi);
  EXPECT_EQ(multi.error().sqlstate(), "42601");
  EXPECT_EQ(multi.error().message, "cannot insert multiple commands into a prepared statement");
}

TEST_F(client_gateway, unique_violation_names_constraint_table_schema_and_detail) {
  ASSERT_TRUE(run("create table if not exists cg_unique(id int primary key)"));
  ASSERT_TRUE(run("delete from cg_unique"));
  ASSERT_TRUE(run("insert into cg_unique values (1)"));
  auto dup = run("insert into cg_unique values (1)");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().sqlstate(), "23505");
  EXPECT_EQ(dup.error().fields.constraint, "cg_unique_pkey");
  EXPECT_EQ(dup.error().fields.table, "cg_unique");
  EXPECT_EQ(dup.error().fields.schema, "public");
  EXPECT_EQ(dup.error().fields.detail, "Key (id)=(1) already exists.");
}

TEST_F(client_gateway, commands_report_row_counts_and_empty_field_lists) {
  ASSERT_TRUE(run("drop table if exists cg_t"));
  auto create = run("create table cg_t(id serial primary key, val int)");
  ASSERT_TRUE(create) << create.error().message;
  EXPECT_EQ(create->command(), "CREATE");
  EXPECT_EQ(create->row_count(), std::nullopt);
  EXPECT_EQ(create->columns(), 0u);
  auto insert = run("insert into cg_t(val) values (10),(20),(30) returning id");
  ASSERT_TRUE(insert);
  EXPECT_EQ(insert->command(), "INSERT");
  EXPECT_EQ(insert->row_count(), 3);
  EXPECT_EQ(*insert->get<std::int32_t>(2, 0), 3);
  auto update = run("update cg_t set val = 0 where id = -1");
  ASSERT_TRUE(update);
  EXPECT_EQ(update->command(), "UPDATE");
  EXPECT_EQ(update->row_count(), 0);
  auto empty = run("");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->command(), "");
  EXPECT_EQ(empty->row_count(), std::nullopt);
}

TEST_F(client_gateway, batch_runs_in_one_transaction_and_fails_atomically) {
  ASSERT_TRUE(run("create table if not exists cg_batch(v int)"));
  ASSERT_TRUE(run("delete from cg_batch"));
  std::vector<neon::query> ok = {{"insert into cg_batch values ($1)", {1}},
                                 {"select count(*)::int from cg_batch", {}}};
  auto r = edgefn::native::execute_batch(transport_, client_, ok);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].command(), "INSERT");
  EXPECT_EQ(*(*r)[1].get<std::int32_t>(0, 0), 1);

  std::vector<neon::query> bad = {{"insert into cg_batch values (2)", {}}, {"select 1/0", {}}};
  auto failed = edgefn::native::execute_batch(transport_, client_, bad);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().sqlstate(), "22012");
  EXPECT_EQ(pg_scalar("select count(*) from cg_batch where v = 2"), "0");

  auto empty = edgefn::native::execute_batch(transport_, client_, {});
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->empty());
}

TEST_F(client_gateway, batch_options_set_isolation_read_only_and_deferrable) {
  neon::batch_options opts;
  opts.isolation = neon::isolation_level::serializable;
  opts.read_only = true;
  opts.deferrable = true;
  std::vector<neon::query> q = {{"show transaction_isolation", {}},
                                {"show transaction_read_only", {}},
                                {"show transaction_deferrable", {}}};
  auto r = edgefn::native::execute_batch(transport_, client_, q, opts);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].text(0, 0), "serializable");
  EXPECT_EQ((*r)[1].text(0, 0), "on");
  EXPECT_EQ((*r)[2].text(0, 0), "on");

  neon::batch_options ro;
  ro.read_only = true;
  std::vector<neon::query> write = {{"create temp table cg_ro(x int)", {}}};
  auto denied = edgefn::native::execute_batch(transport_, client_, write, ro);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().sqlstate(), "25006");
}

TEST_F(client_gateway, no_session_state_survives_between_requests) {
  std::vector<neon::query> set = {{"set IntervalStyle = 'iso_8601'", {}},
                                  {"select '0'::interval::text", {}}};
  auto r = edgefn::native::execute_batch(transport_, client_, set);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[1].text(0, 0), "PT0S");
  auto after = run("select '0'::interval::text");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->text(0, 0), "00:00:00");

  ASSERT_TRUE(run("begin"));
  auto x1 = run("select pg_current_xact_id()::text");
  auto x2 = run("select pg_current_xact_id()::text");
  ASSERT_TRUE(x1 && x2);
  EXPECT_NE(x1->text(0, 0), x2->text(0, 0));

  ASSERT_TRUE(run("create temp table cg_tmp(x int)"));
  auto gone = run("select * from cg_tmp");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().sqlstate(), "42P01");
}

TEST_F(client_gateway, large_results_decode_completely) {
  auto rs = run("select g, md5(g::text) from generate_series(1, 20000) g");
  ASSERT_TRUE(rs) << rs.error().message;
  ASSERT_EQ(rs->rows(), 20000u);
  EXPECT_EQ(*rs->get<std::int32_t>(19999, 0), 20000);
  EXPECT_EQ(rs->text(0, 1), "c4ca4238a0b923820dcc509a6f75849b");
}

TEST_F(client_gateway, oversized_response_is_a_507_error) {
  auto rs = run("select * from generate_series(1,5000) a, generate_series(1,5000) b");
  ASSERT_FALSE(rs);
  EXPECT_EQ(rs.error().kind, neon::error_kind::response_too_large);
  EXPECT_EQ(rs.error().http_status, 507);
  EXPECT_NE(rs.error().message.find("response is too large (max is 10485760 bytes)"),
            std::string::npos);
}

TEST_F(client_gateway, percent_encoded_database_and_password_are_decoded) {
  const auto& env = test_env::get();
  auto spaced = make_client("postgres://" + env.pg_user + ":" + env.pg_password + "@localhost:" +
                            env.pg_port + "/db%20with%20spaces");
  auto db = edgefn::native::execute(transport_, spaced, "select current_database()");
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->text(0, 0), "db with spaces");
  // Role `other` has the password p@ss:w/rd?# (fixture).
  auto other = make_client("postgres://other:p%40ss%3Aw%2Frd%3F%23@localhost:" + env.pg_port + "/" +
                           env.pg_database);
  auto who = edgefn::native::execute(transport_, other, "select current_user");
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->text(0, 0), "other");
}

TEST_F(client_gateway, wrong_password_and_unknown_database_are_clear_errors) {
  const auto& env = test_env::get();
  auto wrong = make_client("postgres://" + env.pg_user + ":nope@localhost:" + env.pg_port + "/" +
                           env.pg_database);
  auto r = edgefn::native::execute(transport_, wrong, "select 1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(r.error().message, "password authentication failed for user '" + env.pg_user + "'");
  EXPECT_EQ(r.error().sqlstate(), "");
  EXPECT_EQ(r.error().message.find("nope"), std::string::npos);

  auto nodb = make_client(env.connection_string("no_such_db"));
  auto r2 = edgefn::native::execute(transport_, nodb, "select 1");
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().sqlstate(), "3D000");
}

TEST_F(client_gateway, unreachable_endpoint_is_a_transport_error_without_secrets) {
  neon::client_config cfg;
  cfg.connection_string = test_env::get().connection_string();
  cfg.endpoint_override = "http://127.0.0.1:1/sql";
  auto c = neon::client::create(cfg);
  ASSERT_TRUE(c);
  auto r = edgefn::native::execute(transport_, *c, "select 1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, neon::error_kind::transport_connect);
  EXPECT_TRUE(r.error().is_transport());
  EXPECT_EQ(r.error().message.find(test_env::get().pg_password), std::string::npos);
}
