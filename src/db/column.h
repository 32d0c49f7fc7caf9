#pragma once
// Typed column declarations, Drizzle style: each column is a constexpr value that knows its SQL
// name, its table, its Postgres type, its constraints and (through the struct member it maps to)
// its C++ value type. Nullability comes from the member: a `std::optional<T>` member is a
// nullable column, any other member is NOT NULL.
//
//   struct note { std::int32_t id; std::optional<std::string> title; };
//   struct notes_table {
//     using row = note;
//     static constexpr std::string_view name = "notes";
//     static constexpr auto id = db::serial<&note::id>(name, "id").primary_key();
//     static constexpr auto title = db::varchar<&note::title>(name, "title", 256);
//     static constexpr auto columns = std::tuple{id, title};
//   };
//
// Everything here is constexpr data with static storage: string_views point at literals.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "neon/values.h"

namespace edgefn::db {

/// The Postgres column types the schema layer supports.
enum class col_type : std::uint8_t {
  serial, integer, bigint, text, varchar, boolean, numeric, real, double_precision,
  timestamp, timestamptz, date, uuid, jsonb, enumeration,
};

/// The JSON Schema type a column's values take in request and response bodies: "integer",
/// "number", "boolean" or "string"; empty for jsonb (any JSON value).
[[nodiscard]] constexpr std::string_view json_type(col_type t) noexcept {
  switch (t) {
    case col_type::serial:
    case col_type::integer:
    case col_type::bigint: return "integer";
    case col_type::real:
    case col_type::double_precision: return "number";
    case col_type::boolean: return "boolean";
    case col_type::jsonb: return "";
    default: return "string";
  }
}

/// A Postgres enum type (`pgEnum`). `values` must outlive every use (static constexpr data).
struct enum_def {
  std::string_view name;
  std::span<const std::string_view> values;
};

/// Referential actions, spelled as drizzle-kit records them ("no action", "cascade", ...).
enum class fk_action : std::uint8_t { no_action, cascade, set_null, set_default, restrict };

/// drizzle-kit's spelling of `a`.
[[nodiscard]] constexpr std::string_view to_sql(fk_action a) noexcept {
  switch (a) {
    case fk_action::cascade: return "cascade";
    case fk_action::set_null: return "set null";
    case fk_action::set_default: return "set default";
    case fk_action::restrict: return "restrict";
    case fk_action::no_action: break;
  }
  return "no action";
}

/// A short identifier stored inline (so camelCase names can be computed at compile time).
struct short_name {
  static constexpr std::size_t capacity = 63;
  char data[capacity + 1]{};
  std::size_t size = 0;
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {data, size}; }
};

