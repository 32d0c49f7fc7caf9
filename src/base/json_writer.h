#pragma once
// Appending JSON text to a caller-owned std::string. No validation of structure: callers
// emit well-formed sequences (object/array nesting, commas) through json_writer below.

#include <cstdint>
#include <string>
#include <string_view>

namespace edgefn::json {

/// Appends `s` as a JSON string literal (quotes included). Escapes `"`, `\` and control
/// characters; bytes >= 0x80 are copied unchanged, so valid UTF-8 in gives valid UTF-8 out.
/// Invalid UTF-8 is replaced by U+FFFD so the output is always valid JSON text.
void append_string(std::string& out, std::string_view s);

/// Appends an integer in decimal.
void append_int(std::string& out, std::int64_t v);

/// Writes `v` in decimal into the bytes just before `end` (at most 20 of them) and returns where
/// the digits start. One small loop for every integer the core formats: std::to_chars brings a
/// kilobyte of digit-pair tables and unrolled code into the wasm module.
[[nodiscard]] char* decimal_before(char* end, std::uint64_t v) noexcept;

/// An integer in decimal (std::to_string without pulling libc++'s stderr reporting into wasm).
[[nodiscard]] std::string decimal(std::int64_t v);

/// An unsigned integer in decimal (a separate name: an int argument would make an overload of
/// decimal ambiguous).
[[nodiscard]] std::string unsigned_decimal(std::uint64_t v);

/// Appends a double as JavaScript's `String(number)` spells it ("0.1", "1e+21", "-0" -> "0").
/// NaN and infinities have no JSON form: they are written as the strings
/// "NaN", "Infinity", "-Infinity" (quoted), as Neon's proxy does.
void append_double(std::string& out, double v);

/// Formats a finite or non-finite double exactly as JavaScript's `String(v)` does.
[[nodiscard]] std::string js_number_to_string(double v);

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view s) noexcept;

/// A small streaming writer that tracks commas. Keys and string values are escaped.
class writer {
 public:
  explicit writer(std::string& out) : out_(out) {}

  writer& begin_object() { return open('{'); }
  writer& end_object() { return close('}'); }
  writer& begin_array() { return open('['); }
  writer& end_array() { return close(']'); }
  writer& key(std::string_view k);
  writer& string(std::string_view s);
  writer& integer(std::int64_t v);
  writer& number(double v);
  writer& boolean(bool b);
  writer& null();
  /// Appends `json` verbatim as one value; the caller guarantees it is valid JSON.
  writer& raw(std::string_view json);

 private:
  writer& open(char c);
  writer& close(char c);
  void before_value();
  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace edgefn::json
