// The wardrobe API end to end against the local gateway and a real Postgres: the native host
// (what `edgefn request` runs), `edgefn serve` over HTTP, and the CLI commands.

#include <gtest/gtest.h>
#include <curl/curl.h>
#include <libpq-fe.h>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>
#include <string>
#include <vector>

#include "auth/test_keys.h"
#include "wardrobe/app.h"
#include "host/host.h"
#include "api/bookmark.h"
#include "neon/lsn.h"
#include "server/api_server.h"
#include "support/loopback.h"
#include "support/test_env.h"

namespace edgefn::testing {
namespace {

constexpr const char* k_db = "edgefn_serve";
constexpr const char* k_secret = "dev-secret-for-tests";

void pg_exec(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* r = PQexec(conn, sql.c_str());
  PQclear(r);
  PQfinish(conn);
}

std::string claims(const std::string& sub, std::int64_t ttl = 600) {
  const auto now = host::now_ms() / 1000;
  return "{\"sub\":\"" + sub + "\",\"iat\":" + std::to_string(now) + ",\"exp\":" + std::to_string(now + ttl) + "}";
}

class serve_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto& env = test_env::get();
    pg_exec(env.libpq_conninfo(), std::string("create database ") + k_db);
    pg_exec(env.libpq_conninfo(k_db),
            "drop table if exists items; create table items (id serial primary key, user_id text not null, "
            "name varchar(256), size varchar(256), type varchar(256), color varchar(256), "
            "created_at timestamp default now(), image_url text not null); "
            "create index name_idx on items (user_id);");
    rsa_ = new test_key(test_key::generate("RS256", "rsa-1"));
    ec_ = new test_key(test_key::generate("ES256", "ec-1"));
    images_ = std::filesystem::temp_directory_path() / ("edgefn-images-" + std::to_string(::getpid()));
    std::filesystem::create_directories(images_ / "images");
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ec_;
    std::filesystem::remove_all(images_);
  }

  static host::host_config config(const std::string& endpoint = {}) {
    const auto& env = test_env::get();
    host::host_config c;
    c.database.connection_string = env.connection_string(k_db);
    c.database.endpoint_override = endpoint.empty() ? env.gateway_url : endpoint;
    c.dev_secret = k_secret;
    c.api.auth_dev_hs256 = true;
    c.api.auth_jwks = "{\"keys\":[" + rsa_->jwk() + "," + ec_->jwk() + "]}";
    c.api.cors_origins = {"*"};
    c.images.dir = images_.string();
    // These tests store images under images/ for every user (a single-tenant bucket layout);
    // the owner-prefix rule itself is covered by app_test and the isolation scenario.
    c.api.app_settings = {{"APP_IMAGES_OWNER_PREFIX", "images/"}};
    return c;
  }

  static std::unique_ptr<host::host> make_host(const std::string& endpoint = {}) { return make_host_with(config(endpoint)); }

  static std::unique_ptr<host::host> make_host_with(host::host_config c) {
    auto h = host::host::create(wardrobe::app(), std::move(c));
    EXPECT_TRUE(h);
    (*h)->set_log_sink([](const std::string&) {});
    return std::move(*h);
  }

  /// `serve`'s server for `c` on a free loopback port, started; `http` as given otherwise.
  static std::unique_ptr<server::api_server> serving(host::host_config c, server::http_config http = {}) {
    http.port = 0;
    auto srv = std::make_unique<server::api_server>(make_host_with(std::move(c)), http);
    std::string error;
    EXPECT_TRUE(srv->listen(error)) << error;
    srv->start();
    return srv;
  }

  static exchange::response call(host::host& h, const std::string& method, const std::string& target,
                                 const std::string& token, const std::string& body = {}) {
    exchange::request req;
    req.method = method;
    req.target = target;
    if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body.append(body);
    }
    return h.run(std::move(req));
  }

  static std::string json_field(const std::string& body, const std::string& key) {
    const auto at = body.find("\"" + key + "\":");
    if (at == std::string::npos) return {};
    auto start = at + key.size() + 3;
    if (body[start] == '"') {
      ++start;
      return body.substr(start, body.find('"', start) - start);
    }
    return body.substr(start, body.find_first_of(",}", start) - start);
  }

  static inline test_key* rsa_ = nullptr;
  static inline test_key* ec_ = nullptr;
  static inline std::filesystem::path images_;
};

