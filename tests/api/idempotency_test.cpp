// Idempotency-Key on POST (src/api/idempotency.h), driven through the framework's serve() by a
// scripted host answering each /sql call with Neon's JSON: the key's validation, the one batch
// a keyed write sends, and what the framework does with each answer of the database (a record
// to replay, a reused key, a key in flight, a missing table). Against real Postgres:
// apps/wardrobe/scenarios/10_idempotency.json and tests/integration/fault_test.mjs.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/idempotency.h"
#include "base/sha256.h"
#include "exchange/engine.h"

namespace edgefn::api {
namespace {

exchange::task<exchange::response> create_thing(route_call& call) {
  db::statement s;
  s.text = R"(insert into "things" ("name") values ($1) returning "id", "name")";
  s.params = {neon::param("lamp")};
  s.writes = {"things"};
  auto r = co_await call.run(std::move(s));
  if (!r) co_return std::move(r).error();
  if (r->rows() != 1) co_return json_response(500, "{}");
  co_return json_response(201, R"({"id":)" + std::string(r->text(0, 0)) + R"(,"name":")" +
                                   std::string(r->text(0, 1)) + R"("})");
}

exchange::task<exchange::response> read_only(route_call& call) {
  db::statement s;
  s.text = "select 1";
  s.reads = {"things"};
  auto r = co_await call.run(std::move(s));
  if (!r) co_return std::move(r).error();
  co_return json_response(200, "{}");
}

/// A handler that ignores a failed write and writes again.
exchange::task<exchange::response> stubborn(route_call& call) {
  for (int i = 0; i < 2; ++i) {
    db::statement s;
    s.text = R"(insert into "things" ("name") values ($1) returning "id", "name")";
    s.params = {neon::param("lamp")};
    s.writes = {"things"};
    auto r = co_await call.run(std::move(s));
    (void)r;
  }
  co_return json_response(201, "{}");
}

constexpr route_def k_routes[] = {
    {.method = "POST", .path = "/stubborn", .auth = auth_mode::none, .handler = stubborn},
    {.method = "POST", .path = "/things", .auth = auth_mode::none, .handler = create_thing},
    {.method = "POST", .path = "/search", .auth = auth_mode::none, .handler = read_only},
};
constexpr app_spec k_app{.title = "test", .routes = k_routes};

const std::string k_fields =
    R"("fields":[{"name":"id","dataTypeID":23,"tableID":0,"columnID":0,"dataTypeSize":4,"dataTypeModifier":-1,"format":"text"},)"
    R"({"name":"name","dataTypeID":25,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"}])";
const std::string k_empty = R"({"command":"DELETE","rowCount":0,"fields":[],"rows":[],"rowAsArray":true})";
const std::string k_lsn =
    R"({"command":"SELECT","rowCount":1,"fields":[{"name":"pg_current_wal_insert_lsn","dataTypeID":25,"tableID":0,)"
    R"("columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"}],"rows":[["0/1A"]],"rowAsArray":true})";
const std::string k_row = R"({"command":"SELECT","rowCount":1,)" + k_fields + R"(,"rows":[["7","lamp"]],"rowAsArray":true})";
const std::string k_keyed_ok = R"({"results":[)" + k_empty + "," + k_empty + "," + k_row + "," + k_lsn + "]}";
const std::string k_key_taken =
    R"({"message":"duplicate key value violates unique constraint \"idempotency_keys_pkey\"","code":"23505",)"
    R"("constraint":"idempotency_keys_pkey","severity":"ERROR"})";

std::string lookup_result(std::string_view hash, std::string_view rows) {
  return R"({"command":"SELECT","rowCount":1,"fields":[{"name":"request_hash","dataTypeID":25},{"name":"result","dataTypeID":25}],)"
         R"("rows":[[")" + std::string(hash) + R"(",)" + std::string(rows) + R"(]],"rowAsArray":true})";
}

/// Answers each /sql call with `db(call)`: {http status, body}.
struct scripted_host {
  explicit scripted_host(std::function<std::pair<int, std::string>(const exchange::sql_call&)> db_)
      : engine(std::move(*make_handler(k_app, config{}))), db(std::move(db_)) {}

  exchange::response post(std::string target, std::string body, http::header_list headers) {
    exchange::request req;
    req.method = "POST";
    req.target = std::move(target);
    req.headers = std::move(headers);
    req.headers.emplace_back("Content-Type", "application/json");
    req.body.append(body);
    engine.start(std::move(req), "req-1", 0);
    for (;;) {
      while (auto a = engine.next_action()) {
        if (std::holds_alternative<exchange::log_line>(a->body)) continue;
        const auto& call = std::get<exchange::sql_call>(a->body);
        sql.push_back(call);
        auto [status, text] = db(call);
        exchange::action_result r;
        r.id = a->id;
        r.http_status = status;
        r.body.append(text);
        engine.complete(std::move(r), 0);
      }
      if (auto f = engine.next_response()) return std::move(f->resp);
    }
  }

