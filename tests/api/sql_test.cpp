// The framework's mapping of /sql failures to API responses (src/api/sql.h), for every app:
// constraint and data errors are the client's (400/409 naming the field), unavailability is 503
// with Retry-After, anything else 500 with only the request id.
#include <gtest/gtest.h>

#include "api/sql.h"
#include "db/column.h"

namespace edgefn::api {
namespace {

struct book {
  std::int32_t id = 0;
  std::optional<std::int32_t> author_id;
};
constexpr auto k_author_id = db::integer<&book::author_id>("books", "author_id");
constexpr const db::column_info* k_columns[] = {&k_author_id.info};

exchange::action_result http_error(int status, std::string body) {
  exchange::action_result r;
  r.status = exchange::outcome::ok;
  r.http_status = status;
  r.body.append(body);
  return r;
}

std::string neon_error(std::string_view code, std::string_view detail) {
  return R"({"message":"m","code":")" + std::string(code) + R"(","detail":")" + std::string(detail) + R"("})";
}

exchange::response map(exchange::action_result r) {
  exchange::context ctx(1, {}, "req-7", 0);
  auto out = decode_sql_result(ctx, std::move(r), k_columns).result;
  EXPECT_FALSE(out);
  return out ? exchange::response{} : std::move(out).error();
}

bool has_header(const exchange::response& r, std::string_view name) { return http::find_header(r.headers, name); }

TEST(sql_test, a_missing_referenced_row_is_a_400_naming_the_field) {
  auto r = map(http_error(400, neon_error("23503", R"(Key (author_id)=(99) is not present in table \"authors\".)")));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("fields":{"authorId":"must reference an existing row of authors"})"), std::string::npos) << r.body;
}

TEST(sql_test, a_row_still_referenced_is_a_409) {
  auto r = map(http_error(400, neon_error("23503", R"(Key (id)=(1) is still referenced from table \"books\".)")));
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find(R"("code":"conflict")"), std::string::npos);
  EXPECT_NE(r.body.find("books"), std::string::npos) << r.body;
}

TEST(sql_test, a_unique_violation_is_a_409_naming_every_key_column) {
  auto r = map(http_error(400, neon_error("23505", R"(Key (author_id, title)=(1, x) already exists.)")));
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find(R"("fields":{"authorId":"already exists","title":"already exists"})"), std::string::npos) << r.body;
}

TEST(sql_test, values_postgres_rejects_are_400) {
  for (const char* code : {"22008", "22003", "22001", "23514", "23502"})
    EXPECT_EQ(map(http_error(400, neon_error(code, ""))).status, 400) << code;
}

TEST(sql_test, unavailability_is_503_with_retry_after) {
  for (const char* code : {"08006", "53300", "57P01", "57P03"}) {
    auto r = map(http_error(400, neon_error(code, "")));
    EXPECT_EQ(r.status, 503) << code;
    EXPECT_TRUE(has_header(r, "retry-after")) << code;
  }
  exchange::action_result refused;
  refused.status = exchange::outcome::failed_connect;
  EXPECT_EQ(map(std::move(refused)).status, 503);
  EXPECT_EQ(map(http_error(502, "bad gateway")).status, 503);
}

TEST(sql_test, everything_else_is_a_500_with_only_the_request_id) {
  for (const char* code : {"42P01", "08P01", "XX000"}) {
    auto r = map(http_error(400, neon_error(code, "secret detail")));
    EXPECT_EQ(r.status, 500) << code;
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    EXPECT_NE(r.body.find("req-7"), std::string::npos);
  }
}

TEST(sql_test, the_action_carries_the_statements_tables_and_cacheability) {
  db::statement s;
  s.text = "select 1";
  s.reads = {"books", "authors"};
  s.cacheable = true;
  auto cached = make_sql_call(s, exchange::pool::cached);
  EXPECT_TRUE(cached.cacheable);
  EXPECT_EQ(cached.reads, (std::vector<std::string>{"books", "authors"}));
  EXPECT_TRUE(cached.writes.empty());
  EXPECT_FALSE(make_sql_call(s, exchange::pool::direct).cacheable);
  s.writes = {"books"};
  s.cacheable = false;
  auto write = make_sql_call(s, exchange::pool::cached);
  EXPECT_FALSE(write.cacheable);
  EXPECT_EQ(write.writes, (std::vector<std::string>{"books"}));
}

TEST(sql_test, a_write_reads_its_bookmark_in_a_batch_unless_bookmarks_are_off) {
  db::statement s;
  s.text = "insert into books (title) values ($1) returning id";
  s.params = {std::string("t")};
  s.writes = {"books"};
  const auto batched = make_sql_call(s, exchange::pool::direct);
  EXPECT_NE(batched.body.find(R"("queries":[)"), std::string::npos) << batched.body;
  EXPECT_NE(batched.body.find("pg_current_wal_insert_lsn"), std::string::npos);
  sql_options off;
  off.bookmark_writes = false;
  const auto alone = make_sql_call(s, exchange::pool::direct, off);
  EXPECT_EQ(alone.body, R"({"query":"insert into books (title) values ($1) returning id","params":["t"]})");
  EXPECT_EQ(alone.writes, (std::vector<std::string>{"books"}));
  // Its answer is the statement's own result, with no bookmark.
  exchange::context ctx(1, {}, "req-8", 0);
  auto out = decode_sql_result(ctx, http_error(200, R"({"fields":[{"name":"id","dataTypeID":23}],"rows":[["7"]],"rowCount":1})"),
                               k_columns, false);
  ASSERT_TRUE(out.result);
  EXPECT_EQ(out.result->text(0, 0), "7");
  EXPECT_EQ(out.lsn, 0u);
}

}  // namespace
}  // namespace edgefn::api
