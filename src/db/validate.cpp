#include "db/validate.h"

#include <type_traits>
#include <variant>

#include "base/json_number.h"
#include "base/json_writer.h"

namespace edgefn::db {

neon::param cell_param(const cell& c) {
  return std::visit(
      [](const auto& v) -> neon::param {
        using V = std::remove_cvref_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate> || std::is_same_v<V, std::nullptr_t>) return {};
        else if constexpr (std::is_same_v<V, number_text>) return neon::param(std::string_view(v.text));
        else return neon::param(v);
      },
      c);
}

std::string validation_error::fields_json() const {
  std::string out;
  json::writer w(out);
  w.begin_object();
  for (const auto& f : fields) w.key(f.field).string(f.message);
  w.end_object();
  return out;
}

std::string validation_error::to_json() const {
  std::string out;
  json::writer w(out);
  w.begin_object().key("error").string(message);
  if (!fields.empty()) w.key("fields").raw(fields_json());
  w.end_object();
  return out;
}

namespace {

namespace od = simdjson::ondemand;

/// An error message, or "" for success.
using problem = std::string;

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

problem check_string(const column_info& c, std::string_view s) {
  if (c.type == col_type::varchar && c.length > 0 && code_points(s) > static_cast<std::size_t>(c.length))
    return "must be at most " + json::decimal(c.length) + " characters";
  if (c.type == col_type::enumeration && c.enumeration) {
    std::string list;
    for (auto v : c.enumeration->values) {
      if (v == s) return {};
      list += (list.empty() ? "" : ", ") + std::string(v);
    }
    return "must be one of: " + list;
  }
  return {};
}

/// ISO 8601 date-time -> the text parse_timestamp(tz) accept: 'T' -> ' ', 'Z' -> "+00".
std::string normalize_iso(std::string_view s, bool& has_offset) {
  std::string t(s);
  if (t.size() > 10 && (t[10] == 'T' || t[10] == 't')) t[10] = ' ';
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) {
    t.pop_back();
    t += "+00";
  }
  has_offset = t.size() > 11 && t.find_first_of("+-", 11) != std::string::npos;
  return t;
}

problem to_time_cell(const column_info& c, std::string_view s, cell& out) {
  static const problem bad = "must be an ISO 8601 date-time";
  if (s.size() < 16 || s.size() > 40) return bad;
  bool has_offset = false;
  std::string t = normalize_iso(s, has_offset);
  if (!has_offset && c.type == col_type::timestamptz) t += "+00";
  if (has_offset || c.type == col_type::timestamptz) {
    auto v = neon::parse_timestamptz(t);
    if (!v) return bad;
    if (c.type == col_type::timestamptz) out = *v;
    else out = neon::timestamp{v->micros};  // stored as UTC wall time, as drizzle writes it
    return {};
  }
  auto v = neon::parse_timestamp(t);
  if (!v) return bad;
  out = *v;
  return {};
}

problem to_string_cell(const column_info& c, std::string_view s, cell& out) {
  switch (c.type) {
    case col_type::numeric: {
      auto v = neon::parse_numeric(s);
      if (!v || s.empty()) return "must be a decimal string";
      out = std::move(*v);
      return {};
    }
    case col_type::uuid: {
      auto v = neon::parse_uuid(s);
      if (!v || s.size() != 36) return "must be a UUID";
      out = *v;
      return {};
    }
    case col_type::date: {
      auto v = neon::parse_date(s);
      if (!v || s.size() != 10) return "must be a date (YYYY-MM-DD)";
      out = *v;
      return {};
    }
    case col_type::timestamp:
    case col_type::timestamptz:
      return to_time_cell(c, s, out);
    default: {
      problem p = check_string(c, s);
      if (p.empty()) out = std::string(s);
      return p;
    }
  }
}

bool is_string_kind(col_type t) {
  switch (t) {
    case col_type::text: case col_type::varchar: case col_type::enumeration: case col_type::numeric:
    case col_type::uuid: case col_type::date: case col_type::timestamp: case col_type::timestamptz:
      return true;
    default:
      return false;
  }
}

/// An integer column's value from the number's text (exact: 1.5e1 is 15, 1.5 has a fraction).
problem to_integer_cell(const column_info& c, std::string_view token, cell& out, bool& invalid_json) {
  std::int64_t lo = INT32_MIN, hi = INT32_MAX;
  if (c.type == col_type::bigint) { lo = -9007199254740991; hi = 9007199254740991; }
  const auto n = json::read_integer(token);
  if (!n && n.error() == json::number_error::malformed) { invalid_json = true; return {}; }
  if (n && n->had_fraction) return "must be an integer";
  if (!n || n->value < lo || n->value > hi)
    return "must be between " + json::decimal(lo) + " and " + json::decimal(hi);
  out = n->value;
  return {};
}

/// A float column's value: its text, when below 1e38 (real) or 1e308 (double precision) in
/// magnitude (both types reach a little further: 3.4e38, 1.8e308).
problem to_float_cell(const column_info& c, std::string_view token, cell& out, bool& invalid_json) {
  const bool real = c.type == col_type::real;
  const auto below = json::magnitude_below(token, real ? 38 : 308);
  if (!below) { invalid_json = true; return {}; }
  if (!*below) return real ? "must be between -1e38 and 1e38" : "must be between -1e308 and 1e308";
  out = number_text{std::string(json::trim_token(token))};
  return {};
}

