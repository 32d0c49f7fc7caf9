// Server checklist items 25-30: batches are one transaction, Neon-Batch-* headers.
#include <gtest/gtest.h>

#include "gateway_client.h"

namespace edgefn::gateway_test {
namespace {

TEST(GatewayBatch, Item25_ResultsInOrderAndEmptyBatch) {
  const reply r = sql(
      R"({"queries":[{"query":"select 1 as x"},{"query":"select $1::int as y","params":["2"],"arrayMode":true}]})");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"results\":[" +
                        result(field("x", 23, 4), R"([{"x":1}])", "SELECT", "1", false) + "," +
                        result(field("y", 23, 4), "[[2]]", "SELECT", "1", true) + "]}");
  const reply empty = sql(R"({"queries":[]})");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, R"({"results":[]})");
}

TEST(GatewayBatch, QueryWinsOverQueries) {
  const reply r = sql(R"({"queries":[{"query":"select 2 as x"}],"query":"select 1 as x"})");
  EXPECT_EQ(r.body, result(field("x", 23, 4), R"([{"x":1}])", "SELECT", "1", false));
}

TEST(GatewayBatch, Item26_AllOrNothing) {
  direct_pg pg;
  pg.exec("drop table if exists gw_batch; create table gw_batch(val int)");
  const reply r = sql(
      R"j({"queries":[{"query":"insert into gw_batch(val) values(1)"},{"query":"select 1/0"}]})j");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r.body, "code"), "22012");
  EXPECT_EQ(r.body.find("results"), std::string::npos);
  EXPECT_EQ(pg.scalar("select count(*) from gw_batch"), "0");
  const reply ok = sql(
      R"j({"queries":[{"query":"insert into gw_batch(val) values(1)"},{"query":"insert into gw_batch(val) values(2)"}]})j");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(pg.scalar("select string_agg(val::text, ',' order by val) from gw_batch"), "1,2");
}

// The COMMIT itself fails (a deferred constraint): its error is the reply, nothing is kept, and
// the connection (its reset was queued behind the COMMIT) does not serve the next request
// half-reset.
TEST(GatewayBatch, FailedCommitIsTheReply) {
  direct_pg pg;
  pg.exec("drop table if exists gw_defer; "
          "create table gw_defer(id int unique deferrable initially deferred)");
  const reply r = sql(
      R"j({"queries":[{"query":"insert into gw_defer values(1)"},{"query":"insert into gw_defer values(1)"}]})j");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body, "code"), "23505");
  EXPECT_EQ(pg.scalar("select count(*) from gw_defer"), "0");
  for (int i = 0; i < 3; ++i) {
    const reply next = sql(R"j({"queries":[{"query":"select 7 as x"}]})j");
    EXPECT_EQ(next.status, 200) << next.body;
    EXPECT_NE(next.body.find(R"j([{"x":7}])j"), std::string::npos) << next.body;
  }
}

TEST(GatewayBatch, Item27_Serializable) {
  const reply r = sql(R"({"queries":[{"query":"show transaction_isolation"}]})",
                      {{"Neon-Batch-Isolation-Level", "Serializable"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("rows":[{"transaction_isolation":"serializable"}])"), std::string::npos)
      << r.body;
  EXPECT_EQ(r.header("neon-batch-isolation-level"), "Serializable");
  EXPECT_EQ(r.headers.count("neon-batch-read-only"), 0u);
  const reply rr = sql(R"({"queries":[{"query":"show transaction_isolation"}]})",
                       {{"Neon-Batch-Isolation-Level", "RepeatableRead"}});
  EXPECT_NE(rr.body.find(R"("transaction_isolation":"repeatable read")"), std::string::npos);
  const reply def = sql(R"({"queries":[{"query":"show transaction_isolation"}]})");
  EXPECT_NE(def.body.find(R"("transaction_isolation":"read committed")"), std::string::npos);
  EXPECT_EQ(def.headers.count("neon-batch-isolation-level"), 0u);
}

TEST(GatewayBatch, Item28_ReadOnly) {
  direct_pg pg;
  pg.exec("drop table if exists gw_ro; create table gw_ro(val int)");
  const reply bad = sql(R"j({"queries":[{"query":"insert into gw_ro values (1)"}]})j",
                        {{"Neon-Batch-Read-Only", "true"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_field(bad.body, "code"), "25006");
  const reply ok = sql(R"({"queries":[{"query":"show transaction_read_only"}]})",
                       {{"Neon-Batch-Read-Only", "true"}});
  EXPECT_NE(ok.body.find(R"("transaction_read_only":"on")"), std::string::npos);
  EXPECT_EQ(ok.header("neon-batch-read-only"), "true");
  const reply off = sql(R"j({"queries":[{"query":"insert into gw_ro values (1)"}]})j",
                        {{"Neon-Batch-Read-Only", "false"}});
  EXPECT_EQ(off.status, 200);
  EXPECT_EQ(off.headers.count("neon-batch-read-only"), 0u);
}

TEST(GatewayBatch, Item29_Deferrable) {
  const reply r = sql(R"({"queries":[{"query":"show transaction_deferrable"}]})",
                      {{"Neon-Batch-Deferrable", "true"},
                       {"Neon-Batch-Isolation-Level", "Serializable"},
                       {"Neon-Batch-Read-Only", "true"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("transaction_deferrable":"on")"), std::string::npos);
  EXPECT_EQ(r.header("neon-batch-deferrable"), "true");
  EXPECT_EQ(r.header("neon-batch-read-only"), "true");
  EXPECT_EQ(r.header("neon-batch-isolation-level"), "Serializable");
}

TEST(GatewayBatch, Item30_InvalidIsolationEverywhere) {
  for (const char* body : {R"({"query":"select 1"})", R"({"queries":[]})"}) {
    const reply r = sql(body, {{"Neon-Batch-Isolation-Level", "serializable"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, proxy_error("invalid isolation level"));
  }
  const reply single = sql(R"({"query":"select 1"})", {{"Neon-Batch-Isolation-Level", "Serializable"},
                                                       {"Neon-Batch-Read-Only", "true"}});
  EXPECT_EQ(single.status, 200);
  EXPECT_EQ(single.headers.count("neon-batch-isolation-level"), 0u);
  EXPECT_EQ(single.headers.count("neon-batch-read-only"), 0u);
}

TEST(GatewayBatch, ResponseLimitIsCumulative) {
  // Each query returns ~6 MB: each is under the limit alone, the batch is not.
  const std::string q = R"j({"query":"select repeat('x', 1000) from generate_series(1, 6000)"})j";
  EXPECT_EQ(sql(q).status, 200);
  const reply r = sql(R"({"queries":[)" + q + "," + q + "]}");
  EXPECT_EQ(r.status, 507);
  EXPECT_EQ(r.body, proxy_error("response is too large (max is 10485760 bytes)"));
}

}  // namespace
}  // namespace edgefn::gateway_test
