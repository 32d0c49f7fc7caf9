#include "neon/param.h"

#include <utility>

#include "base/json_writer.h"
#include "pg/array_literal.h"

namespace edgefn::neon {
namespace {

void append_hex(std::string& out, std::span<const std::uint8_t> data) {
  static constexpr char k_digits[] = "0123456789abcdef";
  out.reserve(out.size() + data.size() * 2);
  for (const std::uint8_t b : data) {
    out += k_digits[b >> 4];
    out += k_digits[b & 0x0f];
  }
}

}  // namespace

param::param(bool v) : shape_(shape::scalar), text_(v ? "true" : "false") {}

param::param(double v) : shape_(shape::scalar), text_(json::js_number_to_string(v)) {}

param::param(std::string_view v) : shape_(shape::scalar), text_(v) {}

param::param(std::string v) : shape_(shape::scalar), text_(std::move(v)) {}

void param::set_int(std::int64_t v) {
  shape_ = shape::scalar;
  text_ = json::decimal(v);
}

void param::set_uint(std::uint64_t v) {
  shape_ = shape::scalar;
  text_ = json::unsigned_decimal(v);
}

param param::bytes(std::span<const std::uint8_t> data) {
  param p;
  p.shape_ = shape::binary;
  p.text_ = "\\x";
  append_hex(p.text_, data);
  return p;
}

param param::bytes(std::string_view data) {
  return bytes(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

param param::json(std::string_view raw_json) {
  param p;
  p.shape_ = shape::scalar;
  p.text_ = std::string(raw_json);
  return p;
}

param param::array(std::initializer_list<param> elements) {
  return array(std::span<const param>(elements.begin(), elements.size()));
}

param param::array(std::span<const param> elements) {
  param p;
  p.shape_ = shape::array;
  p.text_ = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) p.text_ += ',';
    elements[i].append_as_element(p.text_);
  }
  p.text_ += '}';
  return p;
}

// node-postgres arrayString: NULL, nested arrays verbatim, buffers as unquoted "\\x<hex>" (an
// escaped backslash), everything else quoted with '"' and '\' escaped.
void param::append_as_element(std::string& out) const {
  switch (shape_) {
    case shape::null: out += "NULL"; return;
    case shape::array: out += text_; return;
    case shape::binary: out += '\\'; out += text_; return;
    case shape::scalar: pg::append_quoted_element(out, text_); return;
  }
}

void append_params_json(std::string& out, std::span<const param> params) {
  out += '[';
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += ',';
    if (params[i].is_null()) out += "null";
    else json::append_string(out, params[i].text());
  }
  out += ']';
}

}  // namespace edgefn::neon
