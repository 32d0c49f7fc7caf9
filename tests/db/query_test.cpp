#include "db/query.h"

#include <gtest/gtest.h>

#include "test_schema.h"

namespace db = edgefn::db;
namespace neon = edgefn::neon;
using test_schema::posts_table;
using test_schema::users_table;
using u = users_table;

namespace {

std::vector<std::string> texts(const std::vector<neon::param>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.is_null() ? "<null>" : std::string(p.text()));
  return out;
}

neon::query where_users(db::condition c) { return db::select<users_table>(u::id).where(std::move(c)).build(); }

}  // namespace

TEST(db_query, comparison_operators_bind_values_as_params) {
  struct tc { db::condition cond; std::string sql; };
  const tc cases[] = {
      {db::eq(u::email, "a@b.c"), R"("users"."email" = $1)"},
      {db::ne(u::age, 3), R"("users"."age" <> $1)"},
      {db::lt(u::age, 3), R"("users"."age" < $1)"},
      {db::lte(u::age, 3), R"("users"."age" <= $1)"},
      {db::gt(u::age, 3), R"("users"."age" > $1)"},
      {db::gte(u::age, 3), R"("users"."age" >= $1)"},
      {db::like(u::email, "%@x"), R"("users"."email" like $1)"},
      {db::ilike(u::user_name, "%A%"), R"("users"."name" ilike $1)"},
  };
  for (const auto& c : cases) {
    auto q = where_users(c.cond);
    EXPECT_EQ(q.text, R"(select "id" from "users" where )" + c.sql);
    EXPECT_EQ(q.params.size(), 1u);
  }
  EXPECT_EQ(texts(where_users(db::eq(u::email, "a@b.c")).params), std::vector<std::string>{"a@b.c"});
}

