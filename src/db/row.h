#pragma once
// Rows: decoding a neon::result_set into row structs, and writing row structs as JSON the way
// drizzle-orm + JSON.stringify return them (camelCase keys, column order).
//
// JSON value forms (what a Drizzle app on neon-http sends to its clients):
//   integer/serial/bigint -> number; real/double precision -> number (JS String(v));
//   numeric -> string, exact ("12.30"); boolean -> true/false; text/varchar/enum -> string;
//   timestamp and timestamptz -> ISO 8601 UTC with milliseconds ("2024-01-02T03:04:05.678Z"),
//   sub-millisecond digits truncated as JS Date does; a timestamp WITHOUT time zone is read as
//   UTC (drizzle's default mode appends "+0000"); +-infinity -> null (an invalid Date);
//   date -> "2024-01-02" (drizzle's default string mode); uuid -> string; jsonb -> the JSON itself;
//   NULL -> null.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_writer.h"
#include "db/table.h"
#include "neon/result_set.h"

namespace edgefn::db {

/// "2024-01-02T03:04:05.678Z" (years outside 0..9999 as +-YYYYYY, like Date.toISOString);
/// the infinities give "" (callers write null).
[[nodiscard]] std::string iso8601_utc(std::int64_t micros_since_epoch);
/// "2024-01-02" ("" for the infinities).
[[nodiscard]] std::string iso_date(neon::date d);

/// Writes one non-NULL value of the given C++ type as JSON.
void write_json_value(json::writer& w, std::int32_t v);
void write_json_value(json::writer& w, std::int64_t v);
void write_json_value(json::writer& w, float v);
void write_json_value(json::writer& w, double v);
void write_json_value(json::writer& w, bool v);
void write_json_value(json::writer& w, const std::string& v);
void write_json_value(json::writer& w, const neon::numeric& v);
void write_json_value(json::writer& w, neon::timestamp v);
void write_json_value(json::writer& w, neon::timestamptz v);
void write_json_value(json::writer& w, neon::date v);
void write_json_value(json::writer& w, const neon::uuid& v);
void write_json_value(json::writer& w, const neon::json_text& v);

template <class V>
void write_json_value(json::writer& w, const std::optional<V>& v) {
  if (v) write_json_value(w, *v);
  else w.null();
}

/// Writes `row`'s members (key, value) with T's JSON keys, in column order, into an open object
/// (so a caller can add keys of its own, such as nested rows).
template <table T>
void write_json_members(json::writer& w, const typename T::row& row) {
  for_each_column<T>([&](const auto& c) {
    w.key(c.info.json.view());
    write_json_value(w, row.*(c.member));
  });
}

/// Writes `row` as a JSON object with T's JSON keys, in column order.
template <table T>
void write_json(json::writer& w, const typename T::row& row) {
  w.begin_object();
  write_json_members<T>(w, row);
  w.end_object();
}

/// `row` as JSON text.
template <table T>
[[nodiscard]] std::string to_json(const typename T::row& row) {
  std::string out;
  json::writer w(out);
  write_json<T>(w, row);
  return out;
}

/// `rows` as a JSON array.
template <table T>
[[nodiscard]] std::string to_json(const std::vector<typename T::row>& rows) {
  std::string out;
  json::writer w(out);
  w.begin_array();
  for (const auto& r : rows) write_json<T>(w, r);
  w.end_array();
  return out;
}

namespace detail {
/// Reads cell (r, c) into `out` (member of the column's type). Enum columns are read as text
/// whatever their OID (their type OID is not a built-in one).
template <class Col, class Member>
neon::status read_cell(const neon::result_set& rs, std::size_t r, std::size_t c, const Col& col,
                       Member& out) {
  using V = typename Col::value_type;
  if (col.info.type == col_type::enumeration) {
    if constexpr (std::is_same_v<V, std::string>) {
      if (rs.is_null(r, c)) {
        if constexpr (Col::nullable) { out = std::nullopt; return {}; }
        else return neon::make_error(neon::error_kind::null_value, "NULL in NOT NULL column " + std::string(col.info.name));
      }
      out = std::string(rs.text(r, c));
      return {};
    }
  }
  if constexpr (Col::nullable) {
    auto v = rs.get_optional<V>(r, c);
    if (!v) return std::move(v).error();
    out = std::move(*v);
  } else {
    auto v = rs.get<V>(r, c);
    if (!v) return std::move(v).error();
    out = std::move(*v);
  }
  return {};
}
neon::error missing_column(std::string_view name);
}  // namespace detail

/// Where each of T's columns is in a result set.
template <table T>
using column_positions = std::array<std::size_t, column_count<T>>;

/// Finds T's columns in `rs` by SQL name. Errors: protocol (a column is missing).
template <table T>
[[nodiscard]] neon::result<column_positions<T>> positions_by_name(const neon::result_set& rs) {
  column_positions<T> pos{};
  std::size_t i = 0;
  std::optional<neon::error> err;
  for_each_column<T>([&](const auto& c) {
    auto idx = rs.column_index(c.info.name);
    if (!idx && !err) err = detail::missing_column(c.info.name);
    pos[i++] = idx.value_or(0);
  });
  if (err) return std::move(*err);
  return pos;
}

/// Positions 0, 1, 2, ... (the result's columns are T's columns in declaration order, as the
/// builders' `select` of all columns and `returning` of all columns produce them).
template <table T>
[[nodiscard]] column_positions<T> positions_in_order() {
  column_positions<T> pos{};
  for (std::size_t i = 0; i < pos.size(); ++i) pos[i] = i;
  return pos;
}

/// Decodes row `r` of `rs`. Errors: those of result_set::get (null_value, wrong_type, ...).
template <table T>
[[nodiscard]] neon::result<typename T::row> decode_row(const neon::result_set& rs, std::size_t r,
                                                      const column_positions<T>& pos) {
  typename T::row out{};
  std::size_t i = 0;
  neon::status st;
  for_each_column<T>([&](const auto& c) {
    if (st.ok()) st = detail::read_cell(rs, r, pos[i], c, out.*(c.member));
    ++i;
  });
  if (!st.ok()) return st.error();
  return out;
}

namespace detail {
/// Writes cell (r, c) of column `col` as write_json_value writes the member read_cell fills,
/// with the same errors. A text or enum cell is written straight from the result's text (no
/// row struct, no owned string); any other cell, and any cell read_cell would refuse, takes
/// read_cell's path.
template <class Col>
neon::status write_cell_json(json::writer& w, const neon::result_set& rs, std::size_t r, std::size_t c,
                             const Col& col) {
  if constexpr (std::is_same_v<typename Col::value_type, std::string>) {
    const bool text = c < rs.columns() && (col.info.type == col_type::enumeration ||
                                           neon::cell_traits<std::string>::accepts(rs.fields()[c].type_oid));
    if (text && !rs.is_null(r, c)) {
      w.string(rs.text(r, c));
      return {};
    }
    if (text && Col::nullable) {
      w.null();
      return {};
    }
  }
  typename Col::member_type v{};
  if (auto st = read_cell(rs, r, c, col, v); !st.ok()) return st;
  write_json_value(w, v);
  return {};
}
}  // namespace detail

/// Writes rows [0, count) of `rs` as JSON objects, exactly as write_json of each decode_row
/// would, without building the rows. Errors: those of decode_row; then `w` holds a partial
/// document, which the caller discards.
template <table T>
[[nodiscard]] neon::status write_rows_json(json::writer& w, const neon::result_set& rs,
                                           const column_positions<T>& pos, std::size_t count) {
  neon::status st;
  for (std::size_t r = 0; r < count && st.ok(); ++r) {
    w.begin_object();
    std::size_t i = 0;
    for_each_column<T>([&](const auto& c) {
      if (st.ok()) {
        w.key(c.info.json.view());
        st = detail::write_cell_json(w, rs, r, pos[i], c);
      }
      ++i;
    });
    w.end_object();
  }
  return st;
}

/// Decodes every row, finding columns by name.
template <table T>
[[nodiscard]] neon::result<std::vector<typename T::row>> decode_rows(const neon::result_set& rs) {
  auto pos = positions_by_name<T>(rs);
  if (!pos) return std::move(pos).error();
  std::vector<typename T::row> rows;
  rows.reserve(rs.rows());
  for (std::size_t r = 0; r < rs.rows(); ++r) {
    auto row = decode_row<T>(rs, r, *pos);
    if (!row) return std::move(row).error();
    rows.push_back(std::move(*row));
  }
  return rows;
}

}  // namespace edgefn::db
