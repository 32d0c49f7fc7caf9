#include "neon/result_set.h"

#include <limits>

#include "base/json_writer.h"
#include "neon/result_decode.h"

namespace edgefn::neon {
namespace od = simdjson::ondemand;

EDGEFN_COLD error array_syntax_error(const edgefn::error& e) {
  return make_error(error_kind::invalid_value, "invalid array value: " + e.message);
}

std::optional<std::size_t> result_set::column_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].name == name) return i;
  return std::nullopt;
}

bool result_set::is_null(std::size_t row, std::size_t col) const noexcept {
  if (row >= rows_ || col >= columns_) return true;
  return cells_[row * columns_ + col].length == k_null;
}

std::string_view result_set::text(std::size_t row, std::size_t col) const noexcept {
  if (row >= rows_ || col >= columns_) return {};
  const cell c = cells_[row * columns_ + col];
  if (c.length == k_null) return {};
  return std::string_view(arena_.data() + c.offset, c.length);
}

EDGEFN_COLD error result_set::index_error(std::size_t row, std::size_t col) const {
  return make_error(error_kind::out_of_range,
                    "cell (" + json::decimal(static_cast<std::int64_t>(row)) + ", " +
                        json::decimal(static_cast<std::int64_t>(col)) + ") is outside a result of " +
                        json::decimal(static_cast<std::int64_t>(rows_)) + " rows and " +
                        json::decimal(static_cast<std::int64_t>(columns_)) + " columns");
}

EDGEFN_COLD error result_set::type_error(std::size_t col, std::string_view cpp_type) const {
  std::string msg = "column ";
  msg += json::decimal(static_cast<std::int64_t>(col));
  msg += " (\"" + fields_[col].name + "\", type OID ";
  msg += json::decimal(fields_[col].type_oid);
  msg += ") cannot be read as ";
  msg.append(cpp_type);
  return make_error(error_kind::wrong_type, std::move(msg));
}

EDGEFN_COLD error result_set::null_error(std::size_t row, std::size_t col) const {
  return make_error(error_kind::null_value,
                    "cell (" + json::decimal(static_cast<std::int64_t>(row)) + ", " +
                        json::decimal(static_cast<std::int64_t>(col)) + ") in column \"" +
                        fields_[col].name + "\" is NULL (read it as optional)");
}

namespace {

/// What simdjson found wrong, in a few words. Not simdjson::error_message: its table of
/// sentences (~2.4 KB) would ship in the Worker's module for this one diagnostic.
std::string_view json_problem(simdjson::error_code code) {
  switch (code) {
    case simdjson::TAPE_ERROR: return "bad structure (commas, braces or keys)";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "ends inside an object or array";
    case simdjson::DEPTH_ERROR: return "nested too deep";
    case simdjson::STRING_ERROR: case simdjson::UNCLOSED_STRING: case simdjson::UNESCAPED_CHARS: return "bad string";
    case simdjson::UTF8_ERROR: return "not UTF-8";
    case simdjson::T_ATOM_ERROR: case simdjson::F_ATOM_ERROR: case simdjson::N_ATOM_ERROR: return "bad literal";
    case simdjson::NUMBER_ERROR: case simdjson::BIGINT_ERROR: case simdjson::NUMBER_OUT_OF_RANGE: return "bad number";
    case simdjson::INCORRECT_TYPE: return "a value of an unexpected type";
    case simdjson::EMPTY: return "empty";
    case simdjson::TRAILING_CONTENT: return "trailing content";
    case simdjson::CAPACITY: case simdjson::MEMALLOC: return "too large";
    default: return {};
  }
}

}  // namespace

namespace detail {

EDGEFN_COLD error json_error(simdjson::error_code code) {
  std::string msg = "malformed /sql response: ";
  const std::string_view problem = json_problem(code);
  if (problem.empty()) msg += "simdjson error " + json::decimal(static_cast<std::int64_t>(code));
  else msg += problem;
  return make_error(error_kind::protocol, std::move(msg));
}

EDGEFN_COLD error protocol_error(std::string message) {
  return make_error(error_kind::protocol, std::move(message));
}

}  // namespace detail

using detail::json_error;
using detail::protocol_error;

namespace {

// Reads a JSON integer into an int32/uint32 field; false if it does not fit.
template <class I>
simdjson::error_code read_int(od::value v, I& out) {
  std::int64_t x = 0;
  if (auto ec = v.get_int64().get(x)) return ec;
  if (x < std::numeric_limits<I>::min() || x > std::numeric_limits<I>::max())
    return simdjson::NUMBER_OUT_OF_RANGE;
  out = static_cast<I>(x);
  return simdjson::SUCCESS;
}

simdjson::error_code read_string(od::value v, std::string& out) {
  std::string_view s;
  if (auto ec = v.get_string().get(s)) return ec;
  out.assign(s);
  return simdjson::SUCCESS;
}

simdjson::error_code read_field(od::value v, field& f) {
  od::object obj;
  if (auto ec = v.get_object().get(obj)) return ec;
  for (auto member : obj) {
    std::string_view key;
    od::value val;
    if (auto ec = member.unescaped_key().get(key)) return ec;
    if (auto ec = member.value().get(val)) return ec;
    simdjson::error_code ec = simdjson::SUCCESS;
    if (key == "name") ec = read_string(val, f.name);
    else if (key == "dataTypeID") ec = read_int(val, f.type_oid);
    else if (key == "tableID") ec = read_int(val, f.table_oid);
    else if (key == "columnID") ec = read_int(val, f.column_id);
    else if (key == "dataTypeSize") ec = read_int(val, f.type_size);
    else if (key == "dataTypeModifier") ec = read_int(val, f.type_modifier);
    else if (key == "format") ec = read_string(val, f.format);
    if (ec) return ec;
  }
  return simdjson::SUCCESS;
}

}  // namespace

