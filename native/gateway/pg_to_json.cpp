#include "gateway/pg_to_json.h"

#include <algorithm>

#include "base/json_writer.h"
#include "simdjson.h"
#include "pg/array_literal.h"

namespace edgefn::gateway {
namespace {

constexpr Oid k_bool = 16, k_int2 = 21, k_int4 = 23, k_float4 = 700, k_float8 = 701,
              k_json = 114, k_jsonb = 3802;

scalar_kind kind_of(Oid oid) {
  switch (oid) {
    case k_bool: return scalar_kind::boolean;
    case k_int2:
    case k_int4: return scalar_kind::integer;
    case k_float4:
    case k_float8: return scalar_kind::floating;
    case k_json:
    case k_jsonb: return scalar_kind::json;
    default: return scalar_kind::string;
  }
}

struct array_entry {
  Oid array;
  Oid element;
};

// Built-in array types and their element types (pg_type.dat).
constexpr array_entry k_arrays[] = {
    {1000, 16},   {1001, 17},   {1002, 18},   {1003, 19},   {1005, 21},   {1006, 22},
    {1007, 23},   {1008, 24},   {1009, 25},   {1028, 26},   {1010, 27},   {1011, 28},
    {1012, 29},   {1013, 30},   {199, 114},   {143, 142},   {1016, 20},   {1017, 600},
    {1018, 601},  {1019, 602},  {1020, 603},  {1027, 604},  {629, 628},   {719, 718},
    {1021, 700},  {1022, 701},  {651, 650},   {1040, 829},  {775, 774},   {1041, 869},
    {1014, 1042}, {1015, 1043}, {1182, 1082}, {1183, 1083}, {1115, 1114}, {1185, 1184},
    {1187, 1186}, {1270, 1266}, {1561, 1560}, {1563, 1562}, {1231, 1700}, {2951, 2950},
    {3807, 3802}, {791, 790},   {3221, 3220}, {4073, 4072}, {3643, 3614}, {3645, 3615},
    {2287, 2249}, {1034, 1033}, {2211, 2206}, {2210, 2205}, {3905, 3904}, {3907, 3906},
    {3911, 3910}, {3913, 3912}, {3927, 3926}, {1263, 2275}, {2949, 2970},
    {2201, 1790}, {2207, 2202}, {2208, 2203}, {2209, 2204}, {3735, 3734}, {3770, 3769},
    {4090, 4089}, {4097, 4096}, {4192, 4191}, {271, 5069}};

// Built-in scalar types (not arrays) that need no lookup.
constexpr Oid k_scalars[] = {16,   17,   18,   19,   20,   21,   23,   24,   25,
                             26,   27,   28,   29,   114,  142,  194,  600,  601,
                             602,  603,  604,  628,  650,  700,  701,  705,  718,  774,
                             790,  829,  869,  1033, 1042, 1043, 1082, 1083, 1114, 1184,
                             1186, 1266, 1560, 1562, 1700, 1790, 2202, 2203, 2204, 2205,
                             2206, 2249, 2275, 2950, 2970, 3220, 3614, 3615, 3734, 3769,
                             3802, 3904, 3906, 3910, 3912, 3926, 4072, 4089, 4096, 4191,
                             5069, 3361, 3402, 4600, 4601, 5017, 5038};

/// Postgres float text as a JSON number ("1" -> 1.0 like serde), or a string for NaN/Inf.
void append_float(std::string& out, std::string_view text) {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
    json::append_string(out, text);
    return;
  }
  out += text;
  if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

bool append_scalar(std::string& out, std::string_view text, scalar_kind kind) {
  switch (kind) {
    case scalar_kind::boolean:
      if (text != "t" && text != "f") return false;
      out += text == "t" ? "true" : "false";
      return true;
    case scalar_kind::integer:
      if (text.empty()) return false;
      out += text;
      return true;
    case scalar_kind::floating:
      if (text.empty()) return false;
      append_float(out, text);
      return true;
    case scalar_kind::json: {
      if (text.empty()) return false;
      const std::size_t at = out.size();
      out.resize(at + text.size());
      std::size_t len = 0;
      if (simdjson::minify(text.data(), text.size(), out.data() + at, len) != simdjson::SUCCESS) {
        return false;
      }
      out.resize(at + len);
      return true;
    }
    case scalar_kind::string:
      json::append_string(out, text);
      return true;
  }
  return false;
}

/// Writes dimension `dim` of `arr` starting at element `pos` (advanced as elements are used).
bool append_dimension(std::string& out, const pg::array_literal& arr, std::size_t dim,
                      std::size_t& pos, scalar_kind kind) {
  out += '[';
  for (std::size_t i = 0; i < arr.dims[dim]; ++i) {
    if (i != 0) out += ',';
    if (dim + 1 < arr.dims.size()) {
      if (!append_dimension(out, arr, dim + 1, pos, kind)) return false;
      continue;
    }
    const auto& element = arr.elements[pos++];
    if (!element) out += "null";
    else if (!append_scalar(out, *element, kind)) return false;
  }
  out += ']';
  return true;
}

type_conv conv_from_row(const pg_type_row& row) {
  type_conv c;
  if (row.category == 'A' && row.element != 0) {
    c.is_array = true;
    c.kind = kind_of(row.element);
    c.delimiter = row.delimiter;
  }
  return c;
}

}  // namespace

std::optional<type_conv> builtin_type_conv(Oid oid) {
  for (const auto& a : k_arrays) {
    if (a.array == oid) return type_conv{true, kind_of(a.element), a.element == 603 ? ';' : ','};
  }
  if (std::find(std::begin(k_scalars), std::end(k_scalars), oid) != std::end(k_scalars)) {
    return type_conv{false, kind_of(oid), ','};
  }
  return std::nullopt;
}

bool type_registry::resolve(const std::string& db_key, const std::vector<Oid>& oids,
                            const pg_type_lookup& lookup, std::vector<type_conv>& out) {
  out.assign(oids.size(), type_conv{});
  std::vector<Oid> missing;
  {
    std::lock_guard lock(mu_);
    auto& known = cache_[db_key];
    for (std::size_t i = 0; i < oids.size(); ++i) {
      if (auto b = builtin_type_conv(oids[i])) out[i] = *b;
      else if (auto it = known.find(oids[i]); it != known.end()) out[i] = it->second;
      else if (std::find(missing.begin(), missing.end(), oids[i]) == missing.end())
        missing.push_back(oids[i]);
    }
  }
  if (missing.empty()) return true;
  std::vector<pg_type_row> rows;
  if (!lookup(missing, rows)) return false;
  std::lock_guard lock(mu_);
  auto& known = cache_[db_key];
  for (Oid oid : missing) known[oid] = type_conv{};  // unknown to pg_type: a string
  for (const auto& row : rows) known[row.oid] = conv_from_row(row);
  for (std::size_t i = 0; i < oids.size(); ++i) {
    if (auto it = known.find(oids[i]); it != known.end() && !builtin_type_conv(oids[i])) {
      out[i] = it->second;
    }
  }
  return true;
}

bool append_converted(std::string& out, std::string_view text, const type_conv& conv) {
  if (!conv.is_array) return append_scalar(out, text, conv.kind);
  auto parsed = pg::parse_array_literal(text, conv.delimiter);
  if (!parsed) return false;
  if (parsed->dims.empty()) {
    out += "[]";
    return true;
  }
  std::size_t pos = 0;
  return append_dimension(out, *parsed, 0, pos, conv.kind);
}

}  // namespace edgefn::gateway
