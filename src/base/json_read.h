#pragma once
// Reading small JSON documents (boundary metadata, configuration, token parts, JWKS) with
// simdjson's On-Demand API, the one simdjson API the core uses: its DOM API (a second parser,
// ~40 KB of wasm) is not linked into the module.

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "simdjson.h"

namespace edgefn::json {

/// One parsed document: a padded copy of the text and its parser. Views it hands out (strings,
/// values) live as long as it does. Not copyable or movable (the document refers to both).
class document {
 public:
  explicit document(std::string_view text) : text_(text) {}
  document(const document&) = delete;
  document& operator=(const document&) = delete;

  /// The top-level value as an object: INCORRECT_TYPE for another type, a parse error for
  /// malformed JSON. Call once.
  [[nodiscard]] simdjson::simdjson_result<simdjson::ondemand::object> object() {
    if (auto ec = parser_.iterate(text_).get(doc_)) return ec;
    return doc_.get_object();
  }
  /// True when nothing but whitespace follows the top-level value (call after reading it).
  /// False when the document was never parsed or its reading stopped on an error: simdjson
  /// then drops the iterator's parser, and asking it for its position would dereference null.
  [[nodiscard]] bool at_end() { return doc_.is_alive() && doc_.at_end(); }

 private:
  simdjson::padded_string text_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
};

/// Visits the members of `o` in order, keys unescaped; a key seen before is skipped, so the
/// first occurrence wins (as a lookup by key finds it). `visit(key, value)` returns false to
/// stop. Returns false on malformed JSON or when `visit` did.
template <class F>
[[nodiscard]] bool for_each_member(simdjson::ondemand::object o, F&& visit) {
  std::vector<std::string_view> seen;  // views into the parser's string buffer
  for (auto field : o) {
    std::string_view key;
    simdjson::ondemand::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return false;
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    if (!visit(key, v)) return false;
  }
  return true;
}

}  // namespace edgefn::json