// Fills a result_set from one result object; has access to its private members.
struct result_set_builder {
  result_set rs;
  std::size_t row_width = 0;
  bool saw_rows = false;
  std::optional<error> failure;  // set when a read_* returns false

  bool fail(error e) {
    failure = std::move(e);
    return false;
  }

  void reserve(std::size_t n) { rs.arena_.reserve(n); }

  bool read_fields(od::value v) {
    od::array arr;
    if (auto ec = v.get_array().get(arr)) return fail(json_error(ec));
    for (auto item : arr) {
      od::value fv;
      if (auto ec = item.get(fv)) return fail(json_error(ec));
      field f;
      if (auto ec = read_field(fv, f)) return fail(json_error(ec));
      rs.fields_.push_back(std::move(f));
    }
    return true;
  }

  bool read_cell(od::value v) {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) {
      const auto offset = static_cast<std::uint32_t>(rs.arena_.size());
      rs.arena_.append(s);
      rs.cells_.push_back({offset, static_cast<std::uint32_t>(s.size())});
      return true;
    }
    bool null = false;
    if (v.is_null().get(null) || !null)
      return fail(protocol_error("a cell is not a string or null (expected Neon-Raw-Text-Output: true)"));
    rs.cells_.push_back({0, result_set::k_null});
    return true;
  }

  bool read_row(od::value v) {
    od::array row;
    if (v.get_array().get(row))
      return fail(protocol_error("a row is not an array (expected Neon-Array-Mode: true)"));
    const std::size_t before = rs.cells_.size();
    for (auto item : row) {
      od::value cv;
      if (auto ec = item.get(cv)) return fail(json_error(ec));
      if (!read_cell(cv)) return false;
    }
    const std::size_t width = rs.cells_.size() - before;
    if (rs.rows_ > 0 && width != row_width) return fail(protocol_error("rows have different lengths"));
    row_width = width;
    ++rs.rows_;
    return true;
  }

  bool read_rows(od::value v) {
    od::array arr;
    if (auto ec = v.get_array().get(arr)) return fail(json_error(ec));
    saw_rows = true;
    for (auto item : arr) {
      od::value rv;
      if (auto ec = item.get(rv)) return fail(json_error(ec));
      if (!read_row(rv)) return false;
    }
    return true;
  }

  bool read_row_count(od::value v) {
    bool null = false;
    if (auto ec = v.is_null().get(null)) return fail(json_error(ec));
    if (null) return true;
    std::int64_t n = 0;
    if (auto ec = v.get_int64().get(n)) return fail(json_error(ec));
    rs.row_count_ = n;
    return true;
  }

  bool read_member(std::string_view key, od::value v) {
    if (key == "fields") return read_fields(v);
    if (key == "rows") return read_rows(v);
    if (key == "rowCount") return read_row_count(v);
    if (key == "command") {
      if (auto ec = read_string(v, rs.command_)) return fail(json_error(ec));
    } else if (key == "rowAsArray") {
      if (auto ec = v.get_bool().get(rs.row_as_array_)) return fail(json_error(ec));
    }
    return true;
  }

  bool read(od::object obj) {
    for (auto member : obj) {
      std::string_view key;
      od::value v;
      if (auto ec = member.unescaped_key().get(key)) return fail(json_error(ec));
      if (auto ec = member.value().get(v)) return fail(json_error(ec));
      if (!read_member(key, v)) return false;
    }
    return finish();
  }

  bool finish() {
    if (!saw_rows) return fail(protocol_error("unexpected result format: no \"rows\""));
    rs.columns_ = rs.fields_.size();
    if (rs.rows_ > 0 && row_width != rs.columns_)
      return fail(protocol_error("rows have " + json::decimal(static_cast<std::int64_t>(row_width)) +
                            " cells but there are " +
                            json::decimal(static_cast<std::int64_t>(rs.columns_)) + " fields"));
    if (rs.columns_ == 0) rs.cells_.clear();
    return true;
  }
};

namespace detail {

result<result_set> decode_object(od::value v, std::size_t arena_hint) {
  od::object obj;
  if (auto ec = v.get_object().get(obj)) return json_error(ec);
  result_set_builder b;
  b.reserve(arena_hint);
  if (!b.read(obj)) return std::move(*b.failure);
  return std::move(b.rs);
}

}  // namespace detail

}  // namespace edgefn::neon
