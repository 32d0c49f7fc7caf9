#pragma once
// A decoded /sql result (raw-text output, array rows) and typed cell reads.
//
// Cells are stored in one owned string arena plus an (offset, length) per cell, so a result_set
// owns everything it returns views into; views stay valid until it is destroyed or assigned.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "neon/cell_traits.h"
#include "neon/error.h"
#include "simdjson.h"

namespace edgefn::neon {

/// One entry of `fields`.
struct field {
  std::string name;
  std::uint32_t type_oid = 0;    ///< dataTypeID
  std::uint32_t table_oid = 0;   ///< tableID (0 when not from a table)
  std::int32_t column_id = 0;    ///< columnID (attnum)
  std::int32_t type_size = 0;    ///< dataTypeSize (typlen; -1 varlena)
  std::int32_t type_modifier = -1;  ///< dataTypeModifier (typmod)
  std::string format = "text";
};

class result_set {
 public:
  [[nodiscard]] const std::vector<field>& fields() const noexcept { return fields_; }
  /// The command tag's first word ("SELECT", "INSERT", "" for an empty query).
  [[nodiscard]] std::string_view command() const noexcept { return command_; }
  /// rowCount; std::nullopt when the server sent null (e.g. CREATE TABLE).
  [[nodiscard]] std::optional<std::int64_t> row_count() const noexcept { return row_count_; }
  [[nodiscard]] bool row_as_array() const noexcept { return row_as_array_; }
  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
  [[nodiscard]] std::size_t columns() const noexcept { return columns_; }
  /// The index of the first column named `name`, or std::nullopt.
  [[nodiscard]] std::optional<std::size_t> column_index(std::string_view name) const noexcept;

  /// True when the cell is NULL. Out-of-range indexes read as NULL.
  [[nodiscard]] bool is_null(std::size_t row, std::size_t col) const noexcept;
  /// The cell's raw Postgres text, whatever its type ("" for NULL: use is_null to tell apart).
  /// The view lives as long as this result_set.
  [[nodiscard]] std::string_view text(std::size_t row, std::size_t col) const noexcept;

  /// The cell as T (see cell_traits.h for the types and the OIDs each accepts). Errors:
  /// out_of_range (bad index), null_value (a NULL), wrong_type (T does not fit the column's
  /// OID), invalid_value/out_of_range (malformed text). std::string_view results point into
  /// this result_set.
  template <class T>
  [[nodiscard]] result<T> get(std::size_t row, std::size_t col) const {
    if (auto e = check<T>(row, col, false)) return std::move(*e);
    return cell_traits<T>::parse(text(row, col));
  }

  /// As get<T>, but a NULL cell gives std::nullopt instead of an error.
  template <class T>
  [[nodiscard]] result<std::optional<T>> get_optional(std::size_t row, std::size_t col) const {
    if (auto e = check<T>(row, col, true)) return std::move(*e);
    if (is_null(row, col)) return std::optional<T>();
    auto v = cell_traits<T>::parse(text(row, col));
    if (!v) return std::move(v).error();
    return std::optional<T>(std::move(*v));
  }

 private:
  friend struct result_set_builder;
  struct cell {
    std::uint32_t offset;
    std::uint32_t length;  ///< k_null for NULL
  };
  static constexpr std::uint32_t k_null = 0xffffffffu;

  template <class T>
  [[nodiscard]] std::optional<error> check(std::size_t row, std::size_t col, bool allow_null) const {
    if (row >= rows() || col >= columns_) return index_error(row, col);
    if (!cell_traits<T>::accepts(fields_[col].type_oid))
      return type_error(col, cell_traits<T>::name);
    if (!allow_null && is_null(row, col)) return null_error(row, col);
    return std::nullopt;
  }
  [[nodiscard]] error index_error(std::size_t row, std::size_t col) const;
  [[nodiscard]] error type_error(std::size_t col, std::string_view cpp_type) const;
  [[nodiscard]] error null_error(std::size_t row, std::size_t col) const;

  std::vector<field> fields_;
  std::string command_;
  std::optional<std::int64_t> row_count_;
  bool row_as_array_ = true;
  std::size_t columns_ = 0;
  std::size_t rows_ = 0;
  std::string arena_;
  std::vector<cell> cells_;
};

/// Decodes /sql responses with simdjson's on-demand API, straight from the response's
/// padded_buffer (no copy of the body). Reuse one decoder to reuse its parser's buffers; it is
/// not thread-safe, and results do not refer to it.
class decoder {
 public:
  /// A single-query response. Non-2xx statuses give the driver's errors (see error_from_http);
  /// a 2xx body that is not a raw-text, array-mode result gives a `protocol` error.
  [[nodiscard]] result<result_set> decode(const http::response& response);
  /// A batch response: {"results":[...]}. A 2xx body without `results` gives a `protocol` error
  /// "unexpected result format", as the driver.
  [[nodiscard]] result<std::vector<result_set>> decode_batch(const http::response& response);

 private:
  simdjson::ondemand::parser parser_;
};

/// One-shot helpers (allocate a fresh parser per call).
[[nodiscard]] result<result_set> decode_response(const http::response& response);
[[nodiscard]] result<std::vector<result_set>> decode_batch_response(const http::response& response);

}  // namespace edgefn::neon
