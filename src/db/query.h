#pragma once
// Statement builders: select, insert, update, delete. Each produces a neon::query (SQL text with
// $n placeholders + params) shaped like drizzle-orm's pg dialect:
//
//   db::select<notes_table>(notes_table::id, notes_table::user_id)
//       .where(db::eq(notes_table::user_id, "kp_1")).build()
//   -> select "id", "user_id" from "notes" where "notes"."user_id" = $1     params ["kp_1"]
//
// Builders own copies of everything they are given except table names (the tables' static
// `name`s); build() can be called any number of times. Each build() returns a db::statement:
// the query plus the tables it reads and writes, taken from the builder, never written by hand.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/result.h"
#include "db/expr.h"
#include "db/statement.h"
#include "db/table.h"
#include "neon/request.h"

namespace edgefn::db {

/// Numbers the value slots of `f` as $1.. and returns the finished query.
[[nodiscard]] neon::query finish(fragment f);

/// The select list of all of T's columns, qualified ("T"."col"): for joins, where two tables
/// share column names.
template <table T>
[[nodiscard]] std::vector<select_item> qualified_columns() {
  std::vector<select_item> items;
  for_each_column<T>([&](const auto& c) {
    items.push_back({quote_ident(T::name) + "." + quote_ident(c.info.name), T::name});
  });
  return items;
}

/// The select list of all of T's columns (unqualified names, as drizzle writes them).
template <table T>
[[nodiscard]] std::vector<select_item> all_columns() {
  std::vector<select_item> items;
  for_each_column<T>([&](const auto& c) { items.push_back({quote_ident(c.info.name), T::name}); });
  return items;
}

namespace detail {
template <class T, class Item>
select_item to_item(const Item& item) {
  if constexpr (std::is_same_v<Item, select_item>) {
    return item;
  } else {
    static_assert(std::is_same_v<typename Item::row_type, typename T::row>, "column of another table");
    return {quote_ident(item.info.name), T::name};
  }
}
}  // namespace detail

class select_query {
 public:
  select_query(std::string_view table, std::vector<select_item> items);
  /// Replaces the where clause.
  select_query& where(condition c);
  /// `left join "T" on <on>`; T is added to the tables the statement reads.
  template <table T>
  select_query& left_join(condition on) {
    return add_join("left join", T::name, std::move(on));
  }
  template <class... O>
  select_query& order_by(const order_term& first, const O&... rest) {
    (add_order(first), ..., add_order(rest));
    return *this;
  }
  /// `limit $n` (a bound value, as drizzle); a placeholder reserves the slot.
  select_query& limit(std::int64_t n);
  select_query& limit(placeholder<std::int64_t>);
  select_query& offset(std::int64_t n);
  select_query& offset(placeholder<std::int64_t>);
  /// The statement (reads: the table and every joined table; cacheable).
  [[nodiscard]] statement build() const;

 private:
  void add_order(const order_term& o);
  select_query& add_join(std::string_view kind, std::string_view table, condition on);
  std::string_view table_;
  std::vector<std::string_view> joined_;
  fragment joins_;
  std::vector<select_item> items_;
  std::optional<condition> where_;
  std::vector<order_term> order_;
  std::optional<neon::param> limit_, offset_;
};

/// `select <items> from "T"`; no items = every column of T. Items are columns of T (checked at
/// compile time) or aggregates (count(), sum(col), ...).
template <table T, class... Items>
[[nodiscard]] select_query select(const Items&... items) {
  if constexpr (sizeof...(Items) == 0) return select_query(T::name, all_columns<T>());
  else return select_query(T::name, {detail::to_item<T>(items)...});
}

/// The target of `on conflict (...)`.
struct conflict_target {
  std::vector<std::string> columns;
};
template <auto... Ms>
[[nodiscard]] conflict_target target(const column<Ms>&... cols) {
  return conflict_target{{quote_ident(cols.info.name)...}};
}

class insert_query {
 public:
  /// `rows` are the value lists, one per row, each aligned with `columns`; nullopt = default.
  insert_query(std::string_view table, std::vector<std::string> columns,
               std::vector<std::vector<std::optional<neon::param>>> rows);
  /// `on conflict [(target)] do nothing`.
  insert_query& on_conflict_do_nothing(std::optional<conflict_target> target = std::nullopt);
  /// `on conflict (target) do update set a = .., b = .. [where cond]`.
  insert_query& on_conflict_do_update(conflict_target target, std::vector<assignment> set,
                                      std::optional<condition> where = std::nullopt);
  /// `returning <items>`; no call = no returning clause.
  insert_query& returning(std::vector<select_item> items);
  /// The statement (writes and reads the table). Errors: invalid_argument when there are no rows.
  [[nodiscard]] result<statement> build() const;