TEST_F(serve_test, crud_flow_with_cache_invalidation_and_image_delete) {
  auto h = make_host();
  const std::string tok = rsa_->token(claims("kp_crud"));
  std::ofstream(images_ / "images" / "crud.png") << "png";
  auto created = call(*h, "POST", "/api/wardrobe", tok,
                      R"({"name":"Shirt 👕 '; drop table items;--","type":"top","imageUrl":"https://img.example/images/crud.png"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json_field(created.body, "id");
  EXPECT_EQ(*http::find_header(created.headers, "location"), "/api/wardrobe/" + id);
  EXPECT_EQ(json_field(created.body, "userId"), "kp_crud");
  EXPECT_NE(created.body.find("Shirt 👕 '; drop table items;--"), std::string::npos);
  EXPECT_EQ(json_field(created.body, "createdAt").back(), 'Z');

  auto list = call(*h, "GET", "/api/wardrobe", tok);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("\"id\":" + id), std::string::npos);
  const auto hits = h->sql_cache_hits();
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe", tok).body, list.body);
  EXPECT_EQ(h->sql_cache_hits(), hits + 1) << "second read from the cached pool";

  auto updated = call(*h, "PUT", "/api/wardrobe/" + id, tok, R"({"color":"red","name":null})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(json_field(updated.body, "color"), "red");
  EXPECT_EQ(json_field(updated.body, "name"), "null");
  auto after = call(*h, "GET", "/api/wardrobe", tok);
  EXPECT_NE(after.body.find("\"color\":\"red\""), std::string::npos) << "the write invalidated the cached read";

  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", tok).body, R"({"total":1})");
  auto got = call(*h, "GET", "/api/wardrobe/" + id, tok);
  EXPECT_EQ(got.status, 200);

  ASSERT_TRUE(std::filesystem::exists(images_ / "images" / "crud.png"));
  auto deleted = call(*h, "DELETE", "/api/wardrobe/" + id, tok);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(json_field(deleted.body, "id"), id);
  EXPECT_FALSE(std::filesystem::exists(images_ / "images" / "crud.png")) << "image object deleted";
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/" + id, tok).status, 404);
  EXPECT_EQ(call(*h, "DELETE", "/api/wardrobe/" + id, tok).status, 404);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", tok).body, R"({"total":0})");
}

TEST_F(serve_test, other_users_items_are_404) {
  auto h = make_host();
  const std::string alice = ec_->token(claims("kp_alice"));
  const std::string bob = testing::hs256_token(k_secret, claims("kp_bob"));
  auto created = call(*h, "POST", "/api/wardrobe", alice, R"({"imageUrl":"https://img.example/images/a.png"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json_field(created.body, "id");
  auto missing = call(*h, "GET", "/api/wardrobe/999999", bob);
  for (const char* m : {"GET", "DELETE"}) {
    auto r = call(*h, m, "/api/wardrobe/" + id, bob);
    EXPECT_EQ(r.status, 404) << m;
    EXPECT_EQ(r.body, missing.body) << "identical to a missing item";
  }
  EXPECT_EQ(call(*h, "PUT", "/api/wardrobe/" + id, bob, R"({"name":"mine"})").status, 404);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe", bob).body.find(id), std::string::npos);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/" + id, alice).status, 200) << "untouched for its owner";
}

TEST_F(serve_test, signatures_are_verified) {
  auto h = make_host();
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", rsa_->token(claims("kp_sig"))).status, 200);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", ec_->token(claims("kp_sig"))).status, 200);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", hs256_token(k_secret, claims("kp_sig"))).status, 200);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", hs256_token("wrong", claims("kp_sig"))).status, 401);
  // A token signed by a key that is not in the JWKS but claims a known kid.
  const auto stranger = test_key::generate("ES256", "ec-1");
  auto forged = call(*h, "GET", "/api/wardrobe/total-items", stranger.token(claims("kp_sig")));
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(*http::find_header(forged.headers, "www-authenticate"),
            "Bearer error=\"invalid_token\", error_description=\"invalid signature\"");
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", rsa_->token(claims("kp_sig"), "nope")).status, 401);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", rsa_->token(claims("kp_sig", -120))).status, 401);
}

TEST_F(serve_test, unreachable_database_is_503) {
  auto h = make_host("http://127.0.0.1:1/sql");
  auto r = call(*h, "GET", "/api/wardrobe", rsa_->token(claims("kp_down")));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(*http::find_header(r.headers, "retry-after"), "5");
  EXPECT_EQ(r.body.find("127.0.0.1"), std::string::npos);
}

