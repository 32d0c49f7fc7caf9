#include "studio/queries.h"

#include <gtest/gtest.h>

#include <array>

#include "db/column.h"

namespace edgefn::studio {
namespace {

struct book {
  std::int32_t id = 0;
  std::string title;
  std::optional<std::int32_t> author_id;
};
struct books_table {
  using row = book;
  static constexpr std::string_view name = "books";
  static constexpr auto id = db::serial<&book::id>(name, "id").primary_key();
  static constexpr auto title = db::text<&book::title>(name, "ti\"tle");
  static constexpr auto author_id = db::integer<&book::author_id>(name, "author_id");
  static constexpr auto columns = std::tuple{id, title, author_id};
};
struct log_line {
  std::string text;
};
struct log_table {  // no primary key
  using row = log_line;
  static constexpr std::string_view name = "log";
  static constexpr auto text = db::text<&log_line::text>(name, "text");
  static constexpr auto columns = std::tuple{text};
};

constexpr db::table_info k_books = db::table_info_of<books_table>();

std::vector<std::string> texts(const neon::query& q) {
  std::vector<std::string> out;
  for (const auto& p : q.params) out.emplace_back(p.is_null() ? "NULL" : std::string(p.text()));
  return out;
}

TEST(queries_test, page_quotes_schema_identifiers_and_binds_every_value) {
  page_request r;
  r.table = &k_books;
  r.filters = {{k_books.columns[1], "contains", "x'; drop table books; --"}, {k_books.columns[2], "ge", "2"},
               {k_books.columns[2], "notnull", "ignored"}};
  r.sort = k_books.columns[1];
  r.descending = true;
  r.limit = 10;
  r.offset = 20;
  const auto q = select_page(r);
  EXPECT_EQ(q.text,
            "select \"id\", \"ti\"\"tle\", \"author_id\" from \"books\" where strpos(lower(\"ti\"\"tle\"::text), "
            "lower($1::text)) > 0 and \"author_id\" >= $2 and \"author_id\" is not null order by \"ti\"\"tle\" desc, "
            "\"id\" limit $3 offset $4");
  EXPECT_EQ(texts(q), (std::vector<std::string>{"x'; drop table books; --", "2", "10", "20"}));
  const auto c = count_rows(r);
  EXPECT_EQ(c.text, "select count(*) from \"books\" where strpos(lower(\"ti\"\"tle\"::text), lower($1::text)) > 0 "
                    "and \"author_id\" >= $2 and \"author_id\" is not null");
  EXPECT_EQ(texts(c), (std::vector<std::string>{"x'; drop table books; --", "2"}));
}

TEST(queries_test, page_without_sort_follows_the_primary_key) {
  page_request r;
  r.table = &k_books;
  EXPECT_EQ(select_page(r).text, "select \"id\", \"ti\"\"tle\", \"author_id\" from \"books\" order by \"id\" asc limit $1 offset $2");
}

TEST(queries_test, only_known_operators_are_accepted) {
  for (auto op : {"eq", "ne", "lt", "le", "gt", "ge", "contains", "null", "notnull"}) EXPECT_TRUE(known_op(op)) << op;
  for (auto op : {"", "EQ", "like", "=", "eq;"}) EXPECT_FALSE(known_op(op)) << op;
}

TEST(queries_test, insert_and_update_write_only_the_given_cells) {
  const std::vector<db::cell> cells{std::monostate{}, std::string("Dune"), nullptr};
  const auto ins = insert_row(k_books, cells);
  EXPECT_EQ(ins.text, "insert into \"books\" (\"ti\"\"tle\", \"author_id\") values ($1, $2) returning \"id\", \"ti\"\"tle\", \"author_id\"");
  EXPECT_EQ(texts(ins), (std::vector<std::string>{"Dune", "NULL"}));
  const std::vector<db::cell> none(3);
  EXPECT_EQ(insert_row(k_books, none).text, "insert into \"books\" default values returning \"id\", \"ti\"\"tle\", \"author_id\"");

  const std::array key{key_value{k_books.columns[0], "7"}};
  const auto upd = update_row(k_books, {std::monostate{}, std::monostate{}, std::int64_t{3}}, key);
  ASSERT_TRUE(upd);
  EXPECT_EQ(upd->text, "update \"books\" set \"author_id\" = $1 where \"id\" = $2 returning \"id\", \"ti\"\"tle\", \"author_id\"");
  EXPECT_EQ(texts(*upd), (std::vector<std::string>{"3", "7"}));
  EXPECT_FALSE(update_row(k_books, none, key));
}

TEST(queries_test, no_statement_without_a_key_touches_every_row) {
  EXPECT_FALSE(update_row(k_books, {std::monostate{}, std::string("x"), std::monostate{}}, {}));
  EXPECT_FALSE(delete_row(k_books, {}));
  const std::array key{key_value{k_books.columns[0], "7"}};
  const auto del = delete_row(k_books, key);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->text, "delete from \"books\" where \"id\" = $1 returning \"id\", \"ti\"\"tle\", \"author_id\"");
}

TEST(queries_test, key_columns_are_the_primary_key) {
  ASSERT_EQ(key_columns(k_books).size(), 1u);
  EXPECT_EQ(key_columns(k_books)[0]->name, "id");
  EXPECT_TRUE(key_columns(db::table_info_of<log_table>()).empty());
}

}  // namespace
}  // namespace edgefn::studio
