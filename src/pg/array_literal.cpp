#include "pg/array_literal.h"

#include <string>

#include "base/json_writer.h"

namespace edgefn::pg {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

bool iequals_null(std::string_view s) {
  return s.size() == 4 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'u' && (s[2] | 0x20) == 'l' &&
         (s[3] | 0x20) == 'l';
}

class parser {
 public:
  parser(std::string_view text, char delim) : s_(text), delim_(delim) {}

  result<array_literal> run() {
    skip_space();
    if (peek() == '[') {
      // Dimension decoration "[lo:hi][lo:hi]=": bounds are dropped, as Neon's proxy does.
      const auto eq = s_.find('=', pos_);
      if (eq == std::string_view::npos) return err("dimension decoration without '='");
      pos_ = eq + 1;
      skip_space();
    }
    if (peek() != '{') return err("expected '{'");
    if (auto st = parse_level(0); !st) return st.error();
    skip_space();
    if (pos_ != s_.size()) return err("unexpected text after the closing '}'");
    if (out_.elements.empty()) out_.dims.clear();
    return std::move(out_);
  }

 private:
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() { while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_; }
  error err(std::string_view what) const {
    return fail(errc::parse_error,
                "invalid array literal at byte " + json::decimal(static_cast<std::int64_t>(pos_)) + ": " + std::string(what));
  }

  // Records that the level `depth` holds `count` items; all siblings must agree.
  status note_dim(std::size_t depth, std::size_t count) {
    if (out_.dims.size() <= depth) out_.dims.resize(depth + 1, k_unset);
    if (out_.dims[depth] == k_unset) { out_.dims[depth] = count; return {}; }
    if (out_.dims[depth] != count) return err("arrays of different lengths (ragged array)");
    return {};
  }

  status parse_level(std::size_t depth) {
    if (depth > 6) return err("more than 6 dimensions");
    ++pos_;  // '{'
    skip_space();
    std::size_t count = 0;
    if (peek() == '}') {
      ++pos_;
      if (depth > 0) return err("empty inner array");
      return {};
    }
    bool has_sub = false, has_scalar = false;
    while (true) {
      skip_space();
      if (peek() == '{') {
        has_sub = true;
        if (auto st = parse_level(depth + 1); !st) return st;
      } else {
        has_scalar = true;
        if (auto st = parse_element(); !st) return st;
      }
      if (has_sub && has_scalar) return err("mixed scalars and sub-arrays");
      ++count;
      skip_space();
      if (peek() == delim_) { ++pos_; continue; }
      if (peek() == '}') { ++pos_; break; }
      return pos_ >= s_.size() ? err("unterminated array") : err("expected delimiter or '}'");
    }
    if (has_scalar && out_.dims.size() > depth + 1) return err("mixed depths");
    if (has_sub && out_.dims.size() < depth + 2) return err("mixed depths");
    return note_dim(depth, count);
  }

  status parse_element() {
    if (peek() == '"') return parse_quoted();
    std::string text;
    bool escaped = false;
    std::size_t trailing_space_from = 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return err("dangling backslash");
        text += s_[pos_ + 1];
        pos_ += 2;
        escaped = true;
        trailing_space_from = text.size();
        continue;
      }
      if (c == delim_ || c == '}' || c == '{' || c == '"') break;
      text += c;
      if (!is_space(c)) trailing_space_from = text.size();
      ++pos_;
    }
    text.resize(trailing_space_from);
    if (text.empty() && !escaped) return err("empty unquoted element");
    if (!escaped && iequals_null(text)) out_.elements.emplace_back(std::nullopt);
    else out_.elements.emplace_back(std::move(text));
    return {};
  }

  status parse_quoted() {
    ++pos_;  // opening quote
    std::string text;
    while (true) {
      if (pos_ >= s_.size()) return err("unterminated quoted element");
      const char c = s_[pos_++];
      if (c == '"') break;
      if (c == '\\') {
        if (pos_ >= s_.size()) return err("dangling backslash");
        text += s_[pos_++];
        continue;
      }
      text += c;
    }
    out_.elements.emplace_back(std::move(text));
    return {};
  }

  static constexpr std::size_t k_unset = static_cast<std::size_t>(-1);
  std::string_view s_;
  char delim_;
  std::size_t pos_ = 0;
  array_literal out_;
};

}  // namespace

result<array_literal> parse_array_literal(std::string_view text, char delimiter) {
  return parser(text, delimiter).run();
}

void append_quoted_element(std::string& out, std::string_view value) {
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace edgefn::pg
