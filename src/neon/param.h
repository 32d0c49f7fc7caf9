#pragma once
// Query parameters, encoded exactly as the JS driver (@neondatabase/serverless 1.2.0, i.e.
// node-postgres' prepareValue) encodes them: every parameter goes over the wire as a JSON string
// or null, and Postgres infers the type from the statement.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "neon/values.h"

namespace edgefn::neon {

/// One bind parameter, encoded once at construction into its wire text.
///  - null (default, nullptr, nullopt) -> JSON null
///  - bool -> "true"/"false"; integers -> decimal; doubles -> JavaScript String(v)
///    ("NaN", "Infinity", "-0" -> "0", "1e+21")
///  - strings -> the string (any UTF-8; invalid UTF-8 becomes U+FFFD when written as JSON)
///  - bytes -> "\x" + lowercase hex (cast the placeholder: $1::bytea)
///  - json -> the raw JSON text, sent as a string (what JSON.stringify gives the driver)
///  - date/time types -> Postgres input text (to_postgres_text: timestamptz in UTC "+00",
///    intervals in ISO 8601); uuid -> canonical text; numeric/json_text -> their text;
///    bytes -> as bytes()
///  - arrays -> a Postgres array literal with every non-null element double-quoted:
///    [1,"x\"y",null,[2,3]] -> {"1","x\"y",NULL,{"2","3"}}; [] -> {}
class param {
 public:
  param() noexcept = default;
  param(std::nullptr_t) noexcept {}       // NOLINT: implicit on purpose (brace lists)
  param(std::nullopt_t) noexcept {}       // NOLINT
  param(bool v);                          // NOLINT
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char> && !std::same_as<I, char8_t>)
  param(I v) {  // NOLINT
    if constexpr (std::is_signed_v<I>) set_int(static_cast<std::int64_t>(v));
    else set_uint(static_cast<std::uint64_t>(v));
  }
  param(double v);                        // NOLINT
  param(float v) : param(static_cast<double>(v)) {}  // NOLINT
  param(std::string_view v);              // NOLINT
  param(const char* v) : param(std::string_view(v)) {}  // NOLINT
  param(std::string v);                   // NOLINT
  param(date v) : param(to_postgres_text(v)) {}                 // NOLINT
  param(time_of_day v) : param(to_postgres_text(v)) {}          // NOLINT
  param(timestamp v) : param(to_postgres_text(v)) {}            // NOLINT
  param(timestamptz v) : param(to_postgres_text(v)) {}          // NOLINT
  param(const interval& v) : param(to_postgres_text(v)) {}      // NOLINT
  param(const uuid& v) : param(v.to_string()) {}                // NOLINT
  param(const numeric& v) : param(std::string_view(v.text)) {}  // NOLINT
  param(const json_text& v) : param(std::string_view(v.text)) {}  // NOLINT
  param(const neon::bytes& v) : param(bytes(std::span<const std::uint8_t>(v))) {}  // NOLINT
  template <class T>
  param(const std::optional<T>& v) : param() {  // NOLINT
    if (v) *this = param(*v);
  }

  /// Binary data, sent as "\x<hex>".
  [[nodiscard]] static param bytes(std::span<const std::uint8_t> data);
  [[nodiscard]] static param bytes(std::string_view data);
  /// Raw JSON text (the caller guarantees it is valid JSON), sent as a string.
  [[nodiscard]] static param json(std::string_view raw_json);
  /// A Postgres array literal from elements (nested arrays nest, nulls become NULL).
  [[nodiscard]] static param array(std::initializer_list<param> elements);
  [[nodiscard]] static param array(std::span<const param> elements);
  /// An array from any range of values convertible to param.
  template <class Range>
  [[nodiscard]] static param array_of(const Range& values) {
    std::vector<param> ps;
    for (const auto& v : values) ps.emplace_back(v);
    return array(std::span<const param>(ps));
  }

  [[nodiscard]] bool is_null() const noexcept { return shape_ == shape::null; }
  /// The wire text ("" for null).
  [[nodiscard]] std::string_view text() const noexcept { return text_; }

  friend bool operator==(const param&, const param&) = default;

 private:
  enum class shape : std::uint8_t { null, scalar, binary, array };
  void set_int(std::int64_t v);
  void set_uint(std::uint64_t v);
  void append_as_element(std::string& out) const;
  shape shape_ = shape::null;
  std::string text_;
};

/// Appends `params` as a JSON array of strings and nulls.
void append_params_json(std::string& out, std::span<const param> params);

}  // namespace edgefn::neon