/// Reads `v` for column `c`. Sets `invalid_json` on a malformed value.
problem read_value(const column_info& c, od::value& v, cell& out, bool& invalid_json) {
  od::json_type t;
  if (v.type().get(t)) { invalid_json = true; return {}; }
  if (t == od::json_type::null) {
    if (c.not_null) return "must not be null";
    out = nullptr;
    return {};
  }
  if (c.type == col_type::jsonb) {
    std::string_view raw;
    if (v.raw_json().get(raw)) { invalid_json = true; return {}; }
    out = neon::json_text{std::string(raw)};
    return {};
  }
  if (is_string_kind(c.type)) {
    std::string_view s;
    if (t != od::json_type::string) return "must be a string";
    if (v.get_string().get(s)) { invalid_json = true; return {}; }
    return to_string_cell(c, s, out);
  }
  if (c.type == col_type::boolean) {
    bool b = false;
    if (t != od::json_type::boolean) return "must be a boolean";
    if (v.get_bool().get(b)) { invalid_json = true; return {}; }
    out = b;
    return {};
  }
  const bool integral = c.type == col_type::serial || c.type == col_type::integer || c.type == col_type::bigint;
  if (t != od::json_type::number) return integral ? "must be an integer" : "must be a number";
  // The number's text, not simdjson's get_number: see base/json_number.h.
  const std::string_view token = v.raw_json_token();
  return integral ? to_integer_cell(c, token, out, invalid_json) : to_float_cell(c, token, out, invalid_json);
}

bool omitted(const validate_options& o, std::string_view name) {
  for (auto n : o.omit)
    if (n == name) return true;
  return false;
}

struct walk_state {
  std::span<const column_info* const> columns;
  const validate_options& options;
  std::vector<cell> cells;
  std::vector<problem> column_problems;
  std::vector<field_error> extra;  // unknown / duplicate keys, input order
  std::vector<std::string> seen;
  bool invalid_json = false;
};

std::size_t find_column(const walk_state& s, std::string_view key) {
  for (std::size_t i = 0; i < s.columns.size(); ++i)
    if (s.columns[i]->json.view() == key && !omitted(s.options, s.columns[i]->name)) return i;
  return s.columns.size();
}

void visit_field(walk_state& s, std::string key, od::value& v) {
  const std::size_t i = find_column(s, key);
  bool duplicate = false;
  for (const auto& k : s.seen) duplicate = duplicate || k == key;
  if (!duplicate) s.seen.push_back(key);
  if (i == s.columns.size()) {
    // Once per key: an unknown key given twice is still one field, with one message.
    if (!duplicate) s.extra.push_back({std::move(key), "is not a known field"});
    return;
  }
  if (duplicate) {
    s.column_problems[i] = "is a duplicate key";
    return;
  }
  s.column_problems[i] = read_value(*s.columns[i], v, s.cells[i], s.invalid_json);
}

validation_error invalid_json_error() { return {"invalid JSON", {}, {}}; }

/// Walks the top-level object; false when the JSON is malformed.
bool walk(walk_state& s, od::document& doc, validation_error& err) {
  od::object obj;
  const auto e = doc.get_object().get(obj);
  if (e == simdjson::INCORRECT_TYPE) { err = {"body must be a JSON object", {}, {}}; return false; }
  if (e) { err = invalid_json_error(); return false; }
  for (auto f : obj) {
    od::field fld;
    std::string_view key;
    if (std::move(f).get(fld) || fld.unescaped_key(false).get(key)) { err = invalid_json_error(); return false; }
    visit_field(s, std::string(key), fld.value());
    if (s.invalid_json) { err = invalid_json_error(); return false; }
  }
  if (!doc.at_end()) { err = invalid_json_error(); return false; }
  return true;
}

void add_missing(walk_state& s, body_mode mode) {
  if (mode != body_mode::insert) return;
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    const column_info& c = *s.columns[i];
    if (c.required_on_insert() && !omitted(s.options, c.name) && s.column_problems[i].empty() &&
        std::holds_alternative<std::monostate>(s.cells[i]))
      s.column_problems[i] = "is required";
  }
}

}  // namespace

validation_result<std::vector<cell>> validate_body(const padded_buffer& body,
                                                   std::span<const column_info* const> columns,
                                                   body_mode mode, const validate_options& options,
                                                   simdjson::ondemand::parser& parser) {
  walk_state s{columns, options, std::vector<cell>(columns.size()),
               std::vector<problem>(columns.size()), {}, {}, false};
  od::document doc;
  if (parser.iterate(body.padded_view()).get(doc)) return invalid_json_error();
  validation_error err;
  if (!walk(s, doc, err)) return err;
  add_missing(s, mode);
  err.message = "invalid fields";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (s.column_problems[i].empty()) continue;
    err.fields.push_back({std::string(columns[i]->json.view()), std::move(s.column_problems[i])});
    s.cells[i].emplace<std::monostate>();  // a failing field is absent for the caller's rules
  }
  for (auto& x : s.extra) err.fields.push_back(std::move(x));
  if (!err.fields.empty()) {
    err.cells = std::move(s.cells);
    return err;
  }
  if (mode == body_mode::update && s.seen.empty()) return validation_error{"no fields to update", {}, {}};
  return std::move(s.cells);
}

}  // namespace edgefn::db
