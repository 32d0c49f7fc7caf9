#include "catalog/handlers.h"

#include "base/json_writer.h"
#include "catalog/schema.h"

namespace edgefn::catalog {
namespace {

using a = authors_table;
using b = books_table;

/// Rows of T as a JSON array, 200; 500 when they do not decode.
template <db::table T>
response rows_response(const route_call& call, const neon::result_set& rs) {
  auto rows = db::decode_rows<T>(rs);
  if (!rows) return api::internal_error(call.request_id());
  return api::json_response(200, db::to_json<T>(*rows));
}

/// The single row of T (a returning clause) with `status`; the route's 404 when there is none.
template <db::table T>
response one_row(const route_call& call, const neon::result_set& rs, int status = 200) {
  auto rows = db::decode_rows<T>(rs);
  if (!rows) return api::internal_error(call.request_id());
  if (rows->empty()) return call.not_found();
  response r = api::json_response(status, db::to_json<T>(rows->front()));
  if (status == 201) {
    const std::string base = T::name == a::name ? "/authors/" : "/books/";
    r.headers.emplace_back("Location", base + json::decimal(rows->front().id));
  }
  return r;
}

/// Runs `s` and answers with its single returned row of T.
template <db::table T>
task<response> write_one(route_call& call, result<db::statement> s, int status = 200) {
  if (!s) co_return api::internal_error(call.request_id());
  task<api::sql_result> running = call.run(std::move(*s));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return one_row<T>(call, *rs, status);
}

/// The author with its books from the left join's rows: author columns first, then book columns
/// (NULL when the author has none).
response author_with_books(const route_call& call, const neon::result_set& rs) {
  if (rs.rows() == 0) return call.not_found();
  const auto author_pos = db::positions_in_order<a>();
  db::column_positions<b> book_pos{};
  for (std::size_t i = 0; i < book_pos.size(); ++i) book_pos[i] = author_pos.size() + i;
  auto who = db::decode_row<a>(rs, 0, author_pos);
  if (!who) return api::internal_error(call.request_id());
  std::string body;
  json::writer w(body);
  w.begin_object();
  db::write_json_members<a>(w, *who);
  w.key("books").begin_array();
  for (std::size_t r = 0; r < rs.rows(); ++r) {
    if (rs.is_null(r, book_pos[0])) continue;
    auto it = db::decode_row<b>(rs, r, book_pos);
    if (!it) return api::internal_error(call.request_id());
    db::write_json<b>(w, *it);
  }
  w.end_array().end_object();
  return api::json_response(200, std::move(body));
}

// The same three writes for both tables: the route's body validated for T, one statement with
// `returning` every column, the single row back (404 when the id names none).
template <db::table T>
task<response> create_row(route_call& call) {
  auto values = call.body<T>();
  if (!values) co_return std::move(values).error();
  task<response> writing = write_one<T>(call, db::insert<T>(*values).returning(db::all_columns<T>()).build(), 201);
  co_return co_await std::move(writing);
}

template <db::table T>
task<response> update_row(route_call& call) {
  auto values = call.body<T>();
  if (!values) co_return std::move(values).error();
  auto s = db::update<T>(*values).where(db::eq(T::id, call.number("id"))).returning(db::all_columns<T>()).build();
  task<response> writing = write_one<T>(call, std::move(s));
  co_return co_await std::move(writing);
}

template <db::table T>
task<response> delete_row(route_call& call) {
  result<db::statement> s = db::delete_from<T>().where(db::eq(T::id, call.number("id"))).returning(db::all_columns<T>()).build();
  task<response> writing = write_one<T>(call, std::move(s));
  co_return co_await std::move(writing);
}

db::statement author_with_books_statement(std::int32_t id) {
  auto items = db::qualified_columns<a>();
  for (auto& i : db::qualified_columns<b>()) items.push_back(std::move(i));
  return db::select_query(a::name, std::move(items))
      .left_join<b>(db::eq(b::author_id, a::id))
      .where(db::eq(a::id, id))
      .order_by(db::asc(b::id))
      .build();
}

}  // namespace

task<response> list_authors(route_call& call) {
  task<api::sql_result> running = call.run(db::select<a>().order_by(db::asc(a::id)).build());
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return rows_response<a>(call, *rs);
}

task<response> get_author(route_call& call) {
  task<api::sql_result> running = call.run(author_with_books_statement(call.number("id")));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return author_with_books(call, *rs);
}

task<response> create_author(route_call& call) { return create_row<a>(call); }
task<response> update_author(route_call& call) { return update_row<a>(call); }
task<response> delete_author(route_call& call) { return delete_row<a>(call); }

task<response> books_by_author(route_call& call) {
  auto s = db::select<b>().where(db::eq(b::author_id, call.number("authorId"))).order_by(db::asc(b::id)).build();
  task<api::sql_result> running = call.run(std::move(s));
  api::sql_result rs = co_await std::move(running);
  if (!rs) co_return std::move(rs).error();
  co_return rows_response<b>(call, *rs);
}

task<response> create_book(route_call& call) { return create_row<b>(call); }
task<response> update_book(route_call& call) { return update_row<b>(call); }
task<response> delete_book(route_call& call) { return delete_row<b>(call); }

}  // namespace edgefn::catalog