/// Active queries of the test database waiting on a lock (the reads blocked by `lock_items`).
int lock_waiters() {
  PGconn* conn = PQconnectdb(test_env::get().libpq_conninfo(k_db).c_str());
  PGresult* r = PQexec(conn, "select count(*) from pg_stat_activity where datname = current_database() "
                             "and state = 'active' and wait_event_type = 'Lock'");
  const int n = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoi(PQgetvalue(r, 0, 0)) : -1;
  PQclear(r);
  PQfinish(conn);
  return n;
}

TEST_F(serve_test, a_slow_query_answers_504_within_its_deadline_and_the_backend_query_is_cancelled) {
  // A real slow query without a test-only route: another session holds an exclusive lock on
  // `items`, so the list's SELECT waits in Postgres until cancelled.
  PGconn* locker = PQconnectdb(test_env::get().libpq_conninfo(k_db).c_str());
  ASSERT_EQ(PQstatus(locker), CONNECTION_OK);
  PQclear(PQexec(locker, "begin; lock table items in access exclusive mode"));
  auto c = config();
  c.api.sql_timeout_ms = 700;
  auto h = make_host_with(c);
  exchange::request req;
  req.method = "GET";
  req.target = "/api/wardrobe";
  req.headers.emplace_back("Authorization", "Bearer " + rsa_->token(claims("kp_slow")));
  std::optional<exchange::response> out;
  const auto started = std::chrono::steady_clock::now();
  h->submit(std::move(req), [&out](exchange::response r) { out = std::move(r); });
  bool blocked = false;
  while (!out) {
    h->poll(std::chrono::milliseconds(20));
    if (!blocked && !out) blocked = lock_waiters() == 1;
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(blocked) << "the query never reached Postgres";
  EXPECT_EQ(out->status, 504) << out->body;
  EXPECT_EQ(out->body, R"({"error":{"code":"timeout","message":"the database did not answer in time"}})");
  EXPECT_GE(elapsed, std::chrono::milliseconds(650));
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500)) << "answered within its deadline, not the transport's 30 s";
  // The lock is still held: the query only leaves pg_stat_activity if the gateway cancelled it.
  const auto answered = std::chrono::steady_clock::now();
  while (lock_waiters() != 0 && std::chrono::steady_clock::now() - answered < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(lock_waiters(), 0) << "the backend query still runs after the 504";
  PQclear(PQexec(locker, "rollback"));
  PQfinish(locker);
}

