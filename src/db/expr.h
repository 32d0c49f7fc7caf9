#pragma once
// Typed SQL expressions: conditions (where clauses), ordering, select items and assignments.
// A value never becomes SQL text: it becomes a neon::param and the text gets a slot that the
// statement builder numbers $1, $2, ... in order. Identifiers are always double-quoted.
//
// Comparisons are checked at compile time: eq(notes::user_id, 5) does not compile (a text column
// compared with an int); eq(notes::user_id, "kp_1") does.

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "db/column.h"
#include "neon/param.h"

namespace edgefn::db {

/// SQL text plus its bound values; each value's position in `text` is marked by `slot`.
struct fragment {
  static constexpr char slot = '\x1f';
  std::string text;
  std::vector<neon::param> params;
  /// Appends `other` (text and params).
  void append(const fragment& other);
  void append(std::string_view sql) { text += sql; }
  void append_value(neon::param p);
};

/// A boolean SQL expression for where clauses.
struct condition : fragment {};
/// An `order by` term.
struct order_term : fragment {};
/// One item of a select list (a column or an aggregate).
struct select_item {
  std::string sql;
  std::string_view table;  ///< the table of a column item ("" for aggregates over *)
};
/// `"col" = value` in update ... set / on conflict do update set.
struct assignment : fragment {};

/// A typed placeholder: takes a value slot (sent as null) whose value the caller supplies per
/// request. Use it to build fixed-shape SQL once: see the apps under apps/.
template <class T>
struct placeholder {};

/// `"name"` with embedded quotes doubled.
[[nodiscard]] std::string quote_ident(std::string_view name);
/// `"table"."column"`.
[[nodiscard]] std::string qualified(const column_info& c);

namespace detail {
template <class V> struct plain { using type = V; };
template <class V> struct plain<placeholder<V>> { using type = V; };
template <class T, class V>
inline constexpr bool accepts_v = std::is_same_v<T, V>;
template <class V>
inline constexpr bool accepts_v<std::string, V> =
    std::is_convertible_v<const V&, std::string_view> && !std::is_same_v<V, std::nullptr_t>;
template <class V>
inline constexpr bool is_int_v = std::is_integral_v<V> && !std::is_same_v<V, bool> &&
                                 !std::is_same_v<V, char> && !std::is_same_v<V, char8_t>;
template <class V> inline constexpr bool accepts_v<std::int32_t, V> = is_int_v<V>;
template <class V> inline constexpr bool accepts_v<std::int64_t, V> = is_int_v<V>;
template <class V> inline constexpr bool accepts_v<double, V> = is_int_v<V> || std::is_floating_point_v<V>;
template <class V> inline constexpr bool accepts_v<float, V> = is_int_v<V> || std::is_floating_point_v<V>;
template <class V>
inline constexpr bool accepts_v<neon::numeric, V> = is_int_v<V> || std::is_same_v<V, neon::numeric>;

template <class V>
neon::param to_param(const V& v) {
  if constexpr (std::is_same_v<typename plain<V>::type, V>) {
    if constexpr (std::is_convertible_v<const V&, std::string_view>) return neon::param(std::string_view(v));
    else return neon::param(v);
  } else {
    return neon::param();  // a placeholder: the caller supplies the value
  }
}
condition compare(const column_info& c, std::string_view op, neon::param value);
condition compare_columns(const column_info& a, std::string_view op, const column_info& b);
condition in_list(const column_info& c, bool negate, std::vector<neon::param> values);
condition join(std::string_view op, std::initializer_list<const condition*> parts);
}  // namespace detail

/// True when a value of type V may be compared with / assigned to column Col.
template <class Col, class V>
concept comparable_with =
    detail::accepts_v<typename Col::value_type, typename detail::plain<std::remove_cvref_t<std::decay_t<V>>>::type>;

#define EDGEFN_DB_COMPARISON(NAME, OP)                                                      \
  template <auto M, class V>                                                                \
    requires comparable_with<column<M>, V>                                                  \
  [[nodiscard]] condition NAME(const column<M>& c, const V& v) {                           \
    return detail::compare(c.info, OP, detail::to_param(v));                                \
  }                                                                                         \
  template <auto M, auto N>                                                                 \
    requires std::is_same_v<typename column<M>::value_type, typename column<N>::value_type> \
  [[nodiscard]] condition NAME(const column<M>& a, const column<N>& b) {                   \
    return detail::compare_columns(a.info, OP, b.info);                                     \
  }

/// `"t"."c" = $n` (and the same for ne `<>`, lt `<`, lte `<=`, gt `>`, gte `>=`); the right side
/// may also be a column of the same value type.
EDGEFN_DB_COMPARISON(eq, "=")
EDGEFN_DB_COMPARISON(ne, "<>")
EDGEFN_DB_COMPARISON(lt, "<")
EDGEFN_DB_COMPARISON(lte, "<=")
EDGEFN_DB_COMPARISON(gt, ">")
EDGEFN_DB_COMPARISON(gte, ">=")
#undef EDGEFN_DB_COMPARISON

/// `"t"."c" in ($1, $2)`; an empty list gives `false` (as drizzle's inArray).
template <auto M, class V>
  requires comparable_with<column<M>, V>
[[nodiscard]] condition in(const column<M>& c, std::span<const V> values) {
  std::vector<neon::param> ps;
  for (const auto& v : values) ps.push_back(detail::to_param(v));
  return detail::in_list(c.info, false, std::move(ps));
}
template <auto M, class V>
  requires comparable_with<column<M>, V>
[[nodiscard]] condition in(const column<M>& c, std::initializer_list<V> values) {
  return in(c, std::span<const V>(values.begin(), values.size()));
}
/// `"t"."c" not in (...)`; an empty list gives `true`.
template <auto M, class V>
  requires comparable_with<column<M>, V>
[[nodiscard]] condition not_in(const column<M>& c, std::span<const V> values) {
  std::vector<neon::param> ps;
  for (const auto& v : values) ps.push_back(detail::to_param(v));
  return detail::in_list(c.info, true, std::move(ps));
}

/// `"t"."c" like $n` / `ilike`: string columns only; the pattern is a bound value.
template <auto M, class V>
  requires std::is_same_v<typename column<M>::value_type, std::string> && comparable_with<column<M>, V>
[[nodiscard]] condition like(const column<M>& c, const V& pattern) {
  return detail::compare(c.info, "like", detail::to_param(pattern));
}
template <auto M, class V>
  requires std::is_same_v<typename column<M>::value_type, std::string> && comparable_with<column<M>, V>
[[nodiscard]] condition ilike(const column<M>& c, const V& pattern) {
  return detail::compare(c.info, "ilike", detail::to_param(pattern));
}

/// `"t"."c" is null` / `is not null`.
[[nodiscard]] condition is_null_of(const column_info& c, bool negate);
template <auto M>
[[nodiscard]] condition is_null(const column<M>& c) { return is_null_of(c.info, false); }
template <auto M>
[[nodiscard]] condition is_not_null(const column<M>& c) { return is_null_of(c.info, true); }

/// `(a and b and ...)`; a single condition is returned unchanged (drizzle's and()).
template <std::same_as<condition>... C>
[[nodiscard]] condition and_(const condition& first, const C&... rest) {
  return detail::join(" and ", {&first, &rest...});
}
/// `(a or b or ...)`.
template <std::same_as<condition>... C>
[[nodiscard]] condition or_(const condition& first, const C&... rest) {
  return detail::join(" or ", {&first, &rest...});
}
/// `not a`.
[[nodiscard]] condition not_(const condition& c);

/// `"t"."c" asc` / `"t"."c" desc`.
template <auto M>
[[nodiscard]] order_term asc(const column<M>& c) { return order_term{{qualified(c.info) + " asc", {}}}; }
template <auto M>
[[nodiscard]] order_term desc(const column<M>& c) { return order_term{{qualified(c.info) + " desc", {}}}; }

/// Aggregates for select lists: count(*), count("t"."c"), sum, avg, min, max.
[[nodiscard]] select_item count();
[[nodiscard]] select_item aggregate(std::string_view fn, const column_info& c);
template <auto M>
[[nodiscard]] select_item count(const column<M>& c) { return aggregate("count", c.info); }
template <auto M>
  requires std::is_arithmetic_v<typename column<M>::value_type> ||
           std::is_same_v<typename column<M>::value_type, neon::numeric>
[[nodiscard]] select_item sum(const column<M>& c) { return aggregate("sum", c.info); }
template <auto M>
  requires std::is_arithmetic_v<typename column<M>::value_type> ||
           std::is_same_v<typename column<M>::value_type, neon::numeric>
[[nodiscard]] select_item avg(const column<M>& c) { return aggregate("avg", c.info); }
template <auto M>
[[nodiscard]] select_item min(const column<M>& c) { return aggregate("min", c.info); }
template <auto M>
[[nodiscard]] select_item max(const column<M>& c) { return aggregate("max", c.info); }

/// `"c" = $n` for update/on-conflict set lists; a nullable column also takes std::nullopt.
template <auto M, class V>
  requires comparable_with<column<M>, V> ||
           (column<M>::nullable && std::is_same_v<std::remove_cvref_t<V>, std::nullopt_t>)
[[nodiscard]] assignment set(const column<M>& c, const V& v) {
  assignment a;
  a.text = quote_ident(c.info.name) + " = ";
  if constexpr (std::is_same_v<std::remove_cvref_t<V>, std::nullopt_t>) a.append_value(neon::param());
  else a.append_value(detail::to_param(v));
  return a;
}
/// `"c" = excluded."c"` (on conflict do update: take the proposed row's value).
template <auto M>
[[nodiscard]] assignment set_excluded(const column<M>& c) {
  const std::string q = quote_ident(c.info.name);
  return assignment{{q + " = excluded." + q, {}}};
}

}  // namespace edgefn::db
