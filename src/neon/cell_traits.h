#pragma once
// Which C++ type reads which Postgres type. cell_traits<T> has:
//   name              the C++ type's name for error messages;
//   accepts(oid)      true when a column of type `oid` can be read as T;
//   parse(text)       the cell's non-NULL text -> T.
//
//   T                         column types (OIDs)
//   std::int16_t              int2
//   std::int32_t              int2, int4
//   std::int64_t              int2, int4, int8, oid
//   float                     float4
//   double                    float4, float8
//   numeric                   numeric, int2, int4, int8 (exact text)
//   bool                      bool
//   std::string_view          text, varchar, bpchar, name, "char", unknown (views the result)
//   std::string               same, owned
//   uuid                      uuid
//   date, time_of_day, timestamp, timestamptz, interval   date, time, timestamp, timestamptz, interval
//   json_text                 json, jsonb
//   bytes                     bytea
//   array<T>                  the array type whose element type T accepts (int4[] -> array<int32_t>)
//                             (T must own its data: array<std::string>, not array<string_view>)

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "neon/values.h"
#include "pg/array_literal.h"

namespace edgefn::neon {

template <class T>
struct cell_traits;  // undefined: reading an unsupported type does not compile

namespace detail {
template <std::uint32_t... Oids>
constexpr bool one_of(std::uint32_t oid) noexcept {
  return ((oid == Oids) || ...);
}
constexpr bool is_text_oid(std::uint32_t o) noexcept {
  return one_of<oid::text, oid::varchar, oid::bpchar, oid::name, oid::char_, oid::unknown>(o);
}
}  // namespace detail

#define EDGEFN_NEON_CELL(T, NAME, ACCEPTS, PARSE)                                  \
  template <>                                                                      \
  struct cell_traits<T> {                                                          \
    static constexpr std::string_view name = NAME;                                 \
    static constexpr bool accepts(std::uint32_t o) noexcept { return ACCEPTS; }     \
    static result<T> parse(std::string_view text) { return PARSE(text); }          \
  };

EDGEFN_NEON_CELL(std::int16_t, "int16", o == oid::int2, parse_int2)
EDGEFN_NEON_CELL(std::int32_t, "int32", (detail::one_of<oid::int2, oid::int4>(o)), parse_int4)
EDGEFN_NEON_CELL(std::int64_t, "int64", (detail::one_of<oid::int2, oid::int4, oid::int8, oid::oid>(o)),
                 parse_int8)
EDGEFN_NEON_CELL(float, "float", o == oid::float4, parse_float4)
EDGEFN_NEON_CELL(double, "double", (detail::one_of<oid::float4, oid::float8>(o)), parse_float8)
EDGEFN_NEON_CELL(numeric, "numeric",
                 (detail::one_of<oid::numeric, oid::int2, oid::int4, oid::int8>(o)), parse_numeric)
EDGEFN_NEON_CELL(bool, "bool", o == oid::boolean, parse_bool)
EDGEFN_NEON_CELL(uuid, "uuid", o == oid::uuid, parse_uuid)
EDGEFN_NEON_CELL(bytes, "bytes", o == oid::bytea, parse_bytea)
EDGEFN_NEON_CELL(date, "date", o == oid::date, parse_date)
EDGEFN_NEON_CELL(time_of_day, "time_of_day", o == oid::time, parse_time)
EDGEFN_NEON_CELL(timestamp, "timestamp", o == oid::timestamp, parse_timestamp)
EDGEFN_NEON_CELL(timestamptz, "timestamptz", o == oid::timestamptz, parse_timestamptz)
EDGEFN_NEON_CELL(interval, "interval", o == oid::interval, parse_interval)

#undef EDGEFN_NEON_CELL

template <>
struct cell_traits<std::string_view> {
  static constexpr std::string_view name = "string_view";
  static constexpr bool accepts(std::uint32_t o) noexcept { return detail::is_text_oid(o); }
  static result<std::string_view> parse(std::string_view text) { return text; }
};

template <>
struct cell_traits<std::string> {
  static constexpr std::string_view name = "string";
  static constexpr bool accepts(std::uint32_t o) noexcept { return detail::is_text_oid(o); }
  static result<std::string> parse(std::string_view text) { return std::string(text); }
};

template <>
struct cell_traits<json_text> {
  static constexpr std::string_view name = "json_text";
  static constexpr bool accepts(std::uint32_t o) noexcept {
    return detail::one_of<oid::json, oid::jsonb>(o);
  }
  static result<json_text> parse(std::string_view text) { return json_text{std::string(text)}; }
};

/// Converts a pg::error (array literal syntax) into the client's error.
[[nodiscard]] error array_syntax_error(const edgefn::error& e);

template <class T>
struct cell_traits<array<T>> {
  static_assert(!std::is_same_v<T, std::string_view>, "use array<std::string>");
  static constexpr std::string_view name = "array";
  static constexpr bool accepts(std::uint32_t o) noexcept {
    const std::uint32_t elem = array_element_oid(o);
    return elem != 0 && cell_traits<T>::accepts(elem);
  }
  static result<array<T>> parse(std::string_view text) {
    auto lit = pg::parse_array_literal(text);
    if (!lit) return array_syntax_error(lit.error());
    array<T> out;
    out.dims = std::move(lit->dims);
    out.elements.reserve(lit->elements.size());
    for (auto& e : lit->elements) {
      if (!e) {
        out.elements.emplace_back();
        continue;
      }
      auto v = cell_traits<T>::parse(*e);
      if (!v) return std::move(v).error();
      out.elements.emplace_back(std::move(*v));
    }
    return out;
  }
};

}  // namespace edgefn::neon
