// Server checklist items 1-24 and 43 (spec §8): results, conversions, params, errors.
#include <gtest/gtest.h>

#include "gateway_client.h"

namespace edgefn::gateway_test {
namespace {

const header_list k_raw_arr{{"Neon-Raw-Text-Output", "true"}, {"Neon-Array-Mode", "true"}};
const header_list k_raw{{"Neon-Raw-Text-Output", "true"}};
const header_list k_arr{{"Neon-Array-Mode", "true"}};

TEST(GatewayProtocol, Item01_SelectOneIsJson) {
  const reply r = sql(R"({"query":"select 1 as x","params":[]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
}

TEST(GatewayProtocol, Item02_RawArrayModeFieldsAndRows) {
  const reply r = sql(R"({"query":"select 1 as x","params":[]})", k_raw_arr);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, result(field("x", 23, 4), R"([["1"]])", "SELECT", "1", true));
}

TEST(GatewayProtocol, Item03_DefaultObjectRows) {
  const reply r = sql(R"({"query":"select 1 as x","params":[]})");
  EXPECT_EQ(r.body, result(field("x", 23, 4), R"([{"x":1}])", "SELECT", "1", false));
}

TEST(GatewayProtocol, Item04_FourOutputModes) {
  const std::string q = R"({"query":"select 1 as n,'a' as s,'{1,2,3}'::int4[] as arr"})";
  EXPECT_EQ(rows_of(sql(q).body), R"([{"n":1,"s":"a","arr":[1,2,3]}])");
  EXPECT_EQ(rows_of(sql(q, k_arr).body), R"([[1,"a",[1,2,3]]])");
  EXPECT_EQ(rows_of(sql(q, k_raw).body), R"([{"n":"1","s":"a","arr":"{1,2,3}"}])");
  EXPECT_EQ(rows_of(sql(q, k_raw_arr).body), R"([["1","a","{1,2,3}"]])");
}

TEST(GatewayProtocol, Item05_OnlyExactTrueCounts) {
  for (const char* v : {"TRUE", "1", "True"}) {
    const reply r = sql(R"({"query":"select 1 as x"})", {{"Neon-Array-Mode", v}});
    EXPECT_EQ(r.body, result(field("x", 23, 4), R"([{"x":1}])", "SELECT", "1", false)) << v;
  }
  const reply raw = sql(R"({"query":"select 1 as x"})", {{"Neon-Raw-Text-Output", "1"}});
  EXPECT_EQ(rows_of(raw.body), R"([{"x":1}])");
}

TEST(GatewayProtocol, Item06_BodyArrayModeWins) {
  const reply on = sql(R"({"query":"select 1 as x","arrayMode":true})");
  EXPECT_EQ(on.body, result(field("x", 23, 4), "[[1]]", "SELECT", "1", true));
  const reply off = sql(R"({"query":"select 1 as x","arrayMode":false})", k_arr);
  EXPECT_EQ(off.body, result(field("x", 23, 4), R"([{"x":1}])", "SELECT", "1", false));
}

TEST(GatewayProtocol, Item07_KeyOrder) {
  const std::string b = sql(R"({"query":"select 1 as x"})").body;
  const auto f = b.find("\"fields\""), r = b.find("\"rows\""), c = b.find("\"command\""),
             n = b.find("\"rowCount\""), a = b.find("\"rowAsArray\"");
  EXPECT_EQ(f, 1u);
  EXPECT_LT(f, r);
  EXPECT_LT(r, c);
  EXPECT_LT(c, n);
  EXPECT_LT(n, a);
}

TEST(GatewayProtocol, Item08_NullInBothModes) {
  const std::string q = R"({"query":"select null::int a"})";
  EXPECT_EQ(rows_of(sql(q).body), R"([{"a":null}])");
  EXPECT_EQ(rows_of(sql(q, k_raw).body), R"([{"a":null}])");
}

TEST(GatewayProtocol, Item09_ScalarConversions) {
  const reply r = sql(
      R"({"query":"select true a,1::int2 b,2::int8 c,1.50::numeric d,'NaN'::float8 e,2.5::float4 f,'{\"k\":1}'::jsonb g, 1::float8 h, '-Infinity'::float4 i, 'x'::text j, '[1, {\"a\": 2}]'::json k"})",
      k_arr);
  EXPECT_EQ(rows_of(r.body), R"([[true,1,"2","1.50","NaN",2.5,{"k":1},1.0,"-Infinity","x",[1,{"a":2}]]])");
}

TEST(GatewayProtocol, Item10_ArrayElementTypes) {
  EXPECT_EQ(rows_of(sql(R"({"query":"select '{1,2}'::int8[] a"})").body), R"([{"a":["1","2"]}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select array['a',NULL,'NULL'] a"})").body),
            R"([{"a":["a",null,"NULL"]}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select array[true,false] a, '{1.5,NaN}'::float8[] b, '{}'::int[] c"})").body),
            R"([{"a":[true,false],"b":[1.5,"NaN"],"c":[]}])");
}

