#include "base/json_small.h"

#include <cstdint>

#include "base/json_number.h"
#include "base/json_writer.h"
#include "base/text.h"

namespace edgefn::json {

namespace od = simdjson::ondemand;

basic_result<node, read_error> small_doc::read(std::string_view text) {
  auto v = read_value(text);
  if (v && v->type() != kind::object) return read_error::not_object;
  return v;
}

// The top-level value is read from the document itself: simdjson hands out no value for a
// scalar document (SCALAR_DOCUMENT_AS_VALUE).
basic_result<node, read_error> small_doc::read_value(std::string_view text) {
  text_ = simdjson::padded_string(text);
  od::json_type t;
  if (parser_.iterate(text_).get(doc_) || doc_.type().get(t)) return read_error::malformed;
  rows_.reserve(16);  // a token part or the shim's metadata, without growing
  entry& e = rows_.emplace_back();
  bool ok = false, null = false;
  od::object o;
  od::array a;
  switch (t) {
    case od::json_type::object: e.k = kind::object; ok = !doc_.get_object().get(o) && add_object(o, 0, 1); break;
    case od::json_type::array: e.k = kind::array; ok = !doc_.get_array().get(a) && add_array(a, 0, 1); break;
    case od::json_type::string: e.k = kind::string; ok = !doc_.get_string().get(e.text); break;
    case od::json_type::number:  // reading its token does not move the document past it
      e.k = kind::number;
      ok = !doc_.raw_json_token().get(e.text) && e.text.data() + e.text.size() == text_.data() + text.size();
      e.text = trim_token(e.text);
      break;
    case od::json_type::boolean: e.k = kind::boolean; ok = !doc_.get_bool().get(e.truth); break;
    case od::json_type::null: ok = !doc_.is_null().get(null) && null; break;
  }
  if (!ok || (t != od::json_type::number && !doc_.at_end())) return read_error::malformed;
  return node(this, 0);
}

bool small_doc::has_key(std::uint32_t row, std::string_view key) const noexcept {
  if (rows_[row].count == 0) return false;
  for (std::uint32_t i = row + 1; i != 0; i = rows_[i].next)
    if (rows_[i].key == key) return true;
  return false;
}

// Members follow their object's row; each row links to its next sibling.
bool small_doc::add_object(od::object o, std::uint32_t row, int depth) {
  std::uint32_t last = 0;
  for (auto field : o) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return false;
    if (has_key(row, key)) {  // simdjson skips the unread value
      duplicate_keys_ = true;
      continue;
    }
    const auto at = static_cast<std::uint32_t>(rows_.size());
    if (!add(v, key, depth + 1)) return false;
    if (rows_[row].count++ != 0) rows_[last].next = at;
    last = at;
  }
  return true;
}

bool small_doc::add_array(od::array a, std::uint32_t row, int depth) {
  std::uint32_t last = 0;
  for (auto item : a) {
    od::value v;
    if (item.get(v)) return false;
    const auto at = static_cast<std::uint32_t>(rows_.size());
    if (!add(v, {}, depth + 1)) return false;
    if (rows_[row].count++ != 0) rows_[last].next = at;
    last = at;
  }
  return true;
}

bool small_doc::add(od::value v, std::string_view key, int depth) {
  od::json_type t;
  if (v.type().get(t)) return false;
  const auto row = static_cast<std::uint32_t>(rows_.size());
  entry& e = rows_.emplace_back();
  e.key = key;
  switch (t) {
    case od::json_type::null: {
      bool null = false;
      return !v.is_null().get(null) && null;
    }
    case od::json_type::boolean: e.k = kind::boolean; return !v.get_bool().get(e.truth);
    case od::json_type::number:
      e.k = kind::number;
      e.text = trim_token(v.raw_json_token());
      return true;
    case od::json_type::string: e.k = kind::string; return !v.get_string().get(e.text);
    case od::json_type::array:
    case od::json_type::object: break;
  }
  const bool object = t == od::json_type::object;
  e.k = depth > max_depth ? kind::skipped : object ? kind::object : kind::array;
  if (depth > max_depth) return true;  // simdjson skips the unread value
  if (object) {
    od::object o;
    return !v.get_object().get(o) && add_object(o, row, depth);
  }
  od::array a;
  return !v.get_array().get(a) && add_array(a, row, depth);
}

kind node::type() const noexcept { return doc_ ? doc_->rows_[index_].k : kind::null; }

std::string_view node::key() const noexcept { return doc_ ? doc_->rows_[index_].key : std::string_view{}; }

std::optional<std::string_view> node::string() const noexcept {
  if (type() != kind::string) return std::nullopt;
  return doc_->rows_[index_].text;
}

std::optional<bool> node::boolean() const noexcept {
  if (type() != kind::boolean) return std::nullopt;
  return doc_->rows_[index_].truth;
}

std::string_view node::number_text() const noexcept {
  return type() == kind::number ? doc_->rows_[index_].text : std::string_view{};
}

std::optional<std::int64_t> node::int64() const noexcept {
  const auto v = text::parse_signed_decimal(number_text());
  if (!v) return std::nullopt;
  return *v;
}

std::optional<std::uint64_t> node::uint64() const noexcept {
  const auto m = text::parse_decimal(number_text());
  if (!m) return std::nullopt;
  return *m;
}

node node::find(std::string_view key) const noexcept {
  if (type() != kind::object) return {};
  for (node m = first(); m; m = m.next())
    if (m.key() == key) return m;
  return {};
}

node node::first() const noexcept {
  if (!doc_ || doc_->rows_[index_].count == 0) return {};
  return node(doc_, index_ + 1);
}

node node::next() const noexcept {
  if (!doc_ || doc_->rows_[index_].next == 0) return {};
  return node(doc_, doc_->rows_[index_].next);
}

void node::write(std::string& out) const {
  const bool object = type() == kind::object;
  switch (type()) {
    case kind::null:
    case kind::skipped: out += "null"; return;
    case kind::boolean: out += *boolean() ? "true" : "false"; return;
    case kind::number: out += number_text(); return;
    case kind::string: append_string(out, *string()); return;
    case kind::array:
    case kind::object: break;
  }
  out += object ? '{' : '[';
  for (node c = first(); c; c = c.next()) {
    if (c.index_ != index_ + 1) out += ',';
    if (object) {
      append_string(out, c.key());
      out += ':';
    }
    c.write(out);
  }
  out += object ? '}' : ']';
}

}  // namespace edgefn::json
