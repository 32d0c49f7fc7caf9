#pragma once
// A small ordered JSON tree printed exactly like JavaScript's JSON.stringify(v, null, 2): what
// drizzle-kit writes its snapshots with (format 7 in db/snapshot.cpp, format 9 in
// migrate/snapshot9_write.cpp). Members keep insertion order.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgefn::json {

// Members are a struct, not std::pair<std::string, jv>, and the functions that create a jv are
// defined after jv_member: libstdc++ under clang (the fuzz build) requires complete types there.
struct jv_member;

/// An object (the default), array, string or raw JSON text (numbers, true/false/null).
struct jv {
  enum class kind : std::uint8_t { object, array, string, raw } k = kind::object;
  std::string text;
  std::vector<jv_member> members;
  std::vector<jv> items;

  [[nodiscard]] static jv str(std::string_view s);
  [[nodiscard]] static jv raw(std::string_view s);
  [[nodiscard]] static jv boolean(bool b);
  [[nodiscard]] static jv null();
  [[nodiscard]] static jv array();
  /// An array of strings.
  [[nodiscard]] static jv strings(const std::vector<std::string>& xs);
  /// Appends member `key` (objects) and returns *this for chaining.
  jv& add(std::string key, jv value);
  /// Appends an item (arrays) and returns *this.
  jv& push(jv value);
};

struct jv_member {
  std::string first;
  jv second;
};

/// Appends `v` as JSON.stringify(v, null, 2) would print it at nesting `depth`.
void print_pretty(const jv& v, std::string& out, int depth = 0);

/// `v` as one-line JSON (JSON.stringify(v)), e.g. for comparing values or keys.
[[nodiscard]] std::string compact(const jv& v);

}  // namespace edgefn::json