 private:
  std::string_view table_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::optional<neon::param>>> rows_;
  fragment conflict_;
  std::vector<select_item> returning_;
};

namespace detail {
template <class T>
std::vector<std::optional<neon::param>> params_of(const values<T>& v) {
  std::vector<std::optional<neon::param>> out;
  v.for_each([&](const auto&, const auto& slot) {
    if (slot) out.emplace_back(neon::param(*slot));
    else out.emplace_back();
  });
  return out;
}
template <class T>
std::vector<std::string> column_names() {
  std::vector<std::string> out;
  for_each_column<T>([&](const auto& c) { out.push_back(quote_ident(c.info.name)); });
  return out;
}
}  // namespace detail

/// `insert into "T" (every column) values (...), (...)`: columns without a value get `default`.
template <table T>
[[nodiscard]] insert_query insert(std::span<const values<T>> rows) {
  std::vector<std::vector<std::optional<neon::param>>> ps;
  for (const auto& r : rows) ps.push_back(detail::params_of(r));
  return insert_query(T::name, detail::column_names<T>(), std::move(ps));
}
template <table T>
[[nodiscard]] insert_query insert(const values<T>& row) {
  return insert<T>(std::span<const values<T>>(&row, 1));
}

class update_query {
 public:
  update_query(std::string_view table, std::vector<assignment> set);
  update_query& where(condition c);
  update_query& returning(std::vector<select_item> items);
  /// The statement (writes and reads the table). Errors: invalid_argument when nothing is set
  /// (drizzle: "No values to set").
  [[nodiscard]] result<statement> build() const;

 private:
  std::string_view table_;
  std::vector<assignment> set_;
  std::optional<condition> where_;
  std::vector<select_item> returning_;
};

/// `update "T" set <engaged slots of v, in column order>`.
template <table T>
[[nodiscard]] update_query update(const values<T>& v) {
  std::vector<assignment> set;
  v.for_each([&](const auto& c, const auto& slot) {
    if (!slot) return;
    assignment a;
    a.text = quote_ident(c.info.name) + " = ";
    a.append_value(neon::param(*slot));
    set.push_back(std::move(a));
  });
  return update_query(T::name, std::move(set));
}
/// `update "T" set <assignments>` (from db::set(col, value)).
template <table T>
[[nodiscard]] update_query update(std::vector<assignment> set) {
  return update_query(T::name, std::move(set));
}

class delete_query {
 public:
  explicit delete_query(std::string_view table);
  delete_query& where(condition c);
  delete_query& returning(std::vector<select_item> items);
  /// The statement (writes and reads the table).
  [[nodiscard]] statement build() const;

 private:
  std::string_view table_;
  std::optional<condition> where_;
  std::vector<select_item> returning_;
};

/// `delete from "T"`.
template <table T>
[[nodiscard]] delete_query delete_from() { return delete_query(T::name); }

/// A select list of chosen columns of T (for returning()).
template <table T, auto... Ms>
[[nodiscard]] std::vector<select_item> columns_of(const column<Ms>&... cols) {
  return {detail::to_item<T>(cols)...};
}

}  // namespace edgefn::db