TEST_F(serve_test, server_timing_reports_miss_hit_and_write_over_http_when_enabled) {
  auto timed = config();
  timed.api.server_timing = true;
  const auto on_server = serving(timed), off_server = serving(config());
  server::api_server& on = *on_server;
  server::api_server& off = *off_server;
  native::curl_transport t;
  const std::string tok = rsa_->token(claims("kp_timing"));
  auto get = [&](server::api_server& srv, const std::string& method, const std::string& path, const std::string& body = {}) {
    http::request r{method, "http://127.0.0.1:" + std::to_string(srv.port()) + path,
                    {{"Authorization", "Bearer " + tok}, {"Content-Type", "application/json"}}, body};
    auto res = t.perform(std::move(r));
    EXPECT_EQ(res.failure, native::transport_failure::none) << res.failure_detail;
    const std::string* h = http::find_header(res.response.headers, "server-timing");
    return std::pair{res.response.status, h ? *h : std::string("(none)")};
  };
  // db;dur=<ms>, cache;desc=<status>, auth;dur=<ms>
  const std::regex shape(R"(db;dur=(\d+), cache;desc=(hit|miss|stale|bypass), auth;dur=(\d+))");
  auto desc = [&](const std::string& v) {
    std::smatch m;
    EXPECT_TRUE(std::regex_match(v, m, shape)) << v;
    return m.size() > 2 ? m[2].str() : std::string();
  };
  auto miss = get(on, "GET", "/api/wardrobe/total-items");
  EXPECT_EQ(miss.first, 200);
  EXPECT_EQ(desc(miss.second), "miss");
  auto hit = get(on, "GET", "/api/wardrobe/total-items");
  EXPECT_EQ(desc(hit.second), "hit");
  auto write = get(on, "POST", "/api/wardrobe", R"({"imageUrl":"https://img.example/images/t.png"})");
  EXPECT_EQ(write.first, 201);
  EXPECT_EQ(desc(write.second), "bypass");
  EXPECT_EQ(desc(get(on, "GET", "/api/wardrobe/total-items").second), "miss") << "the write invalidated the entry";
  EXPECT_EQ(desc(get(on, "GET", "/healthz").second), "bypass");
  // Off by default.
  EXPECT_EQ(get(off, "GET", "/api/wardrobe/total-items").second, "(none)");
  on.stop();
  off.stop();
}

TEST_F(serve_test, a_bookmark_makes_another_host_instance_observe_the_write) {
  // Two host instances over one database, each with its own cache: two "colos".
  auto a = make_host();
  auto b = make_host();
  const std::string tok = rsa_->token(claims("kp_bookmark"));
  auto with_bookmark = [&](host::host& h, const std::string& target, const std::string& bookmark) {
    exchange::request req;
    req.method = "GET";
    req.target = target;
    req.headers.emplace_back("Authorization", "Bearer " + tok);
    if (!bookmark.empty()) req.headers.emplace_back("Edgefn-Bookmark", bookmark);
    return h.run(std::move(req));
  };
  EXPECT_EQ(call(*b, "GET", "/api/wardrobe/total-items", tok).body, R"({"total":0})");  // cached in b
  const std::uint64_t b_hits = b->sql_cache_hits();
  auto created = call(*a, "POST", "/api/wardrobe", tok, R"({"imageUrl":"https://img.example/images/bm.png"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string* bookmark = http::find_header(created.headers, "edgefn-bookmark");
  ASSERT_NE(bookmark, nullptr) << "a write's response carries its bookmark";
  ASSERT_TRUE(api::parse_bookmark(*bookmark)) << *bookmark;
  EXPECT_NE(api::parse_bookmark(*bookmark)->xid, 0u) << "with its transaction id: " << *bookmark;

  // Without the bookmark b keeps today's semantics: its cached (pre-write) answer.
  EXPECT_EQ(call(*b, "GET", "/api/wardrobe/total-items", tok).body, R"({"total":0})");
  EXPECT_EQ(b->sql_cache_hits(), b_hits + 1);
  // With it, b must observe the write; and it then serves that fresher entry from its cache.
  EXPECT_EQ(with_bookmark(*b, "/api/wardrobe/total-items", *bookmark).body, R"({"total":1})");
  EXPECT_EQ(with_bookmark(*b, "/api/wardrobe/total-items", *bookmark).body, R"({"total":1})");
  EXPECT_EQ(b->sql_cache_hits(), b_hits + 2);
  // A bookmark that does not parse is ignored, never an error.
  auto junk = with_bookmark(*b, "/api/wardrobe/total-items", "not-a-bookmark");
  EXPECT_EQ(junk.status, 200);
  // Reads carry no bookmark of their own.
  EXPECT_EQ(http::find_header(junk.headers, "edgefn-bookmark"), nullptr);
  // A later write's bookmark is later (WAL positions only grow).
  auto second = call(*a, "POST", "/api/wardrobe", tok, R"({"imageUrl":"https://img.example/images/bm2.png"})");
  ASSERT_EQ(second.status, 201);
  EXPECT_GT(api::parse_bookmark(*http::find_header(second.headers, "edgefn-bookmark"))->lsn,
            api::parse_bookmark(*bookmark)->lsn);
}

TEST_F(serve_test, http_server_keep_alive_and_concurrency) {
  const auto srv = serving(config());
  const std::string base = "http://127.0.0.1:" + std::to_string(srv->port());
  const std::string tok = rsa_->token(claims("kp_http"));
  native::transport_options opts;
  native::curl_transport t(opts);

  http::request health{"GET", base + "/healthz", {}, {}};
  auto hr = t.perform(health);
  ASSERT_EQ(hr.failure, native::transport_failure::none) << hr.failure_detail;
  EXPECT_EQ(hr.response.status, 200);
  EXPECT_EQ(hr.response.body.view(), R"({"status":"ok"})");
  EXPECT_NE(http::find_header(hr.response.headers, "x-request-id"), nullptr);

  http::request create{"POST", base + "/api/wardrobe",
                       {{"Authorization", "Bearer " + tok}, {"Content-Type", "application/json"}},
                       R"({"imageUrl":"https://img.example/images/h.png"})"};
  EXPECT_EQ(t.perform(create).response.status, 201);

  int ok = 0;
  for (int i = 0; i < 24; ++i) {
    http::request list{"GET", base + (i % 2 ? "/api/wardrobe?limit=5" : "/api/wardrobe/total-items"),
                       {{"Authorization", "Bearer " + tok}}, {}};
    t.submit(list, [&ok](native::transport_result&& r) { ok += r.response.status == 200; });
  }
  t.run();
  EXPECT_EQ(ok, 24);
  http::request pre{"OPTIONS", base + "/api/wardrobe",
                    {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}}, {}};
  auto pr = t.perform(pre);
  EXPECT_EQ(pr.response.status, 204);
  EXPECT_EQ(*http::find_header(pr.response.headers, "access-control-allow-origin"), "*");
  srv->stop();
}

/// A POST (or, with `method` "HEAD", a HEAD without a body) over HTTP/2 with prior knowledge
/// (h2c), by libcurl: its status, HTTP version and response head (lower-case header names, as
/// HTTP/2 sends them).
struct h2c_reply {
  CURLcode rc = CURLE_OK;
  long status = 0;
  long version = 0;
  std::string head;
};

h2c_reply h2c_post(const std::string& url, const std::string& body, const std::vector<std::string>& headers,
                   std::string_view method = "POST") {
  h2c_reply out;
  CURL* easy = curl_easy_init();
  if (easy == nullptr) {
    out.rc = CURLE_FAILED_INIT;
    return out;
  }
  curl_slist* hs = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const auto& h : headers) hs = curl_slist_append(hs, h.c_str());
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, hs);
  if (method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(easy, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, +[](char*, std::size_t n, std::size_t m, void*) { return n * m; });
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, +[](char* b, std::size_t n, std::size_t m, void* head) {
    static_cast<std::string*>(head)->append(b, n * m);
    return n * m;
  });
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &out.head);
  out.rc = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &out.version);
  curl_slist_free_all(hs);
  curl_easy_cleanup(easy);
  return out;
}

