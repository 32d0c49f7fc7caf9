// The framework's serve() driven by a scripted host: route and per-query database deadlines
// (the sql action's timeout_ms, 504 `timeout`), and Server-Timing / the request log line's
// timing fields, from the host times and cache statuses the host reports.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "api/app.h"
#include "auth/base64.h"
#include "exchange/engine.h"

namespace edgefn::api {
namespace {

constexpr std::int64_t k_t0 = 1'800'000'000'000;

db::statement select_one() {
  db::statement s;
  s.text = "select 1 as x";
  s.reads = {"things"};
  s.cacheable = true;
  return s;
}

exchange::task<exchange::response> one_query(route_call& call) {
  auto r = co_await call.run(select_one());
  if (!r) co_return std::move(r).error();
  co_return json_response(200, "{}");
}

/// Two queries in a row; the second asks for at most 30 ms.
exchange::task<exchange::response> two_queries(route_call& call) {
  auto first = co_await call.run(select_one());
  if (!first) co_return std::move(first).error();
  auto second = co_await call.run(select_one(), 30);
  if (!second) co_return std::move(second).error();
  co_return json_response(200, "{}");
}

exchange::task<exchange::response> no_query(route_call&) { co_return json_response(200, "{}"); }

exchange::task<exchange::response> echo_id(route_call& call) {
  co_return json_response(200, "{\"id\":\"" + call.request_id() + "\"}");
}

exchange::task<exchange::response> one_write(route_call& call) {
  db::statement s;
  s.text = "insert into things (x) values ($1)";
  s.params = {neon::param("7")};
  s.writes = {"things"};
  auto r = co_await call.run(std::move(s));
  if (!r) co_return std::move(r).error();
  co_return json_response(201, "{}");
}

constexpr route_def k_routes[] = {
    {.method = "GET", .path = "/slow", .auth = auth_mode::none, .pool = exchange::pool::cached,
     .handler = one_query, .timeout_ms = 50},
    {.method = "GET", .path = "/two", .auth = auth_mode::none, .pool = exchange::pool::cached, .handler = two_queries},
    {.method = "GET", .path = "/mine", .auth = auth_mode::required, .pool = exchange::pool::cached, .handler = one_query},
    {.method = "GET", .path = "/plain", .auth = auth_mode::none, .handler = no_query},
    {.method = "GET", .path = "/echo-id", .auth = auth_mode::none, .handler = echo_id},
    {.method = "POST", .path = "/write", .auth = auth_mode::none, .handler = one_write},
    {.method = "GET", .path = "/direct", .auth = auth_mode::none, .handler = one_query},
    {.method = "GET", .path = "/replica", .auth = auth_mode::none, .replica = true, .handler = one_query,
     .timeout_ms = 100},
};
constexpr app_spec k_app{.title = "test", .routes = k_routes};

const std::string k_result =
    R"({"command":"SELECT","rowCount":1,"fields":[{"name":"x","dataTypeID":23,"tableID":0,"columnID":0,)"
    R"("dataTypeSize":4,"dataTypeModifier":-1,"format":"text"}],"rows":[["1"]],"rowAsArray":true})";

/// A host that answers each action through `answer`, advancing its clock by what the answer says.
/// A configuration whose SQL deadline is `ms`.
config deadline(std::uint32_t ms) {
  config cfg;
  cfg.sql_timeout_ms = ms;
  return cfg;
}

struct scripted_host {
  struct reply {
    exchange::action_result result;
    std::int64_t after_ms = 0;  ///< host time spent on the action
  };
  explicit scripted_host(config cfg) : engine(std::move(*make_handler(k_app, std::move(cfg)))) {}

  /// Every action takes `ms` of host time.
  void spend_per_action(std::int64_t ms) {
    answer = [base = answer, ms](const exchange::action& a) {
      auto r = base(a);
      r.after_ms = ms;
      return r;
    };
  }

  std::function<reply(const exchange::action&)> answer = [](const exchange::action& a) {
    reply r;
    r.result.id = a.id;
    r.result.valid = true;
    r.result.http_status = 200;
    r.result.body.append(k_result);
    return r;
  };

