#include "base/json_tree.h"

#include "base/json_writer.h"

namespace edgefn::json {

jv jv::str(std::string_view s) { jv v; v.k = kind::string; v.text = s; return v; }
jv jv::raw(std::string_view s) { jv v; v.k = kind::raw; v.text = s; return v; }
jv jv::boolean(bool b) { return raw(b ? "true" : "false"); }
jv jv::null() { return raw("null"); }
jv jv::array() { jv v; v.k = kind::array; return v; }

jv jv::strings(const std::vector<std::string>& xs) {
  jv a = array();
  for (const auto& x : xs) a.items.push_back(str(x));
  return a;
}

jv& jv::add(std::string key, jv value) {
  members.push_back(jv_member{std::move(key), std::move(value)});
  return *this;
}

jv& jv::push(jv value) {
  items.push_back(std::move(value));
  return *this;
}

namespace {

void indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }

// `pretty` prints like JSON.stringify(v, null, 2), else like JSON.stringify(v) (one line).
void print(const jv& v, std::string& out, int depth, bool pretty) {
  const auto open = [&](char c) {
    out += c;
    if (pretty) out += '\n';
  };
  const auto next = [&](bool last) {
    if (!last) out += ',';
    if (pretty) out += '\n';
  };
  switch (v.k) {
    case jv::kind::string: append_string(out, v.text); return;
    case jv::kind::raw: out += v.text; return;
    case jv::kind::array:
      if (v.items.empty()) { out += "[]"; return; }
      open('[');
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (pretty) indent(out, depth + 1);
        print(v.items[i], out, depth + 1, pretty);
        next(i + 1 == v.items.size());
      }
      if (pretty) indent(out, depth);
      out += ']';
      return;
    case jv::kind::object:
      if (v.members.empty()) { out += "{}"; return; }
      open('{');
      for (std::size_t i = 0; i < v.members.size(); ++i) {
        if (pretty) indent(out, depth + 1);
        append_string(out, v.members[i].first);
        out += pretty ? ": " : ":";
        print(v.members[i].second, out, depth + 1, pretty);
        next(i + 1 == v.members.size());
      }
      if (pretty) indent(out, depth);
      out += '}';
      return;
  }
}

}  // namespace

void print_pretty(const jv& v, std::string& out, int depth) { print(v, out, depth, true); }

std::string compact(const jv& v) {
  std::string out;
  print(v, out, 0, false);
  return out;
}

}  // namespace edgefn::json