TEST_F(serve_test, the_http_layers_own_413_carries_cors_headers_for_an_allowed_origin_over_http1_and_http2) {
  // A body over the HTTP layer's cap (as `serve` sets it: 1 MiB here) is refused before the
  // core sees the request. A page's upload must still read that 413 (CORS headers), not a
  // network error; an origin the app does not allow gets none, as from the core.
  auto cfg = config();
  cfg.api.cors_origins = {"https://app.example"};
  server::http_config http;
  http.max_body_bytes = 1 << 20;
  const auto srv = serving(cfg, http);
  const std::string base = "http://127.0.0.1:" + std::to_string(srv->port());
  native::curl_transport t(native::transport_options{});
  const std::string tok = rsa_->token(claims("kp_cors413"));
  auto upload = [&](const std::string& origin) {
    http::request r{"POST", base + "/api/wardrobe",
                    {{"Authorization", "Bearer " + tok}, {"Content-Type", "application/json"}, {"Origin", origin}},
                    std::string(2 << 20, ' ')};
    return t.perform(r);
  };
  auto allowed = upload("https://app.example");
  ASSERT_EQ(allowed.failure, native::transport_failure::none) << allowed.failure_detail;
  EXPECT_EQ(allowed.response.status, 413);
  EXPECT_NE(allowed.response.body.view().find("payload_too_large"), std::string::npos) << allowed.response.body.view();
  const std::string* acao = http::find_header(allowed.response.headers, "access-control-allow-origin");
  ASSERT_NE(acao, nullptr);
  EXPECT_EQ(*acao, "https://app.example");
  EXPECT_NE(http::find_header(allowed.response.headers, "x-request-id"), nullptr);
  auto other = upload("https://evil.example");
  ASSERT_EQ(other.failure, native::transport_failure::none) << other.failure_detail;
  EXPECT_EQ(other.response.status, 413);
  EXPECT_EQ(http::find_header(other.response.headers, "access-control-allow-origin"), nullptr);

  // The same over HTTP/2 (h2c, prior knowledge): the stream's 413 comes from the HTTP/2 session.
  const auto h2 = h2c_post(base + "/api/wardrobe", std::string(2 << 20, ' '), {"Origin: https://app.example"});
  ASSERT_EQ(h2.rc, CURLE_OK) << curl_easy_strerror(h2.rc);
  EXPECT_EQ(h2.version, static_cast<long>(CURL_HTTP_VERSION_2_0));
  EXPECT_EQ(h2.status, 413);
  EXPECT_NE(h2.head.find("access-control-allow-origin: https://app.example"), std::string::npos) << h2.head;
  srv->stop();
}