  exchange::engine engine;
  std::function<std::pair<int, std::string>(const exchange::sql_call&)> db;
  std::vector<exchange::sql_call> sql;
};

const std::string* header(const exchange::response& r, std::string_view name) {
  return http::find_header(r.headers, name);
}

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

std::string fingerprint_of(std::string_view target, std::string_view body) {
  return sha256_hex("POST\n" + std::string(target) + "\n" + std::string(body));
}

TEST(idempotency_test, a_malformed_key_answers_400_before_any_sql) {
  scripted_host h([](const exchange::sql_call&) { return std::pair{200, std::string()}; });
  for (std::string bad : {std::string(""), std::string(256, 'k'), std::string("a b"), std::string("a\x01"),
                          std::string("\"\""), std::string("caf\xc3\xa9"), std::string("\"a\"b\"")}) {
    auto r = h.post("/things", "{}", {{"Idempotency-Key", bad}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(contains(r.body, R"("fields":{"Idempotency-Key":)")) << r.body;
  }
  EXPECT_TRUE(h.sql.empty());
}

TEST(idempotency_test, keys_are_bare_or_sf_strings_scoped_by_user_and_fingerprinted) {
  exchange::request req;
  req.method = "POST";
  req.target = "/things?x=1";
  req.headers = {{"Idempotency-Key", R"("8e03978e-40d5\"x")"}};
  req.body.append("{}");
  auto k = read_idempotency_key(req, std::string("kp_alice"));
  ASSERT_TRUE(k && *k);
  EXPECT_EQ((*k)->key, R"(8e03978e-40d5"x)");
  EXPECT_EQ((*k)->scope, "kp_alice");
  EXPECT_EQ((*k)->fingerprint, fingerprint_of("/things?x=1", "{}"));
  req.headers = {{"Idempotency-Key", std::string(255, '~')}};
  auto longest = read_idempotency_key(req, std::nullopt);
  ASSERT_TRUE(longest && *longest);
  EXPECT_EQ((*longest)->scope, "");
  req.method = "PUT";
  auto put = read_idempotency_key(req, std::nullopt);
  ASSERT_TRUE(put);
  EXPECT_FALSE(*put) << "only POST is keyed";
}

TEST(idempotency_test, a_keyed_write_records_its_rows_in_the_same_batch_as_the_write) {
  scripted_host h([](const exchange::sql_call&) { return std::pair{200, k_keyed_ok}; });
  auto r = h.post("/things", R"({"name":"lamp"})", {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body, R"({"id":7,"name":"lamp"})");
  EXPECT_EQ(header(r, "idempotent-replayed"), nullptr);
  ASSERT_NE(header(r, "edgefn-bookmark"), nullptr);
  ASSERT_EQ(h.sql.size(), 1u) << "one round trip";
  const auto& call = h.sql[0];
  EXPECT_EQ(call.target_pool, exchange::pool::direct);
  EXPECT_FALSE(call.cacheable);
  EXPECT_EQ(call.writes, std::vector<std::string>{"things"});
  const std::string fp = fingerprint_of("/things", R"({"name":"lamp"})");
  EXPECT_TRUE(contains(call.body, R"x("query":"delete from edgefn.idempotency_keys where created_at < now())x")) << call.body;
  EXPECT_TRUE(contains(call.body, R"("params":["86400","","k1"])")) << call.body;
  EXPECT_TRUE(contains(call.body, R"x(insert into edgefn.idempotency_keys (scope, idem_key, seq, request_hash) values ($1, $2, $3, $4)","params":["","k1","0",")x" + fp + "\"]"))
      << call.body;
  EXPECT_TRUE(contains(call.body, R"x(with edgefn_w as (insert into \"things\" (\"name\") values ($1) returning \"id\", \"name\"), edgefn_r as (update edgefn.idempotency_keys set result = )x"))
      << call.body;
  EXPECT_TRUE(contains(call.body, R"x(where scope = $2 and idem_key = $3 and seq = $4) select * from edgefn_w","params":["lamp","","k1","0"]})x"))
      << call.body;
  EXPECT_TRUE(contains(call.body, "pg_current_wal_insert_lsn"));
}

TEST(idempotency_test, requests_without_a_key_or_without_writes_are_unchanged) {
  scripted_host h([](const exchange::sql_call& c) {
    if (contains(c.body, "queries")) return std::pair{200, R"({"results":[)" + k_row + "," + k_lsn + "]}"};
    return std::pair{200, k_row};
  });
  EXPECT_EQ(h.post("/things", "{}", {}).status, 201);
  EXPECT_EQ(h.post("/search", "{}", {{"Idempotency-Key", "k1"}}).status, 200);
  ASSERT_EQ(h.sql.size(), 2u);
  for (const auto& c : h.sql) EXPECT_FALSE(contains(c.body, "idempotency_keys")) << c.body;
}

TEST(idempotency_test, a_retry_replays_the_recorded_rows_through_the_handler) {
  const std::string body = R"({"name":"lamp"})";
  const std::string fp = fingerprint_of("/things", body);
  scripted_host h([&](const exchange::sql_call& c) {
    if (contains(c.body, "insert into edgefn.idempotency_keys")) return std::pair{400, k_key_taken};
    if (contains(c.body, "select request_hash")) return std::pair{200, lookup_result(fp, R"("[{\"id\":7,\"name\":\"lamp\"}]")")};
    if (contains(c.body, "json_populate_recordset")) return std::pair{200, R"({"results":[)" + k_row + "," + k_lsn + "]}"};
    return std::pair{500, std::string("{}")};
  });
  auto r = h.post("/things", body, {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body, R"({"id":7,"name":"lamp"})");
  ASSERT_NE(header(r, "idempotent-replayed"), nullptr);
  EXPECT_EQ(*header(r, "idempotent-replayed"), "true");
  ASSERT_EQ(h.sql.size(), 3u);
  for (const auto& c : h.sql) {
    EXPECT_EQ(c.target_pool, exchange::pool::direct);
    EXPECT_FALSE(c.cacheable) << "a replay never comes from the cache";
  }
  EXPECT_TRUE(contains(h.sql[1].body, R"("params":["","k1","0","86400"])")) << h.sql[1].body;
  EXPECT_TRUE(contains(h.sql[2].body, R"x(select r.\"id\", r.\"name\" from json_populate_recordset(null::\"things\", $1::json) r)x"))
      << h.sql[2].body;
}

TEST(idempotency_test, the_same_key_with_another_body_answers_422) {
  scripted_host h([&](const exchange::sql_call& c) {
    if (contains(c.body, "insert into edgefn.idempotency_keys")) return std::pair{400, k_key_taken};
    return std::pair{200, lookup_result(fingerprint_of("/things", "{\"name\":\"other\"}"), "\"[]\"")};
  });
  auto r = h.post("/things", R"({"name":"lamp"})", {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"idempotency_key_reused","message":"this Idempotency-Key was used for a different request"}})");
  EXPECT_EQ(h.sql.size(), 2u);
}

TEST(idempotency_test, after_a_reused_key_nothing_more_is_written_whatever_the_handler_does) {
  scripted_host h([&](const exchange::sql_call& c) {
    if (contains(c.body, "insert into edgefn.idempotency_keys")) return std::pair{400, k_key_taken};
    return std::pair{200, lookup_result(fingerprint_of("/stubborn", "{\"other\":1}"), "\"[]\"")};
  });
  auto r = h.post("/stubborn", "{}", {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(h.sql.size(), 2u) << "the second write is not sent";
}

TEST(idempotency_test, a_key_whose_record_vanished_answers_409_with_retry_after) {
  scripted_host h([&](const exchange::sql_call& c) {
    if (contains(c.body, "insert into edgefn.idempotency_keys")) return std::pair{400, k_key_taken};
    return std::pair{200, std::string(R"({"command":"SELECT","rowCount":0,"fields":[{"name":"request_hash","dataTypeID":25},)"
                                      R"({"name":"result","dataTypeID":25}],"rows":[],"rowAsArray":true})")};
  });
  auto r = h.post("/things", "{}", {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(r.status, 409);
  ASSERT_NE(header(r, "retry-after"), nullptr);
}

TEST(idempotency_test, an_app_constraint_error_is_mapped_as_without_a_key) {
  scripted_host h([&](const exchange::sql_call&) {
    return std::pair{400, std::string(R"({"message":"dup","code":"23505","constraint":"things_name_key","detail":"Key (name)=(lamp) already exists."})")};
  });
  auto r = h.post("/things", "{}", {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, R"("code":"conflict")"));
  EXPECT_EQ(h.sql.size(), 1u) << "no lookup: the key was not the conflict";
}

TEST(idempotency_test, a_missing_table_is_created_once_and_the_write_retried) {
  int writes = 0;
  scripted_host h([&](const exchange::sql_call& c) {
    if (contains(c.body, "create table if not exists edgefn.idempotency_keys")) return std::pair{200, std::string(R"({"results":[]})")};
    if (++writes == 1)
      return std::pair{400, std::string(R"({"message":"relation \"edgefn.idempotency_keys\" does not exist","code":"42P01"})")};
    return std::pair{200, k_keyed_ok};
  });
  auto r = h.post("/things", "{}", {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(h.sql.size(), 3u);
  EXPECT_TRUE(contains(h.sql[1].body, "create schema if not exists edgefn"));

  // A table still missing after that (the app's own) is not created again.
  writes = 0;
  h.sql.clear();
  h.db = [&](const exchange::sql_call&) {
    return std::pair{400, std::string(R"({"message":"schema \"edgefn\" does not exist","code":"3F000"})")};
  };
  EXPECT_EQ(h.post("/things", "{}", {{"Idempotency-Key", "k2"}}).status, 500);
  EXPECT_EQ(h.sql.size(), 3u);
}

}  // namespace
}  // namespace edgefn::api
