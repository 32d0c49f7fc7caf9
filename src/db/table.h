#pragma once
// Tables: a struct with `row` (the row struct), `name` (SQL name), `columns` (a std::tuple of
// db::column values in declaration order) and optionally `indexes`, `primary_keys` (composite),
// `uniques` (table-level unique constraints), `checks` (check_def) and `enums` (std::array<const enum_def*, N>), each
// a std::array. Helpers here iterate columns and hold typed insert/update values.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "db/column.h"

namespace edgefn::db {

/// An index (drizzle's `index("name").on(...)` / `uniqueIndex`). Columns ascending, nulls last,
/// method btree: what drizzle-kit records by default.
struct index_def {
  static constexpr std::size_t max_columns = 8;
  std::string_view name;
  bool unique = false;
  std::array<std::string_view, max_columns> columns{};
  std::size_t count = 0;

  /// The indexed columns, in order (at most max_columns; extra ones are ignored).
  template <auto... Ms>
  constexpr index_def on(const column<Ms>&... cols) const {
    index_def d = *this;
    ((d.count < max_columns ? void(d.columns[d.count++] = cols.info.name) : void()), ...);
    return d;
  }
};
[[nodiscard]] constexpr index_def index(std::string_view name) { return index_def{name, false}; }
[[nodiscard]] constexpr index_def unique_index(std::string_view name) { return index_def{name, true}; }

/// A table-level constraint over several columns: a composite primary key or a unique
/// constraint. Same storage as an index; `name` empty means drizzle's default name.
struct constraint_def : index_def {};
template <auto... Ms>
[[nodiscard]] constexpr constraint_def primary_key(const column<Ms>&... cols) {
  return constraint_def{index_def{}.on(cols...)};
}
template <auto... Ms>
[[nodiscard]] constexpr constraint_def unique(std::string_view name, const column<Ms>&... cols) {
  return constraint_def{index_def{name, true}.on(cols...)};
}

/// A check constraint (drizzle's `check("name", sql\`...\`)`): `value` is the SQL condition,
/// written as drizzle-kit records it (e.g. `"price" > 0`).
struct check_def {
  std::string_view name;
  std::string_view value;
};
[[nodiscard]] constexpr check_def check(std::string_view name, std::string_view value) { return {name, value}; }

/// A table type: see the file comment.
template <class T>
concept table = requires {
  typename T::row;
  { T::name } -> std::convertible_to<std::string_view>;
  std::tuple_size<std::remove_cvref_t<decltype(T::columns)>>::value;
};

template <table T>
inline constexpr std::size_t column_count = std::tuple_size_v<std::remove_cvref_t<decltype(T::columns)>>;

/// Calls f(column) for every column of T, in declaration order.
template <table T, class F>
constexpr void for_each_column(F&& f) {
  std::apply([&](const auto&... c) { (f(c), ...); }, T::columns);
}

/// The columns' runtime descriptions, in order (static storage).
template <table T>
[[nodiscard]] constexpr std::array<const column_info*, column_count<T>> column_infos() {
  return std::apply([](const auto&... c) { return std::array<const column_info*, column_count<T>>{&c.info...}; },
                    T::columns);
}

/// column_infos<T>() as a variable with static storage.
template <table T>
inline constexpr auto column_infos_v = column_infos<T>();

/// One table's runtime description (static storage): its SQL name and its columns, for code that
/// works on any app's tables without their C++ types (the studio, OpenAPI, validation).
struct table_info {
  std::string_view name;
  std::span<const column_info* const> columns;
  /// The column named `sql_name`, or nullptr.
  [[nodiscard]] constexpr const column_info* find_column(std::string_view sql_name) const noexcept {
    for (const column_info* c : columns)
      if (c->name == sql_name) return c;
    return nullptr;
  }
};

/// table_info of T.
template <table T>
[[nodiscard]] constexpr table_info table_info_of() {
  return {T::name, column_infos_v<T>};
}

namespace detail {
template <class Col, class... Cols>
constexpr std::size_t index_of() {
  constexpr bool same[] = {std::is_same_v<Col, Cols>...};
  for (std::size_t i = 0; i < sizeof...(Cols); ++i)
    if (same[i]) return i;
  return sizeof...(Cols);
}
template <class Table, class Tuple>
struct row_values;
template <class Table, class... Cols>
struct row_values<Table, std::tuple<Cols...>> {
  using storage = std::tuple<std::optional<typename Cols::member_type>...>;
  template <class Col>
  static constexpr std::size_t slot = index_of<Col, Cols...>();
};
}  // namespace detail

/// Typed values for an insert or an update of Table: one slot per column, empty = not given
/// (an insert writes `default`, an update leaves the column alone). A nullable column's slot
/// holds std::optional<std::optional<T>>: an engaged slot holding nullopt writes NULL.
///
///   db::values<notes_table> v;
///   v[notes_table::user_id] = "kp_1";
template <table Table>
class values {
  using traits = detail::row_values<Table, std::remove_cvref_t<decltype(Table::columns)>>;

 public:
  /// The slot of column `c` (a compile error when `c` is not a column of Table).
  template <auto M>
  auto& operator[](const column<M>&) {
    constexpr std::size_t i = traits::template slot<column<M>>;
    static_assert(i < column_count<Table>, "not a column of this table");
    return std::get<i>(slots_);
  }
  template <auto M>
  const auto& operator[](const column<M>&) const {
    constexpr std::size_t i = traits::template slot<column<M>>;
    static_assert(i < column_count<Table>, "not a column of this table");
    return std::get<i>(slots_);
  }
  /// Calls f(column, slot) for every column in order.
  template <class F>
  void for_each(F&& f) const {
    for_each_impl(f, std::make_index_sequence<column_count<Table>>{});
  }
  /// Number of engaged slots.
  [[nodiscard]] std::size_t size() const {
    std::size_t n = 0;
    for_each([&](const auto&, const auto& slot) { n += slot.has_value() ? 1 : 0; });
    return n;
  }

 private:
  template <class F, std::size_t... I>
  void for_each_impl(F& f, std::index_sequence<I...>) const {
    (f(std::get<I>(Table::columns), std::get<I>(slots_)), ...);
  }
  typename traits::storage slots_{};
};

}  // namespace edgefn::db