/// Sends `bytes` on a fresh connection to 127.0.0.1:`port`; the one reply it gets, its head's
/// header names lowercased (as clients compare them).
std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
  const int fd = connect_loopback(port);
  if (fd < 0) return "<connect failed>";
  if (::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size())) {
    ::close(fd);
    return "<send failed>";
  }
  std::string reply = read_http_replies(fd, 1, std::chrono::seconds(5));
  ::close(fd);
  const auto head_end = std::min(reply.find("\r\n\r\n"), reply.size());
  for (std::size_t line = reply.find("\r\n"); line < head_end; line = reply.find("\r\n", line + 2)) {
    for (std::size_t i = line + 2; i < head_end && reply[i] != ':'; ++i) reply[i] = static_cast<char>(std::tolower(reply[i]));
  }
  return reply;
}

TEST_F(serve_test, a_head_is_answered_as_the_get_with_its_content_length_and_no_body_over_http1_and_http2) {
  const auto srv = serving(config());
  const std::string get = raw_exchange(srv->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto body_at = get.find("\r\n\r\n");
  ASSERT_NE(body_at, std::string::npos) << get;
  const std::string length = "content-length: " + std::to_string(get.size() - body_at - 4) + "\r\n";
  EXPECT_NE(get.find(length), std::string::npos) << get;
  const std::string head = raw_exchange(srv->port(), "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200 ", 0), 0u) << head;
  EXPECT_NE(head.find(length), std::string::npos) << head;  // the GET's, not 0
  const auto h2 = h2c_post("http://127.0.0.1:" + std::to_string(srv->port()) + "/healthz", "", {}, "HEAD");
  ASSERT_EQ(h2.rc, CURLE_OK) << curl_easy_strerror(h2.rc);
  EXPECT_EQ(h2.version, static_cast<long>(CURL_HTTP_VERSION_2_0));
  EXPECT_EQ(h2.status, 200);
  EXPECT_NE(h2.head.find(length), std::string::npos) << h2.head;
  srv->stop();
}