TEST(db_query, null_checks_in_lists_and_column_comparisons) {
  EXPECT_EQ(where_users(db::is_null(u::user_name)).text, R"(select "id" from "users" where "users"."name" is null)");
  EXPECT_EQ(where_users(db::is_not_null(u::karma)).text,
            R"(select "id" from "users" where "users"."karma" is not null)");
  auto q = where_users(db::in(u::age, {1, 2, 3}));
  EXPECT_EQ(q.text, R"(select "id" from "users" where "users"."age" in ($1, $2, $3))");
  EXPECT_EQ(texts(q.params), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(where_users(db::in(u::age, std::span<const int>())).text, R"(select "id" from "users" where false)");
  std::vector<std::string> roles{"admin"};
  EXPECT_EQ(where_users(db::not_in(u::user_role, std::span<const std::string>(roles))).text,
            R"(select "id" from "users" where "users"."role" not in ($1))");
  EXPECT_EQ(db::select<posts_table>(posts_table::id).where(db::eq(posts_table::author_id, posts_table::editor_id)).build().text,
            R"(select "id" from "posts" where "posts"."author_id" = "posts"."editor_id")");
}

TEST(db_query, and_or_not_nest_with_parentheses_and_number_params_in_order) {
  auto q = where_users(db::or_(db::and_(db::eq(u::email, "x"), db::gt(u::age, 18)), db::not_(db::eq(u::active, true))));
  EXPECT_EQ(q.text,
            R"(select "id" from "users" where (("users"."email" = $1 and "users"."age" > $2) or not "users"."active" = $3))");
  EXPECT_EQ(texts(q.params), (std::vector<std::string>{"x", "18", "true"}));
  EXPECT_EQ(where_users(db::and_(db::eq(u::age, 1))).text, R"(select "id" from "users" where "users"."age" = $1)");
}

TEST(db_query, select_all_order_limit_offset) {
  auto q = db::select<posts_table>()
               .where(db::eq(posts_table::author_id, 7))
               .order_by(db::desc(posts_table::rank), db::asc(posts_table::id))
               .limit(10)
               .offset(20)
               .build();
  EXPECT_EQ(q.text,
            R"(select "id", "author_id", "editor_id", "title", "rank" from "posts" where "posts"."author_id" = $1 )"
            R"(order by "posts"."rank" desc, "posts"."id" asc limit $2 offset $3)");
  EXPECT_EQ(texts(q.params), (std::vector<std::string>{"7", "10", "20"}));
}

TEST(db_query, aggregates) {
  EXPECT_EQ(db::select<users_table>(db::count()).build().text, R"(select count(*) from "users")");
  EXPECT_EQ(db::select<users_table>(db::count(u::karma), db::sum(u::karma), db::avg(u::age), db::min(u::age),
                                    db::max(u::seen_at))
                .build()
                .text,
            R"(select count("users"."karma"), sum("users"."karma"), avg("users"."age"), min("users"."age"), )"
            R"(max("users"."seen_at") from "users")");
}

TEST(db_query, values_never_become_sql_text) {
  auto q = where_users(db::eq(u::email, "'; drop table users; --"));
  EXPECT_EQ(q.text, R"(select "id" from "users" where "users"."email" = $1)");
  EXPECT_EQ(texts(q.params), std::vector<std::string>{"'; drop table users; --"});
  EXPECT_EQ(db::quote_ident(R"(we"ird)"), R"("we""ird")");
}

TEST(db_query, insert_lists_every_column_and_writes_default_for_missing_ones) {
  db::values<posts_table> v;
  v[posts_table::author_id] = 1;
  v[posts_table::title] = "hello";
  v[posts_table::editor_id] = std::optional<std::int32_t>();  // explicit NULL
  auto q = db::insert<posts_table>(v).returning(db::columns_of<posts_table>(posts_table::id)).build();
  ASSERT_TRUE(q);
  EXPECT_EQ(q->text, R"(insert into "posts" ("id", "author_id", "editor_id", "title", "rank") values )"
                     R"((default, $1, $2, $3, default) returning "id")");
  EXPECT_EQ(texts(q->params), (std::vector<std::string>{"1", "<null>", "hello"}));
}

TEST(db_query, insert_many_rows_and_on_conflict) {
  std::vector<db::values<posts_table>> rows(2);
  rows[0][posts_table::author_id] = 1;
  rows[0][posts_table::title] = "a";
  rows[1][posts_table::author_id] = 2;
  rows[1][posts_table::title] = "b";
  rows[1][posts_table::rank] = 5;
  auto q = db::insert<posts_table>(std::span<const db::values<posts_table>>(rows)).on_conflict_do_nothing().build();
  ASSERT_TRUE(q);
  EXPECT_EQ(q->text, R"(insert into "posts" ("id", "author_id", "editor_id", "title", "rank") values )"
                     R"((default, $1, default, $2, default), (default, $3, default, $4, $5) on conflict do nothing)");
  auto q2 = db::insert<posts_table>(rows[0]).on_conflict_do_nothing(db::target(posts_table::title)).build();
  EXPECT_TRUE(q2->text.ends_with(R"( on conflict ("title") do nothing)"));
  auto q3 = db::insert<posts_table>(rows[0])
                .on_conflict_do_update(db::target(posts_table::title),
                                       {db::set(posts_table::rank, 9), db::set_excluded(posts_table::author_id)},
                                       db::lt(posts_table::rank, 9))
                .returning(db::all_columns<posts_table>())
                .build();
  EXPECT_EQ(q3->text, R"(insert into "posts" ("id", "author_id", "editor_id", "title", "rank") values )"
                      R"((default, $1, default, $2, default) on conflict ("title") do update set "rank" = $3, )"
                      R"("author_id" = excluded."author_id" where "posts"."rank" < $4 returning "id", "author_id", )"
                      R"("editor_id", "title", "rank")");
  EXPECT_EQ(texts(q3->params), (std::vector<std::string>{"1", "a", "9", "9"}));
  EXPECT_FALSE(db::insert<posts_table>(std::span<const db::values<posts_table>>()).build());
}

TEST(db_query, update_sets_given_columns_in_column_order) {
  db::values<posts_table> v;
  v[posts_table::rank] = 3;
  v[posts_table::title] = "t";
  auto q = db::update<posts_table>(v).where(db::eq(posts_table::id, 4)).returning(db::columns_of<posts_table>(posts_table::id, posts_table::rank)).build();
  ASSERT_TRUE(q);
  EXPECT_EQ(q->text, R"(update "posts" set "title" = $1, "rank" = $2 where "posts"."id" = $3 returning "id", "rank")");
  EXPECT_EQ(texts(q->params), (std::vector<std::string>{"t", "3", "4"}));
  auto q2 = db::update<posts_table>({db::set(posts_table::editor_id, std::nullopt)}).build();
  EXPECT_EQ(q2->text, R"(update "posts" set "editor_id" = $1)");
  EXPECT_TRUE(q2->params[0].is_null());
  EXPECT_FALSE(db::update<posts_table>(db::values<posts_table>{}).build());
}

TEST(db_query, delete_with_where_and_returning) {
  auto q = db::delete_from<posts_table>().where(db::eq(posts_table::id, 4)).returning(db::all_columns<posts_table>()).build();
  EXPECT_EQ(q.text, R"(delete from "posts" where "posts"."id" = $1 returning "id", "author_id", "editor_id", "title", "rank")");
  EXPECT_EQ(db::delete_from<posts_table>().build().text, R"(delete from "posts")");
}

TEST(db_query, placeholders_reserve_slots_for_fixed_shapes) {
  auto q = db::select<users_table>(u::id)
               .where(db::eq(u::email, db::placeholder<std::string>{}))
               .limit(db::placeholder<std::int64_t>{})
               .build();
  EXPECT_EQ(q.text, R"(select "id" from "users" where "users"."email" = $1 limit $2)");
  EXPECT_EQ(q.params.size(), 2u);
}

TEST(db_query, typed_values_for_every_column_type) {
  db::values<users_table> v;
  v[u::email] = "e";
  v[u::balance] = neon::numeric{"12.50"};
  v[u::seen_at] = neon::timestamptz{0};
  v[u::birthday] = neon::date{0};
  v[u::prefs] = neon::json_text{R"({"a":1})"};
  v[u::score] = 1.5f;
  v[u::active] = false;
  auto q = db::insert<users_table>(v).build();
  ASSERT_TRUE(q);
  EXPECT_EQ(texts(q->params),
            (std::vector<std::string>{"e", "false", "12.50", "1.5", "1970-01-01 00:00:00+00", "1970-01-01", R"({"a":1})"}));
}

// A statement names the tables it reads and writes: from the builder, never by hand.
TEST(query_test, statements_carry_the_tables_they_read_and_write) {
  const auto sel = db::select<u>().where(db::eq(u::email, "a@b")).build();
  EXPECT_EQ(sel.reads, (std::vector<std::string_view>{"users"}));
  EXPECT_TRUE(sel.writes.empty());
  EXPECT_TRUE(sel.cacheable);
  auto items = db::qualified_columns<posts_table>();
  for (auto& i : db::qualified_columns<users_table>()) items.push_back(std::move(i));
  const auto join = db::select_query(posts_table::name, std::move(items))
                        .left_join<users_table>(db::eq(posts_table::author_id, u::id))
                        .where(db::eq(posts_table::id, 7))
                        .build();
  EXPECT_EQ(join.reads, (std::vector<std::string_view>{"posts", "users"}));
  EXPECT_NE(join.text.find(R"( from "posts" left join "users" on "posts"."author_id" = "users"."id" where "posts"."id" = $1)"),
            std::string::npos) << join.text;
  EXPECT_NE(join.text.find(R"("posts"."id", )"), std::string::npos);
  const auto del = db::delete_from<u>().where(db::eq(u::id, 1)).build();
  EXPECT_EQ(del.writes, (std::vector<std::string_view>{"users"}));
  EXPECT_EQ(del.reads, (std::vector<std::string_view>{"users"}));
  EXPECT_FALSE(del.cacheable);
}
