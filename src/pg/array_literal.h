#pragma once
// Postgres array literals in text form ("{1,2,NULL}", "{{a,b},{c,d}}", "[0:1]={x,y}",
// "{\"a b\",\"q\\\"uote\"}"), as Postgres prints them and as clients send them.
// Shared by the Neon client (decoding raw-text cells) and the gateway (non-raw JSON output).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace edgefn::pg {

/// A parsed array: always rectangular (as Postgres guarantees), elements in row-major order.
/// `dims` is empty for the empty array "{}"; a 1-D array of 3 has dims {3}.
/// Elements are unquoted and unescaped; an unquoted NULL (any case) is std::nullopt, while a
/// quoted "NULL" is the text NULL.
struct array_literal {
  std::vector<std::size_t> dims;
  std::vector<std::optional<std::string>> elements;
};

/// Parses `text`. `delimiter` is the element type's typdelim (',' for everything except box).
/// Errors (errc::parse_error, with the byte offset in the message): missing braces, unbalanced
/// quotes or braces, a ragged (non-rectangular) array, trailing garbage.
[[nodiscard]] result<array_literal> parse_array_literal(std::string_view text,
                                                        char delimiter = ',');

/// Appends `value` as an array element the way node-postgres' prepareValue quotes it:
/// double-quoted with `"` and `\` escaped (JSON-free, Postgres array syntax).
void append_quoted_element(std::string& out, std::string_view value);

}  // namespace edgefn::pg