TEST(GatewayProtocol, Item11_MultiDimAndBounds) {
  EXPECT_EQ(rows_of(sql(R"({"query":"select '{{1,2},{3,4}}'::int[] a"})").body),
            R"([{"a":[[1,2],[3,4]]}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select '[0:1]={1,2}'::int[] a"})").body), R"([{"a":[1,2]}])");
}

TEST(GatewayProtocol, Item12_UncastParamIsText) {
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1 as answer","params":[42]})").body),
            R"([{"answer":"42"}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1 * 1 as answer","params":[42]})").body),
            R"([{"answer":42}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::text a, $2::text b","params":[1.0, true]})").body),
            R"([{"a":"1.0","b":"true"}])");
}

TEST(GatewayProtocol, Item13_ArrayAndObjectParams) {
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::int[] a","params":[[1,2,3]]})").body),
            R"([{"a":[1,2,3]}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::json->'a' a","params":[{"a":{"b":42}}]})").body),
            R"([{"a":{"b":42}}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::text a","params":[{"a" : [1, 2]}]})").body),
            R"([{"a":"{\"a\":[1,2]}"}])");
}

TEST(GatewayProtocol, Item14_JsonbArrayAndQuotedText) {
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::jsonb[] a","params":[[{"foo":1},{"bar":2}]]})").body),
            R"([{"a":[{"foo":1},{"bar":2}]}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::text[] a","params":[["a\"b",null]]})").body),
            R"([{"a":["a\"b",null]}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::int[] a","params":[[[1,2],[3,4]]]})").body),
            R"([{"a":[[1,2],[3,4]]}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::text[] a","params":[["x\ny"]]})").body),
            R"([{"a":["xny"]}])");
}

TEST(GatewayProtocol, Item15_ByteaAndNullParam) {
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::bytea a","params":["\\x0001ff"]})", k_raw).body),
            R"([{"a":"\\x0001ff"}])");
  EXPECT_EQ(rows_of(sql(R"({"query":"select $1::int is null a","params":[null]})").body),
            R"([{"a":true}])");
}