TEST_F(serve_test, the_http_layers_own_refusals_name_the_fault_as_bad_request_with_cors_and_a_request_id) {
  // Refused before the core sees them; the answer says what was wrong with the message (not
  // "invalid_json"), and a page still reads it (CORS) with a request id to quote.
  auto cfg = config();
  cfg.api.cors_origins = {"https://app.example"};
  const auto srv = serving(cfg);
  const std::string head = "POST /api/wardrobe HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head + "Content-Length: 2\r\nContent-Length: 5\r\n\r\n{}", "conflicting Content-Length headers"},
      {head + "Content-Length: -1\r\n\r\n{}", "invalid Content-Length"},
      {head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", "invalid chunk in a chunked body"},
      {head + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}", "both Content-Length and Transfer-Encoding"},
      {head + "Transfer-Encoding: gzip\r\n\r\n{}", "Transfer-Encoding must end in chunked, applied once"},
      {"GET /healthz HTTP/1.1\r\nOrigin: https://app.example\r\n\r\n", "missing Host header"},
  };
  for (const auto& [request, message] : cases) {
    const std::string reply = raw_exchange(srv->port(), request);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400 ", 0), 0u) << request << "\n" << reply;
    EXPECT_NE(reply.find("\r\n\r\n{\"error\":{\"code\":\"bad_request\",\"message\":\"" + message + "\"}}"), std::string::npos)
        << request << "\n" << reply;
    EXPECT_NE(reply.find("\r\naccess-control-allow-origin: https://app.example\r\n"), std::string::npos) << reply;
    EXPECT_NE(reply.find("\r\nx-request-id: "), std::string::npos) << reply;
    EXPECT_NE(reply.find("\r\nconnection: close\r\n"), std::string::npos) << reply;
  }
  // A head over the limit is refused before its fields are read (no Origin known: no CORS).
  const std::string big = raw_exchange(srv->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                                       std::string(100 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(big.rfind("HTTP/1.1 431 ", 0), 0u) << big.substr(0, 300);
  EXPECT_NE(big.find(R"({"error":{"code":"bad_request","message":"request headers are too large"}})"), std::string::npos)
      << big.substr(0, 300);
  srv->stop();
}

TEST_F(serve_test, repeated_request_headers_reach_the_core_combined_as_the_workers_fetch_api_gives_them) {
  // Two Authorization lines: the Worker's core gets "Bearer a, Bearer b" (a malformed token);
  // natively the core took the first one and authenticated the request.
  const auto srv = serving(config());
  const std::string tok = rsa_->token(claims("kp_dup_headers"));
  const std::string get = "GET /api/wardrobe/total-items HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok + "\r\n";
  const std::string once = raw_exchange(srv->port(), get + "\r\n");
  EXPECT_EQ(once.rfind("HTTP/1.1 200 ", 0), 0u) << once;
  const std::string twice = raw_exchange(srv->port(), get + "Authorization: Bearer other\r\n\r\n");
  EXPECT_EQ(twice.rfind("HTTP/1.1 401 ", 0), 0u) << twice;
  EXPECT_NE(twice.find(R"({"error":{"code":"unauthorized")"), std::string::npos) << twice;

  // HTTP/2 (h2c): the same.
  const std::string base = "http://127.0.0.1:" + std::to_string(srv->port());
  const auto h2 = h2c_post(base + "/api/wardrobe", R"({"imageUrl":"https://img.example/images/dup.png"})",
                           {"Authorization: Bearer " + tok, "Authorization: Bearer other"});
  ASSERT_EQ(h2.rc, CURLE_OK) << curl_easy_strerror(h2.rc);
  EXPECT_EQ(h2.version, static_cast<long>(CURL_HTTP_VERSION_2_0));
  EXPECT_EQ(h2.status, 401) << h2.head;
  srv->stop();

  // The rule itself, with cookies (joined by "; ", RFC 9113 §8.2.3) that no route reads.
  server::http_request req;
  req.headers = {{"x-a", "1"}, {"cookie", "a=1"}, {"host", "x"}, {"x-a", "2"}, {"cookie", "b=2"}, {"x-a", "3"}};
  const http::header_list combined = {{"x-a", "1, 2, 3"}, {"cookie", "a=1; b=2"}, {"host", "x"}};
  EXPECT_EQ(server::to_exchange_request(req).headers, combined);
}

/// A local HTTP server standing in for a JWKS endpoint or an S3 bucket: records requests and
/// answers with `status` / `body`.
struct fake_upstream {
  std::mutex mu;
  std::vector<server::http_request> seen;
  int status = 200;
  std::string body;
  server::http_server http{server::http_config{}, [this](const server::http_request& r, const server::client_link&) {
    std::lock_guard lock(mu);
    seen.push_back(r);
    server::http_response out;
    out.status = status;
    out.body = body;
    return out;
  }};
  std::string start() {
    std::string error;
    EXPECT_TRUE(http.listen(error)) << error;
    http.start();
    return "http://127.0.0.1:" + std::to_string(http.port());
  }
  ~fake_upstream() { http.stop(); }
};

/// A host whose keys are `jwks`'s document (AUTH_JWKS_URL), serving the EC key only; null
/// (and a failed expectation) when it cannot be created.
std::unique_ptr<host::host> jwks_url_host(fake_upstream& jwks, const host::host_config& base_config, const test_key& ec) {
  jwks.body = "{\"keys\":[" + ec.jwk() + "]}";
  const std::string base = jwks.start();
  auto cfg = base_config;
  cfg.api.auth_jwks.clear();
  cfg.api.auth_jwks_url = base + "/.well-known/jwks.json";
  auto h = host::host::create(wardrobe::app(), cfg);
  EXPECT_TRUE(h);
  if (!h) return nullptr;
  (*h)->set_log_sink([](const std::string&) {});
  return std::move(*h);
}

TEST_F(serve_test, jwks_url_is_fetched_once_and_cached) {
  fake_upstream jwks;
  auto h = jwks_url_host(jwks, config(), *ec_);
  ASSERT_TRUE(h);
  const std::string tok = ec_->token(claims("kp_jwks"));
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", tok).status, 200);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", tok).status, 200);
  EXPECT_EQ(call(*h, "GET", "/api/wardrobe/total-items", rsa_->token(claims("kp_jwks"))).status, 401)
      << "the RSA key is not in this JWKS";
  std::lock_guard lock(jwks.mu);
  ASSERT_EQ(jwks.seen.size(), 1u) << "fetched once, then served from the host's cache";
  EXPECT_EQ(jwks.seen[0].target, "/.well-known/jwks.json");
}

TEST_F(serve_test, concurrent_requests_share_one_jwks_fetch) {
  fake_upstream jwks;
  auto h = jwks_url_host(jwks, config(), *ec_);
  ASSERT_TRUE(h);
  // All started before any result comes back: each asks for the document.
  std::vector<int> statuses;
  for (int i = 0; i < 8; ++i) {
    exchange::request req;
    req.method = "GET";
    req.target = "/api/wardrobe/total-items";
    req.headers.emplace_back("Authorization", "Bearer " + ec_->token(claims("kp_jwks_" + std::to_string(i))));
    h->submit(std::move(req), [&statuses](exchange::response r) { statuses.push_back(r.status); });
  }
  while (h->poll(std::chrono::milliseconds(50))) {
  }
  EXPECT_EQ(statuses, std::vector<int>(8, 200));
  std::lock_guard lock(jwks.mu);
  EXPECT_EQ(jwks.seen.size(), 1u) << "one fetch for the eight requests waiting for it";
}

