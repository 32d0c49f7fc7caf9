#pragma once
// Small JSON documents (boundary metadata, engine configuration, token parts, JWKS) read through
// one routine: small_doc::read walks the document once with simdjson On-Demand and records every
// value in a flat table; callers then look fields up in the table with plain code. simdjson's
// On-Demand templates are inlined wherever they are used, so a reader per site meant a copy of
// the parsing machinery per site in the Worker's module (issue 9: its size, and the code V8
// compiles on a cold request); here they are instantiated once. Not for request bodies validated
// per column (db/validate) or the /sql response's rows (neon/result_set): those read On-Demand.
//
// Duplicate keys: the first occurrence wins and later ones are dropped (as a lookup by key finds
// it). Values nested deeper than small_doc::max_depth are skipped unread (kind::skipped).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "simdjson.h"

namespace edgefn::json {

enum class kind : std::uint8_t { null, boolean, number, string, array, object, skipped };

/// Why a document could not be read.
enum class read_error : std::uint8_t {
  malformed,   ///< not one well-formed JSON value (or text follows it)
  not_object,  ///< well-formed, but the top-level value is not an object
};

class small_doc;

/// A value of a small_doc (or none: a failed lookup), valid while its document lives.
class node {
 public:
  node() = default;
  /// False for the node a failed lookup returns.
  explicit operator bool() const noexcept { return doc_ != nullptr; }
  [[nodiscard]] kind type() const noexcept;
  /// The member's key (unescaped) when this node is an object member, else empty.
  [[nodiscard]] std::string_view key() const noexcept;
  /// The unescaped string; nullopt for another kind.
  [[nodiscard]] std::optional<std::string_view> string() const noexcept;
  /// true/false; nullopt for another kind.
  [[nodiscard]] std::optional<bool> boolean() const noexcept;
  /// A number's text as written (no surrounding whitespace); empty for another kind.
  [[nodiscard]] std::string_view number_text() const noexcept;
  /// A number written as a plain integer (-?digits) within the int64 range, else nullopt.
  [[nodiscard]] std::optional<std::int64_t> int64() const noexcept;
  /// A number written as plain digits within the uint64 range, else nullopt.
  [[nodiscard]] std::optional<std::uint64_t> uint64() const noexcept;
  /// The object member `key` (the first occurrence); an empty node when absent or not an object.
  [[nodiscard]] node find(std::string_view key) const noexcept;
  /// The first member or item of an object or array; an empty node when none.
  [[nodiscard]] node first() const noexcept;
  /// The next member or item of this node's container; an empty node after the last.
  [[nodiscard]] node next() const noexcept;
  /// Appends the value as compact JSON (strings re-escaped, numbers as written, duplicate keys
  /// dropped; a skipped value is written as null).
  void write(std::string& out) const;

 private:
  friend class small_doc;
  node(const small_doc* doc, std::uint32_t index) : doc_(doc), index_(index) {}
  const small_doc* doc_ = nullptr;
  std::uint32_t index_ = 0;
};

/// One parsed document: a padded copy of the text, the parser (which owns the unescaped strings)
/// and the table of values. Not copyable or movable: nodes point into it.
class small_doc {
 public:
  /// Nesting below this depth (the top-level object is depth 1) is skipped unread, so hostile
  /// nesting costs neither stack nor table rows.
  static constexpr int max_depth = 8;

  small_doc() = default;
  small_doc(const small_doc&) = delete;
  small_doc& operator=(const small_doc&) = delete;

  /// Reads `text`, which must be one JSON object, and returns it. Call once (read or read_value).
  [[nodiscard]] basic_result<node, read_error> read(std::string_view text);
  /// Reads `text`, one JSON value of any kind, and returns it (never not_object). Call once.
  [[nodiscard]] basic_result<node, read_error> read_value(std::string_view text);
  /// True when an object read had a key twice (at any depth). Only the first member is kept;
  /// formats that must refuse such documents (JWS headers, JWT claims) ask here.
  [[nodiscard]] bool had_duplicate_keys() const noexcept { return duplicate_keys_; }

 private:
  friend class node;
  struct entry {
    kind k = kind::null;
    bool truth = false;
    std::uint32_t count = 0;  ///< members or items (their rows follow this one)
    std::uint32_t next = 0;   ///< the next sibling's row, 0 for none
    std::string_view key;
    std::string_view text;  ///< string (unescaped) or number (as written)
  };
  bool add(simdjson::ondemand::value v, std::string_view key, int depth);
  bool add_object(simdjson::ondemand::object o, std::uint32_t row, int depth);
  bool add_array(simdjson::ondemand::array a, std::uint32_t row, int depth);
  [[nodiscard]] bool has_key(std::uint32_t row, std::string_view key) const noexcept;

  simdjson::padded_string text_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
  std::vector<entry> rows_;
  bool duplicate_keys_ = false;
};

}  // namespace edgefn::json