TEST(GatewayProtocol, Item16_NoParams) {
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayProtocol, Item17_WrongParamCount) {
  const reply r = sql(R"({"query":"select $1","params":[]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r.body, "code"), "08P01");
  EXPECT_NE(error_field(r.body, "message").find("bind message supplies 0 parameters"),
            std::string::npos);
}

TEST(GatewayProtocol, Item18_MultiStatement) {
  const reply r = sql(R"({"query":"select 1; select 2"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r.body, "code"), "42601");
  EXPECT_EQ(error_field(r.body, "message"),
            "cannot insert multiple commands into a prepared statement");
}

TEST(GatewayProtocol, Item19_SyntaxErrorHasAll17Keys) {
  const reply r = sql(R"({"query":"selec 1"})");
  EXPECT_EQ(r.status, 400);
  const char* keys[] = {"message", "code", "detail", "hint", "position", "internalPosition",
                        "internalQuery", "severity", "where", "table", "column", "schema",
                        "dataType", "constraint", "file", "line", "routine"};
  std::size_t last = 0;
  for (const char* k : keys) {
    const auto at = r.body.find("\"" + std::string(k) + "\":");
    ASSERT_NE(at, std::string::npos) << k;
    EXPECT_GT(at, last) << k;
    last = at;
  }
  EXPECT_EQ(error_field(r.body, "severity"), "ERROR");
  EXPECT_EQ(error_field(r.body, "position"), "1");
  EXPECT_EQ(error_field(r.body, "code"), "42601");
  EXPECT_EQ(error_field(r.body, "detail"), "null");
  EXPECT_NE(error_field(r.body, "line"), "<not a string>");
}

TEST(GatewayProtocol, Item20_MissingRelation) {
  const reply r = sql(R"({"query":"select * from nope"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r.body, "code"), "42P01");
  EXPECT_EQ(error_field(r.body, "position"), "15");
  EXPECT_EQ(error_field(r.body, "message"), "relation \"nope\" does not exist");
}

TEST(GatewayProtocol, Item21_UniqueViolation) {
  direct_pg pg;
  pg.exec("drop table if exists gw_unique; create table gw_unique(id int primary key)");
  ASSERT_EQ(sql(R"j({"query":"insert into gw_unique values (1)"})j").status, 200);
  const reply r = sql(R"j({"query":"insert into gw_unique values (1)"})j");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r.body, "code"), "23505");
  EXPECT_EQ(error_field(r.body, "constraint"), "gw_unique_pkey");
  EXPECT_EQ(error_field(r.body, "table"), "gw_unique");
  EXPECT_EQ(error_field(r.body, "schema"), "public");
  EXPECT_EQ(error_field(r.body, "detail"), "Key (id)=(1) already exists.");
}

TEST(GatewayProtocol, Item22to24_CommandsAndRowCounts) {
  direct_pg pg;
  pg.exec("drop table if exists gw_t");
  EXPECT_EQ(sql(R"j({"query":"create table gw_t(id serial primary key, val int)"})j").body,
            result("", "[]", "CREATE", "null", false));
  const reply ins = sql(R"({"query":"insert into gw_t(val) values (10),(20),(30) returning id"})");
  const std::string table_oid = pg.scalar("select 'gw_t'::regclass::oid");
  EXPECT_EQ(ins.body, result(field("id", 23, 4, std::stoi(table_oid), 1),
                             R"([{"id":1},{"id":2},{"id":3}])", "INSERT", "3", false));
  EXPECT_EQ(sql(R"({"query":"update gw_t set val = 0 where id = 99"})").body,
            result("", "[]", "UPDATE", "0", false));
  EXPECT_EQ(sql(R"({"query":"delete from gw_t where id < 3"})").body,
            result("", "[]", "DELETE", "2", false));
  EXPECT_EQ(sql(R"({"query":""})").body, result("", "[]", "", "null", false));
  const reply typmod = sql(R"({"query":"select 'ab'::varchar(5) v"})");
  EXPECT_EQ(typmod.body, result(field("v", 1043, -1, 0, 0, 9), R"([{"v":"ab"}])", "SELECT", "1",
                                false));
}

TEST(GatewayProtocol, Item43_EnumArray) {
  direct_pg pg;
  pg.exec("drop type if exists gw_enum cascade; create type gw_enum as enum ('foo', 'bar')");
  EXPECT_EQ(rows_of(sql(R"({"query":"select array['foo'::gw_enum] a, 'bar'::gw_enum b"})").body),
            R"([{"a":["foo"],"b":"bar"}])");
}

TEST(GatewayProtocol, UnconvertibleValueIs500) {
  const reply r = sql(R"({"query":"select '1 2'::int2vector v"})");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, proxy_error("could not parse postgres response"));
  EXPECT_EQ(rows_of(sql(R"({"query":"select '1 2'::int2vector v"})", k_raw).body),
            R"([{"v":"1 2"}])");
}

TEST(GatewayProtocol, CopyIsRefusedWithoutHanging) {
  for (const char* q : {R"({"query":"copy (select 1) to stdout"})",
                        R"({"query":"copy pg_catalog.pg_am from stdin"})"}) {
    const reply r = sql(q);
    EXPECT_EQ(r.status, 500) << q;
    EXPECT_EQ(r.body, proxy_error("COPY is not supported"));
  }
  EXPECT_EQ(sql(R"({"query":"select 1"})").status, 200);
}

TEST(GatewayProtocol, DuplicateColumnNamesKeepBothKeys) {
  EXPECT_EQ(rows_of(sql(R"({"query":"select 1 a, 2 a"})").body), R"([{"a":1,"a":2}])");
}

}  // namespace
}  // namespace edgefn::gateway_test