/// Drizzle's camelCase for a snake_case SQL name: "user_id" -> "userId", "created_at" -> "createdAt".
/// Names longer than short_name::capacity are truncated (declare an explicit json_name instead).
[[nodiscard]] constexpr short_name camel_case(std::string_view sql_name) noexcept {
  short_name out;
  bool upper = false;
  for (char c : sql_name) {
    if (out.size == short_name::capacity) break;
    if (c == '_' && out.size > 0) { upper = true; continue; }
    out.data[out.size++] = (upper && c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

/// How a default is recorded (drizzle-kit writes SQL defaults as JSON strings, literal numbers
/// and booleans as JSON numbers/booleans).
enum class default_kind : std::uint8_t { none, sql, literal };

/// Everything the runtime needs to know about one column (snapshot, validation, JSON, SQL).
struct column_info {
  std::string_view table;
  std::string_view name;         ///< SQL name ("user_id")
  short_name json{};             ///< JSON key ("userId")
  col_type type = col_type::text;
  int length = 0;                ///< varchar(n); 0 = no limit
  int precision = 0, scale = 0;  ///< numeric(p, s); precision 0 = unconstrained
  const enum_def* enumeration = nullptr;
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;
  default_kind default_type = default_kind::none;
  std::string_view default_text{};  ///< "now()", "gen_random_uuid()", "'x'", "0", "true"
  std::string_view ref_table{}, ref_column{};  ///< foreign key target (empty: none)
  fk_action on_delete = fk_action::no_action, on_update = fk_action::no_action;

  [[nodiscard]] constexpr bool has_default() const noexcept {
    return default_type != default_kind::none || type == col_type::serial;
  }
  /// True when an insert must supply a value (NOT NULL without any default), as drizzle-zod.
  [[nodiscard]] constexpr bool required_on_insert() const noexcept {
    return not_null && !has_default();
  }
};

namespace detail {
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct unwrap { using type = T; };
template <class T> struct unwrap<std::optional<T>> { using type = T; };
template <class M> struct member_traits;
template <class C, class M> struct member_traits<M C::*> {
  using owner = C;
  using type = M;
};
}  // namespace detail

/// One column of a table, bound to the row struct member `Member`.
template <auto Member>
struct column {
  using row_type = typename detail::member_traits<decltype(Member)>::owner;
  using member_type = typename detail::member_traits<decltype(Member)>::type;
  /// The C++ type of a non-NULL value (std::string for text/varchar/enum, std::int32_t, ...).
  using value_type = typename detail::unwrap<member_type>::type;
  static constexpr bool nullable = detail::is_optional<member_type>::value;
  static constexpr auto member = Member;

  column_info info;

  constexpr column primary_key() const { return with([](column_info& i) { i.primary_key = true; }); }
  constexpr column unique() const { return with([](column_info& i) { i.unique = true; }); }
  /// A default given as SQL text, recorded verbatim ("now()", "'draft'::text").
  constexpr column default_sql(std::string_view sql) const {
    return with([sql](column_info& i) { i.default_type = default_kind::sql; i.default_text = sql; });
  }
  constexpr column default_now() const { return default_sql("now()"); }
  constexpr column default_random() const { return default_sql("gen_random_uuid()"); }
  /// A literal default: a number or true/false written as is ("0", "true"), or a string
  /// literal already quoted for SQL ("'member'"): drizzle-kit writes the first as JSON literals.
  constexpr column default_literal(std::string_view literal) const {
    const bool quoted = !literal.empty() && literal.front() == '\'';
    return with([=](column_info& i) {
      i.default_type = quoted ? default_kind::sql : default_kind::literal;
      i.default_text = literal;
    });
  }
  /// A foreign key to `target` (drizzle's `.references(() => t.col, { onDelete })`).
  template <auto Other>
  constexpr column references(const column<Other>& target, fk_action on_delete = fk_action::no_action,
                              fk_action on_update = fk_action::no_action) const {
    static_assert(std::is_same_v<typename column<Other>::value_type, value_type> ||
                      (std::is_integral_v<value_type> && std::is_integral_v<typename column<Other>::value_type>),
                  "a foreign key must reference a column of the same type");
    return with([&](column_info& i) {
      i.ref_table = target.info.table;
      i.ref_column = target.info.name;
      i.on_delete = on_delete;
      i.on_update = on_update;
    });
  }
  /// Overrides the JSON key (default: camelCase of the SQL name).
  constexpr column json_name(std::string_view key) const {
    return with([key](column_info& i) {
      i.json = short_name{};
      for (char c : key) if (i.json.size < short_name::capacity) i.json.data[i.json.size++] = c;
    });
  }

 private:
  template <class F>
  constexpr column with(F f) const {
    column c = *this;
    f(c.info);
    return c;
  }
};

namespace detail {
template <auto Member, class Expected>
constexpr column<Member> make(std::string_view table, std::string_view name, col_type type) {
  static_assert(std::is_same_v<typename column<Member>::value_type, Expected>,
                "the struct member's type does not match the column type");
  column<Member> c{};
  c.info.table = table;
  c.info.name = name;
  c.info.json = camel_case(name);
  c.info.type = type;
  c.info.not_null = !column<Member>::nullable;
  return c;
}
}  // namespace detail

// Column factories. The member's type must match (std::optional<...> for nullable columns).
template <auto M> constexpr auto serial(std::string_view t, std::string_view n) {
  static_assert(!column<M>::nullable, "serial columns are NOT NULL");
  return detail::make<M, std::int32_t>(t, n, col_type::serial);
}
template <auto M> constexpr auto integer(std::string_view t, std::string_view n) {
  return detail::make<M, std::int32_t>(t, n, col_type::integer);
}
template <auto M> constexpr auto bigint(std::string_view t, std::string_view n) {
  return detail::make<M, std::int64_t>(t, n, col_type::bigint);
}
template <auto M> constexpr auto text(std::string_view t, std::string_view n) {
  return detail::make<M, std::string>(t, n, col_type::text);
}
/// varchar(length); length 0 = varchar without a limit. Lengths count characters.
template <auto M> constexpr auto varchar(std::string_view t, std::string_view n, int length = 0) {
  auto c = detail::make<M, std::string>(t, n, col_type::varchar);
  c.info.length = length;
  return c;
}
template <auto M> constexpr auto boolean(std::string_view t, std::string_view n) {
  return detail::make<M, bool>(t, n, col_type::boolean);
}
/// numeric(precision, scale); precision 0 = plain numeric. Values stay exact text.
template <auto M> constexpr auto numeric(std::string_view t, std::string_view n, int precision = 0,
                                         int scale = 0) {
  auto c = detail::make<M, neon::numeric>(t, n, col_type::numeric);
  c.info.precision = precision;
  c.info.scale = scale;
  return c;
}
template <auto M> constexpr auto real(std::string_view t, std::string_view n) {
  return detail::make<M, float>(t, n, col_type::real);
}
template <auto M> constexpr auto double_precision(std::string_view t, std::string_view n) {
  return detail::make<M, double>(t, n, col_type::double_precision);
}
/// timestamp WITHOUT time zone (wall clock; this layer reads and writes it as UTC).
template <auto M> constexpr auto timestamp(std::string_view t, std::string_view n) {
  return detail::make<M, neon::timestamp>(t, n, col_type::timestamp);
}
/// timestamp WITH time zone.
template <auto M> constexpr auto timestamptz(std::string_view t, std::string_view n) {
  return detail::make<M, neon::timestamptz>(t, n, col_type::timestamptz);
}
template <auto M> constexpr auto date(std::string_view t, std::string_view n) {
  return detail::make<M, neon::date>(t, n, col_type::date);
}
template <auto M> constexpr auto uuid(std::string_view t, std::string_view n) {
  return detail::make<M, neon::uuid>(t, n, col_type::uuid);
}
template <auto M> constexpr auto jsonb(std::string_view t, std::string_view n) {
  return detail::make<M, neon::json_text>(t, n, col_type::jsonb);
}
/// A column of Postgres enum type `e` (values are std::string, checked against e.values).
template <auto M> constexpr auto enumeration(std::string_view t, std::string_view n, const enum_def& e) {
  auto c = detail::make<M, std::string>(t, n, col_type::enumeration);
  c.info.enumeration = &e;
  return c;
}

}  // namespace edgefn::db