  exchange::response run(const std::string& target, http::header_list headers = {}, std::string method = "GET") {
    exchange::request req;
    req.method = std::move(method);
    req.target = target;
    req.headers = std::move(headers);
    now = k_t0;
    engine.start(std::move(req), "req-1", now);
    for (;;) {
      while (auto a = engine.next_action()) {
        if (auto* l = std::get_if<exchange::log_line>(&a->body)) {
          logs.push_back(l->line);
          continue;
        }
        if (auto* s = std::get_if<exchange::sql_call>(&a->body)) sql.push_back(*s);
        reply r = answer(*a);
        now += r.after_ms;
        engine.complete(std::move(r.result), now);
      }
      if (auto f = engine.next_response()) {
        while (auto a = engine.next_action())
          if (auto* l = std::get_if<exchange::log_line>(&a->body)) logs.push_back(l->line);
        return std::move(f->resp);
      }
    }
  }

  exchange::engine engine;
  std::int64_t now = k_t0;
  std::vector<exchange::sql_call> sql;
  std::vector<std::string> logs;
};

const std::string* header(const exchange::response& r, std::string_view name) {
  return http::find_header(r.headers, name);
}

std::string request_line(const scripted_host& h) {
  for (const auto& l : h.logs)
    if (l.find(R"("msg":"request")") != std::string::npos) return l;
  return {};
}

// ---- deadlines ----

TEST(app_test, the_body_limit_is_refused_outside_one_byte_to_neons_request_limit) {
  for (std::size_t bytes : {std::size_t{1}, std::size_t{64} * 1024, k_max_body_bytes_ceiling}) {
    config c;
    c.max_body_bytes = bytes;
    EXPECT_TRUE(make_handler(k_app, c)) << bytes;
  }
  for (std::size_t bytes : {std::size_t{0}, k_max_body_bytes_ceiling + 1}) {
    config c;
    c.max_body_bytes = bytes;
    auto h = make_handler(k_app, c);
    ASSERT_FALSE(h) << bytes;
    EXPECT_NE(h.error().message.find("MAX_BODY_BYTES"), std::string::npos);
  }
}

TEST(app_test, a_route_deadline_travels_with_its_query) {
  scripted_host h{config{}};
  EXPECT_EQ(h.run("/slow").status, 200);
  ASSERT_EQ(h.sql.size(), 1u);
  EXPECT_EQ(h.sql[0].timeout_ms, 50u);
}

TEST(app_test, routes_without_a_deadline_get_the_configured_default) {
  EXPECT_EQ(config{}.sql_timeout_ms, 10'000u);
  scripted_host defaults{config{}};
  EXPECT_EQ(defaults.run("/two").status, 200);
  ASSERT_EQ(defaults.sql.size(), 2u);
  EXPECT_EQ(defaults.sql[0].timeout_ms, 10'000u);
  EXPECT_EQ(defaults.sql[1].timeout_ms, 30u) << "the per-query limit is sooner than the route's";

  config none;
  none.sql_timeout_ms = 0;  // no deadline: the host's own limit
  scripted_host unlimited{none};
  EXPECT_EQ(unlimited.run("/two").status, 200);
  ASSERT_EQ(unlimited.sql.size(), 2u);
  EXPECT_EQ(unlimited.sql[0].timeout_ms, 0u);
  EXPECT_EQ(unlimited.sql[1].timeout_ms, 30u);
}

TEST(app_test, later_queries_get_the_time_left) {
  scripted_host h{deadline(100)};
  h.spend_per_action(80);
  EXPECT_EQ(h.run("/two").status, 200);
  ASSERT_EQ(h.sql.size(), 2u);
  EXPECT_EQ(h.sql[0].timeout_ms, 100u);
  EXPECT_EQ(h.sql[1].timeout_ms, 20u) << "100 ms budget, 80 spent";
}

TEST(app_test, a_spent_deadline_answers_504_without_querying_again) {
  scripted_host h{deadline(100)};
  h.spend_per_action(100);
  auto r = h.run("/two");
  EXPECT_EQ(r.status, 504);
  EXPECT_EQ(h.sql.size(), 1u);
  EXPECT_EQ(r.body, R"({"error":{"code":"timeout","message":"the database did not answer in time"}})");
  EXPECT_EQ(header(r, "retry-after"), nullptr);
}

TEST(app_test, a_host_timeout_or_a_cancelled_statement_answers_504) {
  scripted_host h{config{}};
  auto base = h.answer;
  h.answer = [&](const exchange::action& a) {
    auto r = base(a);
    r.result.status = exchange::outcome::failed_timeout;
    r.result.http_status = 0;
    r.result.body = {};
    r.result.detail = "Operation timed out after 50 milliseconds";
    r.after_ms = 50;
    return r;
  };
  auto r = h.run("/slow");
  EXPECT_EQ(r.status, 504);
  EXPECT_EQ(r.body, R"({"error":{"code":"timeout","message":"the database did not answer in time"}})");
  EXPECT_EQ(*header(r, "content-type"), "application/json; charset=utf-8");

  h.answer = [&](const exchange::action& a) {
    auto rep = base(a);
    rep.result.http_status = 400;
    rep.result.body = {};
    rep.result.body.append(R"({"message":"canceling statement due to statement timeout","code":"57014","severity":"ERROR"})");
    return rep;
  };
  EXPECT_EQ(h.run("/slow").status, 504);

  // Other transport failures stay 503 (unavailable, retry).
  h.answer = [&](const exchange::action& a) {
    auto rep = base(a);
    rep.result.status = exchange::outcome::failed_connect;
    return rep;
  };
  EXPECT_EQ(h.run("/slow").status, 503);
}

// ---- logging ----

TEST(app_test, the_request_line_is_built_only_when_the_host_writes_info_lines) {
  scripted_host h{config{}};
  h.engine.set_log_level(exchange::log_level::warn);
  EXPECT_EQ(h.run("/slow").status, 200);
  EXPECT_TRUE(h.logs.empty()) << h.logs.front();
  h.engine.set_log_level(exchange::log_level::info);
  EXPECT_EQ(h.run("/slow").status, 200);
  EXPECT_FALSE(request_line(h).empty());
  h.logs.clear();
  h.engine.set_log_level(exchange::log_level::off);
  EXPECT_EQ(h.run("/slow").status, 200);
  EXPECT_TRUE(h.logs.empty()) << h.logs.front();
}

// ---- Server-Timing ----

TEST(app_test, server_timing_is_off_by_default) {
  scripted_host h{config{}};
  auto r = h.run("/slow");
  EXPECT_EQ(header(r, "server-timing"), nullptr);
  const std::string line = request_line(h);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find("db_ms"), std::string::npos) << line;
}

config timed() {
  config c;
  c.server_timing = true;
  c.auth_dev_hs256 = true;
  return c;
}

TEST(app_test, server_timing_reports_db_time_and_the_cache_status) {
  for (auto [status, word] : {std::pair{exchange::cache_status::miss, "miss"}, {exchange::cache_status::hit, "hit"},
                              {exchange::cache_status::stale, "stale"}, {exchange::cache_status::bypass, "bypass"}}) {
    scripted_host h{timed()};
    auto base = h.answer;
    h.answer = [&, status](const exchange::action& a) {
      auto r = base(a);
      r.result.cache = status;
      r.after_ms = 12;
      return r;
    };
    auto r = h.run("/slow");
    ASSERT_NE(header(r, "server-timing"), nullptr);
    EXPECT_EQ(*header(r, "server-timing"), std::string("db;dur=12, cache;desc=") + word + ", auth;dur=0");
    const std::string line = request_line(h);
    EXPECT_NE(line.find(std::string(R"("db_ms":12,"cache":")") + word + R"(","auth_ms":0)"), std::string::npos) << line;
  }
}

TEST(app_test, server_timing_sums_sequential_queries_and_keeps_the_costliest_status) {
  scripted_host h{timed()};
  auto base = h.answer;
  int n = 0;
  h.answer = [&](const exchange::action& a) {
    auto r = base(a);
    r.result.cache = n++ == 0 ? exchange::cache_status::miss : exchange::cache_status::hit;
    r.after_ms = 7;
    return r;
  };
  auto r = h.run("/two");
  EXPECT_EQ(*header(r, "server-timing"), "db;dur=14, cache;desc=miss, auth;dur=0");
}

TEST(app_test, server_timing_measures_authentication_apart_from_the_database) {
  scripted_host h{timed()};
  auto base = h.answer;
  h.answer = [&](const exchange::action& a) {
    auto r = base(a);
    r.after_ms = a.kind() == exchange::action_kind::verify_signature ? 3 : 9;
    if (a.kind() == exchange::action_kind::sql) r.result.cache = exchange::cache_status::hit;
    return r;
  };
  const std::string token = auth::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                            auth::base64url_encode("{\"sub\":\"u1\",\"exp\":" + std::to_string(k_t0 / 1000 + 600) + "}") +
                            "." + auth::base64url_encode("sig");
  auto r = h.run("/mine", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(*header(r, "server-timing"), "db;dur=9, cache;desc=hit, auth;dur=3");
  EXPECT_NE(request_line(h).find(R"("db_ms":9,"cache":"hit","auth_ms":3)"), std::string::npos) << request_line(h);
}

TEST(app_test, server_timing_is_on_every_response_even_without_sql) {
  scripted_host h{timed()};
  for (const char* target : {"/plain", "/healthz", "/nowhere"}) {
    auto r = h.run(target);
    ASSERT_NE(header(r, "server-timing"), nullptr) << target;
    EXPECT_EQ(*header(r, "server-timing"), "db;dur=0, cache;desc=bypass, auth;dur=0") << target;
  }
}

// ---- reuse (response::reuse_until_ms: what a host's response cache may replay) ----

std::string hs256_token(std::int64_t exp_s) {
  return auth::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
         auth::base64url_encode("{\"sub\":\"u1\",\"exp\":" + std::to_string(exp_s) + "}") + "." +
         auth::base64url_encode("sig");
}

config hs256() {
  config c;
  c.auth_dev_hs256 = true;
  return c;
}

TEST(app_test, an_authenticated_read_is_reusable_until_its_token_expires_with_the_leeway) {
  scripted_host h{hs256()};
  auto r = h.run("/mine", {{"Authorization", "Bearer " + hs256_token(k_t0 / 1000 + 600)}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.reuse_until_ms, (k_t0 / 1000 + 600 + 60) * 1000);
}

TEST(app_test, a_public_read_is_reusable_without_a_time_limit) {
  scripted_host h{config{}};
  auto r = h.run("/slow");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.reuse_until_ms, INT64_MAX);
}

TEST(app_test, writes_refusals_errors_and_timed_responses_are_never_reusable) {
  scripted_host h{hs256()};
  EXPECT_EQ(h.run("/write", {}, "POST").reuse_until_ms, 0);
  auto expired = h.run("/mine", {{"Authorization", "Bearer " + hs256_token(k_t0 / 1000 - 61)}});
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.reuse_until_ms, 0);
  EXPECT_EQ(h.run("/mine").reuse_until_ms, 0);  // no token: 401
  EXPECT_EQ(h.run("/nowhere").reuse_until_ms, 0);
  scripted_host t{timed()};
  auto r = t.run("/slow");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.reuse_until_ms, 0);  // Server-Timing carries this request's durations
}

TEST(app_test, an_answer_from_a_handler_that_read_the_request_id_is_never_reusable) {
  scripted_host h{config{}};
  auto plain = h.run("/plain");
  EXPECT_EQ(plain.reuse_until_ms, INT64_MAX);
  auto r = h.run("/echo-id");
  EXPECT_EQ(r.body, R"({"id":"req-1"})");
  EXPECT_EQ(r.reuse_until_ms, 0);
}

// ---- bookmarks ----

const std::string k_write_batch =
    R"({"results":[{"command":"INSERT","rowCount":1,"fields":[],"rows":[],"rowAsArray":true},)"
    R"({"command":"SELECT","rowCount":1,"fields":[{"name":"pg_current_wal_insert_lsn","dataTypeID":25,"tableID":0,)"
    R"("columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"}],"rows":[["16/B374D848"]],"rowAsArray":true}]})";

TEST(app_test, a_write_reads_its_wal_position_in_the_same_round_trip_and_returns_it_as_a_bookmark) {
  config cfg;
  cfg.cors_origins = {"https://app.example"};
  scripted_host h{cfg};
  auto base = h.answer;
  h.answer = [&](const exchange::action& a) {
    auto r = base(a);
    r.result.body = {};
    r.result.body.append(k_write_batch);
    return r;
  };
  auto r = h.run("/write", {{"Origin", "https://app.example"}}, "POST");
  EXPECT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(h.sql.size(), 1u);
  EXPECT_EQ(h.sql[0].body,
            R"x({"queries":[{"query":"insert into things (x) values ($1)","params":["7"]},)x"
            R"x({"query":"select pg_current_wal_insert_lsn()::text, pg_current_xact_id()::text","params":[]}]})x");
  ASSERT_NE(header(r, "edgefn-bookmark"), nullptr);
  EXPECT_EQ(*header(r, "edgefn-bookmark"), "16/B374D848");
  ASSERT_NE(header(r, "access-control-expose-headers"), nullptr);
  EXPECT_NE(header(r, "access-control-expose-headers")->find("Edgefn-Bookmark"), std::string::npos)
      << "browsers may read it";

  // A failed write carries none.
  h.answer = [&](const exchange::action& a) {
    auto rep = base(a);
    rep.result.http_status = 400;
    rep.result.body = {};
    rep.result.body.append(R"({"message":"duplicate key","code":"23505","severity":"ERROR"})");
    return rep;
  };
  auto failed = h.run("/write", {}, "POST");
  EXPECT_EQ(failed.status, 409);
  EXPECT_EQ(header(failed, "edgefn-bookmark"), nullptr);
}

TEST(app_test, reads_carry_the_requests_bookmark_and_reads_without_one_do_not) {
  scripted_host h{config{}};
  EXPECT_EQ(h.run("/slow", {{"Edgefn-Bookmark", "16/B374D848"}}).status, 200);
  EXPECT_EQ(h.run("/slow").status, 200);
  EXPECT_EQ(h.run("/direct", {{"Edgefn-Bookmark", "16/B374D848"}}).status, 200);
  ASSERT_EQ(h.sql.size(), 3u);
  EXPECT_EQ(h.sql[0].after_lsn, 0x16B374D848u);
  EXPECT_EQ(h.sql[1].after_lsn, 0u);
  EXPECT_EQ(h.sql[2].after_lsn, 0u) << "the direct pool always reads the database";
  EXPECT_EQ(h.logs.size(), 3u) << "request lines only";
}

TEST(app_test, a_bookmark_that_does_not_parse_is_ignored_and_logged) {
  scripted_host h{config{}};
  for (const char* bad : {"", "x", "16", "/1", "1/", "123456789/1", "G/1", "1/2/3", "-1/5"}) {
    h.sql.clear();
    h.logs.clear();
    auto r = h.run("/slow", {{"Edgefn-Bookmark", bad}});
    EXPECT_EQ(r.status, 200) << bad;
    ASSERT_EQ(h.sql.size(), 1u);
    EXPECT_EQ(h.sql[0].after_lsn, 0u) << bad;
    bool logged = false;
    for (const auto& l : h.logs) logged |= l.find("bookmark ignored") != std::string::npos;
    EXPECT_TRUE(logged) << bad;
  }
}

// ---- read replica ----

config with_replica() {
  config c;
  c.read_replica = true;
  c.server_timing = true;
  return c;
}

/// A replica read's batch answer: the replay position (NULL when `lsn` is empty) and whether
/// the write is visible ("t"/"f"), then k_result.
std::string replica_batch(std::string_view lsn, std::string_view visible) {
  std::string position = lsn.empty() ? "null" : "\"" + std::string(lsn) + "\"";
  return R"({"results":[{"command":"SELECT","rowCount":1,"fields":[{"name":"pg_last_wal_replay_lsn","dataTypeID":25,)"
         R"("tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"},)"
         R"({"name":"pg_visible_in_snapshot","dataTypeID":16,"tableID":0,"columnID":0,"dataTypeSize":1,)"
         R"("dataTypeModifier":-1,"format":"text"}],"rows":[[)" +
         position + ",\"" + std::string(visible) + "\"]],\"rowAsArray\":true}," + k_result + "]}";
}

/// Answers a replica read (sql_call::replica) with replica_batch(lsn, visible) from the replica,
/// and anything else with k_result from the primary; every action takes 20 ms.
void answer_replica_reads(scripted_host& h, std::string lsn, int replica_http_status = 200, std::string visible = "f") {
  auto base = h.answer;
  h.answer = [base, lsn, replica_http_status, visible](const exchange::action& a) {
    auto r = base(a);
    r.after_ms = 20;
    const auto& call = std::get<exchange::sql_call>(a.body);
    r.result.target = call.replica ? exchange::db_target::replica : exchange::db_target::primary;
    if (call.replica && call.body.starts_with("{\"queries\"")) {
      r.result.http_status = replica_http_status;
      r.result.body = {};
      r.result.body.append(replica_http_status == 200 ? replica_batch(lsn, visible)
                                                      : R"({"message":"Couldn't connect to compute node"})");
    }
    return r;
  };
}

TEST(app_test, without_a_replica_no_read_is_marked_for_one) {
  scripted_host h{config{}};
  for (const char* target : {"/slow", "/replica", "/direct"}) EXPECT_EQ(h.run(target).status, 200) << target;
  EXPECT_EQ(h.run("/replica", {{"Edgefn-Bookmark", "16/B374D848:729"}}).status, 200);
  ASSERT_EQ(h.sql.size(), 4u);
  for (const auto& call : h.sql) EXPECT_FALSE(call.replica) << call.body;
  EXPECT_EQ(h.sql[3].body.find("pg_last_wal_replay_lsn"), std::string::npos) << "no replica, no position check";
}

TEST(app_test, replica_safe_reads_without_a_bookmark_go_to_the_replica_and_nothing_else_does) {
  scripted_host h{with_replica()};
  answer_replica_reads(h, "");
  auto cached = h.run("/slow");
  auto flagged = h.run("/replica");
  h.run("/direct");
  h.run("/write", {}, "POST");
  ASSERT_EQ(h.sql.size(), 4u);
  EXPECT_TRUE(h.sql[0].replica) << "a cacheable read on the cached pool: its misses";
  EXPECT_TRUE(h.sql[1].replica) << "a route marked replica-safe";
  EXPECT_EQ(h.sql[1].body, R"({"query":"select 1 as x","params":[]})") << "as is: it may be stale";
  EXPECT_FALSE(h.sql[2].replica) << "a direct read of a route not marked";
  EXPECT_FALSE(h.sql[3].replica) << "a write";
  EXPECT_EQ(*header(cached, "server-timing"), "db;dur=20;desc=replica, cache;desc=bypass, auth;dur=0");
  EXPECT_NE(request_line(h).find(R"("db":"replica")"), std::string::npos) << "the first request's line: " << request_line(h);
  EXPECT_NE(h.logs.back().find(R"("db":"primary")"), std::string::npos) << "the write's: " << h.logs.back();
}

TEST(app_test, a_cached_read_with_a_bookmark_goes_to_its_cache_entries_or_the_primary) {
  scripted_host h{with_replica()};
  answer_replica_reads(h, "");
  auto r = h.run("/slow", {{"Edgefn-Bookmark", "16/B374D848"}});
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(h.sql.size(), 1u);
  EXPECT_FALSE(h.sql[0].replica);
  EXPECT_EQ(h.sql[0].after_lsn, 0x16B374D848u);
  EXPECT_EQ(*header(r, "server-timing"), "db;dur=20;desc=primary, cache;desc=bypass, auth;dur=0");
}

TEST(app_test, a_bookmarked_replica_read_is_one_round_trip_when_the_write_is_visible_there) {
  scripted_host h{with_replica()};
  answer_replica_reads(h, "16/B374D849", 200, "t");
  auto r = h.run("/replica", {{"Edgefn-Bookmark", "16/B374D848:729"}});
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(h.sql.size(), 1u);
  EXPECT_TRUE(h.sql[0].replica);
  EXPECT_FALSE(h.sql[0].cacheable);
  EXPECT_EQ(h.sql[0].body,
            R"x({"queries":[{"query":"select pg_last_wal_replay_lsn()::text, pg_visible_in_snapshot($1::xid8, )x"
            R"x(pg_current_snapshot())","params":["729"]},{"query":"select 1 as x","params":[]}]})x")
      << "the check first: the statement's snapshot is taken after it";
  EXPECT_EQ(*header(r, "server-timing"), "db;dur=20;desc=replica, cache;desc=bypass, auth;dur=0");
}

TEST(app_test, a_replica_where_the_write_is_not_visible_is_discarded_and_the_primary_asked) {
  // Whatever the position says: past the bookmark (other transactions' WAL between the
  // bookmark and the write's commit), at it, or behind it.
  for (const char* lsn : {"16/B374D849", "16/B374D848", "0/0"}) {
    scripted_host h{with_replica()};
    answer_replica_reads(h, lsn, 200, "f");
    auto r = h.run("/replica", {{"Edgefn-Bookmark", "16/B374D848:729"}});
    EXPECT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(h.sql.size(), 2u) << lsn;
    EXPECT_FALSE(h.sql[1].replica);
    EXPECT_EQ(h.sql[1].body, R"({"query":"select 1 as x","params":[]})");
    EXPECT_EQ(h.sql[1].timeout_ms, 80u) << "the time left of the route's deadline";
    EXPECT_EQ(*header(r, "server-timing"), "db;dur=40;desc=primary, cache;desc=bypass, auth;dur=0")
        << "the discarded answer does not count as served";
    bool logged = false;
    for (const auto& l : h.logs) logged |= l.find("replica read retried on the primary") != std::string::npos;
    EXPECT_TRUE(logged) << lsn;
  }
}

TEST(app_test, a_server_not_in_recovery_answers_a_bookmarked_replica_read) {
  scripted_host h{with_replica()};
  answer_replica_reads(h, "");  // NULL position: the "replica" is a primary
  auto r = h.run("/replica", {{"Edgefn-Bookmark", "16/B374D848:729"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(h.sql.size(), 1u);
}

TEST(app_test, an_unavailable_replica_sends_a_bookmarked_read_to_the_primary) {
  scripted_host h{with_replica()};
  answer_replica_reads(h, "", 503);
  auto r = h.run("/replica", {{"Edgefn-Bookmark", "16/B374D848:729"}});
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(h.sql.size(), 2u);
  EXPECT_FALSE(h.sql[1].replica);
  EXPECT_EQ(*header(r, "server-timing"), "db;dur=40;desc=primary, cache;desc=bypass, auth;dur=0");
}

TEST(app_test, a_replica_error_that_is_not_unavailability_is_the_answer) {
  scripted_host h{with_replica()};
  answer_replica_reads(h, "", 400);
  auto r = h.run("/replica", {{"Edgefn-Bookmark", "16/B374D848:729"}});
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(h.sql.size(), 1u) << "not retried";
}

TEST(app_test, a_bookmark_without_its_transaction_id_proves_nothing_to_a_replica) {
  scripted_host h{with_replica()};
  answer_replica_reads(h, "16/B374D849", 200, "t");
  auto r = h.run("/replica", {{"Edgefn-Bookmark", "16/B374D848"}});
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(h.sql.size(), 1u);
  EXPECT_FALSE(h.sql[0].replica) << "straight to the primary (this route is on the direct pool)";
  EXPECT_EQ(h.sql[0].body, R"({"query":"select 1 as x","params":[]})");
}

TEST(app_test, a_write_bookmark_carries_its_transaction_id) {
  scripted_host h{config{}};
  auto base = h.answer;
  h.answer = [&](const exchange::action& a) {
    auto r = base(a);
    r.result.body = {};
    r.result.body.append(
        R"({"results":[{"command":"INSERT","rowCount":1,"fields":[],"rows":[],"rowAsArray":true},)"
        R"({"command":"SELECT","rowCount":1,"fields":[{"name":"pg_current_wal_insert_lsn","dataTypeID":25,"tableID":0,)"
        R"("columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"},{"name":"pg_current_xact_id",)"
        R"("dataTypeID":25,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"}],)"
        R"("rows":[["16/B374D848","729"]],"rowAsArray":true}]})");
    return r;
  };
  auto r = h.run("/write", {}, "POST");
  EXPECT_EQ(r.status, 201) << r.body;
  ASSERT_NE(header(r, "edgefn-bookmark"), nullptr);
  EXPECT_EQ(*header(r, "edgefn-bookmark"), "16/B374D848:729");
}

}  // namespace
}  // namespace edgefn::api
