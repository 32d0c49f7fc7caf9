#pragma once
// Request-body validation derived from the table definitions, like drizzle-zod's
// createInsertSchema / createUpdateSchema:
//   insert: a column is required when it is NOT NULL without a default (serial counts as a
//           default); nullable columns accept null; NOT NULL columns reject null.
//   update: every column is optional; at least one field must be given.
//   both:   keys are the columns' JSON names; unknown keys and duplicate keys are errors;
//           varchar(n) counts characters (Unicode code points), enums check membership,
//           integers are range-checked (integer: 32-bit; bigint: +-(2^53-1), drizzle's number
//           mode) and read exactly from the number's text (1.5e1 is 15, 1.00000000000000001 is
//           not an integer), float columns take a number below 1e38 (real) or 1e308 (double
//           precision) in magnitude, numeric takes a decimal string (exact), timestamps take ISO 8601 strings
//           (a missing offset means UTC), date "YYYY-MM-DD", uuid 8-4-4-4-12, jsonb any JSON.
// Every failing field is reported, in column order, then unknown/duplicate keys in input order.
// Parsing uses simdjson on-demand with error codes (no exceptions). Values nested inside an
// unknown field are skipped, not validated.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/json_number.h"
#include "base/padded_buffer.h"
#include "base/result.h"
#include "db/table.h"
#include "neon/param.h"
#include "neon/values.h"

namespace edgefn::db {

/// A float column's value as the body spelled it (a JSON number within the column's range): it
/// is bound as text, which Postgres reads as exactly as strtod does, so validating a body needs
/// no floating-point parser (base/json_number.h); values_from_cells converts it for typed rows.
struct number_text {
  std::string text;
  friend bool operator==(const number_text&, const number_text&) = default;
};

/// One validated value: absent, JSON null, or a value of the column's kind.
using cell = std::variant<std::monostate, std::nullptr_t, std::string, std::int64_t, number_text, bool,
                          neon::numeric, neon::timestamp, neon::timestamptz, neon::date, neon::uuid,
                          neon::json_text>;

struct field_error {
  std::string field;    ///< the JSON key
  std::string message;  ///< "is required", "must be at most 256 characters", ...
  friend bool operator==(const field_error&, const field_error&) = default;
};

struct validation_error {
  /// "invalid JSON", "body must be a JSON object", "invalid fields" (see `fields`),
  /// "no fields to update".
  std::string message;
  std::vector<field_error> fields;
  /// With "invalid fields": one cell per column as for a valid body, the failing fields' cells
  /// absent, so that a caller's own rules can run on the rest and answer in the same response.
  std::vector<cell> cells;
  /// `{"title":"must be at most 256 characters","userId":"is required"}`.
  [[nodiscard]] std::string fields_json() const;
  /// `{"error":"invalid fields","fields":{...}}` (fields omitted when empty).
  [[nodiscard]] std::string to_json() const;
};

template <class T>
using validation_result = basic_result<T, validation_error>;

enum class body_mode : std::uint8_t { insert, update };

struct validate_options {
  /// SQL names of columns the body may not set (server-set, e.g. "id", "user_id"): they are
  /// reported as unknown fields and never required (drizzle-zod's .omit()).
  std::span<const std::string_view> omit{};
};

/// The untyped core: validates `body` against `columns`, one cell per column.
[[nodiscard]] validation_result<std::vector<cell>> validate_body(
    const padded_buffer& body, std::span<const column_info* const> columns, body_mode mode,
    const validate_options& options, simdjson::ondemand::parser& parser);

/// The bind parameter of a validated value (absent and JSON null both give SQL NULL: callers
/// leave absent cells out of their statements).
[[nodiscard]] neon::param cell_param(const cell& c);

namespace detail {
template <class Member, class V>
void assign_cell(std::optional<Member>& slot, const cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return;
  if (std::holds_alternative<std::nullptr_t>(c)) {
    slot.emplace();  // NULL (only produced for nullable columns)
    return;
  }
  if constexpr (std::is_same_v<V, std::int32_t> || std::is_same_v<V, std::int64_t>) {
    slot.emplace(static_cast<V>(std::get<std::int64_t>(c)));
  } else if constexpr (std::is_same_v<V, float> || std::is_same_v<V, double>) {
    // Validated: well-formed and within the column's range (so the float cast is defined).
    slot.emplace(static_cast<V>(json::read_double(std::get<number_text>(c).text).value()));
  } else {
    slot.emplace(std::get<V>(c));
  }
}
}  // namespace detail

/// Typed values for T from the cells validate_body produced for T's columns (in order).
template <table T>
[[nodiscard]] values<T> values_from_cells(const std::vector<cell>& cells) {
  values<T> out;
  std::size_t i = 0;
  for_each_column<T>([&](const auto& c) {
    using C = std::remove_cvref_t<decltype(c)>;
    detail::assign_cell<typename C::member_type, typename C::value_type>(out[c], cells[i++]);
  });
  return out;
}

/// Validates `body` and returns typed values for T (nullable columns: an engaged slot holding
/// nullopt means an explicit null). `parser` may be reused across calls (not thread-safe).
template <table T>
[[nodiscard]] validation_result<values<T>> parse_body(const padded_buffer& body, body_mode mode,
                                                      const validate_options& options,
                                                      simdjson::ondemand::parser& parser) {
  auto cells = validate_body(body, column_infos_v<T>, mode, options, parser);
  if (!cells) return std::move(cells).error();
  return values_from_cells<T>(*cells);
}

/// drizzle-zod's insert schema.
template <table T>
[[nodiscard]] validation_result<values<T>> parse_insert(const padded_buffer& body,
                                                        const validate_options& options = {}) {
  simdjson::ondemand::parser parser;
  return parse_body<T>(body, body_mode::insert, options, parser);
}

/// drizzle-zod's update schema (all optional, at least one field).
template <table T>
[[nodiscard]] validation_result<values<T>> parse_update(const padded_buffer& body,
                                                        const validate_options& options = {}) {
  simdjson::ondemand::parser parser;
  return parse_body<T>(body, body_mode::update, options, parser);
}

}  // namespace edgefn::db
