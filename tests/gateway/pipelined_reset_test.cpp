// The pool's reset pipelined behind a single query (pg_pool.h: send_pipelined_reset): reading
// it without blocking right after the query's results, before Postgres has answered the reset,
// must say `pending`, not `failed` (a failed collect drops the connection: under load that meant
// a new Postgres connection every few hundred requests). Straight to the fixture Postgres.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cstdio>
#include <memory>

#include "gateway/pg_pool.h"
#include "support/test_env.h"

namespace edgefn::gateway_test {
namespace {

/// Sends `select 1` with the reset behind it, as the gateway does, and reads the query's
/// results (blocking); the reset's are left.
bool run_select_with_reset(PGconn* conn) {
  if (PQenterPipelineMode(conn) != 1) return false;
  if (PQsendQueryParams(conn, "select 1", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 ||
      PQpipelineSync(conn) != 1 || !gateway::send_pipelined_reset(conn)) {
    return false;
  }
  bool ok = false;
  while (PGresult* r = PQgetResult(conn)) {
    ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
  }
  return ok;
}

TEST(GatewayPipelinedReset, CollectingBeforeTheResetArrivesIsPendingNotFailed) {
  const std::unique_ptr<PGconn, decltype(&PQfinish)> owned(
      PQconnectdb(testing::test_env::get().libpq_conninfo().c_str()), &PQfinish);
  PGconn* conn = owned.get();
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  int pending = 0;
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(run_select_with_reset(conn)) << PQerrorMessage(conn);
    gateway::reset_collect got = gateway::try_collect_pipelined_reset(conn);
    for (int waits = 0; got == gateway::reset_collect::pending && waits < 50; ++waits) {
      ++pending;
      pollfd p{PQsocket(conn), POLLIN, 0};
      (void)::poll(&p, 1, 100);
      got = gateway::try_collect_pipelined_reset(conn);
    }
    ASSERT_EQ(got, gateway::reset_collect::clean) << "round " << i << ", after " << pending
                                                  << " pending answers in all";
    ASSERT_EQ(PQpipelineStatus(conn), PQ_PIPELINE_OFF);
  }
  std::printf("%d pending answers in 300 rounds\n", pending);
}

}  // namespace
}  // namespace edgefn::gateway_test