TEST_F(serve_test, s3_delete_is_signed_and_failures_never_resurrect_the_row) {
  fake_upstream s3;
  s3.status = 204;
  const std::string base = s3.start();
  auto cfg = config();
  cfg.images = {};
  cfg.images.s3_endpoint = base;
  cfg.images.s3_bucket = "wardrobe-images";
  cfg.images.s3_region = "eu-west-1";
  cfg.images.s3_access_key = "AKIDEXAMPLE";
  cfg.images.s3_secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  auto h = host::host::create(wardrobe::app(), cfg);
  ASSERT_TRUE(h);
  std::vector<std::string> logs;
  (*h)->set_log_sink([&logs](const std::string& l) { logs.push_back(l); });
  const std::string tok = rsa_->token(claims("kp_s3"));
  auto created = call(**h, "POST", "/api/wardrobe", tok, R"({"imageUrl":"https://cdn.example/images/s3%20a.png"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(call(**h, "DELETE", "/api/wardrobe/" + json_field(created.body, "id"), tok).status, 200);
  {
    std::lock_guard lock(s3.mu);
    ASSERT_EQ(s3.seen.size(), 1u);
    EXPECT_EQ(s3.seen[0].method, "DELETE");
    EXPECT_EQ(s3.seen[0].target, "/wardrobe-images/images/s3%20a.png");
    const std::string* auth = s3.seen[0].header("authorization");
    ASSERT_NE(auth, nullptr);
    EXPECT_EQ(auth->rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0), 0u) << *auth;
    EXPECT_NE(auth->find("/eu-west-1/s3/aws4_request"), std::string::npos) << *auth;
  }
  s3.status = 500;
  auto again = call(**h, "POST", "/api/wardrobe", tok, R"({"imageUrl":"https://cdn.example/images/b.png"})");
  const std::string id = json_field(again.body, "id");
  auto deleted = call(**h, "DELETE", "/api/wardrobe/" + id, tok);
  EXPECT_EQ(deleted.status, 200) << "a failed object delete does not fail the request";
  EXPECT_EQ(call(**h, "GET", "/api/wardrobe/" + id, tok).status, 404) << "the row stays deleted";
  bool logged = false;
  for (const auto& l : logs) logged = logged || (l.find("image delete failed") != std::string::npos &&
                                                 l.find("images/b.png") != std::string::npos);
  EXPECT_TRUE(logged);
  for (const auto& l : logs) EXPECT_EQ(l.find("wJalrXUtnFEMI"), std::string::npos) << "no secret in logs";
}

std::string run_cli(const std::string& args) {
  const char* bin = std::getenv("EDGEFN_APP_BIN");
  if (!bin) return "<EDGEFN_APP_BIN unset>";
  const auto& env = test_env::get();
  const std::string cmd = "DATABASE_URL='" + env.connection_string(k_db) + "' NEON_FETCH_ENDPOINT='" +
                          env.gateway_url + "' AUTH_DEV_SECRET='" + k_secret + "' " + bin + " " + args + " 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return "<popen failed>";
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST_F(serve_test, cli_token_and_request) {
  std::string token = run_cli("token --sub kp_cli --ttl 120");
  while (!token.empty() && token.back() == '\n') token.pop_back();
  ASSERT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
  const std::string out = run_cli("request POST /api/wardrobe --token " + token +
                                  " --body '{\"name\":\"cli\",\"imageUrl\":\"https://img.example/images/c.png\"}'");
  EXPECT_EQ(out.rfind("HTTP 201\n", 0), 0u) << out;
  EXPECT_NE(out.find("Location: /api/wardrobe/"), std::string::npos) << out;
  EXPECT_NE(out.find("\"userId\":\"kp_cli\""), std::string::npos) << out;
  const std::string health = run_cli("request GET /healthz");
  EXPECT_EQ(health.rfind("HTTP 200\n", 0), 0u) << health;
  EXPECT_EQ(run_cli("request GET /api/wardrobe").rfind("HTTP 401\n", 0), 0u);
}

}  // namespace
}  // namespace edgefn::testing
