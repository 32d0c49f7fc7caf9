#include "migrate/journal.h"

#include <set>

#include "base/json_writer.h"

#include "simdjson.h"

namespace edgefn::migrate {
namespace {

namespace dom = simdjson::dom;

error journal_error(std::string what) { return fail(errc::parse_error, "journal: " + std::move(what)); }

bool valid_tag(std::string_view tag) {
  if (tag.empty() || tag.front() == '.') return false;
  for (char c : tag)
    if (c == '/' || c == '\\' || c == '\0') return false;
  return true;
}

result<journal_entry> parse_entry(dom::element e, std::size_t position) {
  const std::string where = "entry " + json::decimal(static_cast<std::int64_t>(position));
  journal_entry out;
  std::string_view tag;
  if (e["tag"].get_string().get(tag) != simdjson::SUCCESS || !valid_tag(tag))
    return journal_error(where + ": `tag` must be a file name stem");
  out.tag = std::string(tag);
  if (e["when"].get_int64().get(out.when) != simdjson::SUCCESS)
    return journal_error(out.tag + ": `when` must be an integer (milliseconds)");
  std::int64_t idx = 0;
  if (e["idx"].get_int64().get(idx) == simdjson::SUCCESS) out.idx = idx;
  else out.idx = static_cast<std::int64_t>(position);
  std::string_view version;
  if (e["version"].get_string().get(version) == simdjson::SUCCESS) out.version = std::string(version);
  bool breakpoints = true;
  if (e["breakpoints"].get_bool().get(breakpoints) == simdjson::SUCCESS) out.breakpoints = breakpoints;
  return out;
}

}  // namespace

result<journal> parse_journal(std::string_view json_text) {
  dom::parser parser;
  dom::element doc;
  if (parser.parse(json_text.data(), json_text.size()).get(doc) != simdjson::SUCCESS)
    return journal_error("not valid JSON");
  journal out;
  std::string_view s;
  if (doc["dialect"].get_string().get(s) != simdjson::SUCCESS) return journal_error("missing `dialect`");
  out.dialect = std::string(s);
  if (out.dialect != "postgresql")
    return journal_error("dialect is '" + out.dialect + "', expected 'postgresql'");
  if (doc["version"].get_string().get(s) == simdjson::SUCCESS) out.version = std::string(s);
  dom::array entries;
  if (doc["entries"].get_array().get(entries) != simdjson::SUCCESS)
    return journal_error("missing `entries` array");
  std::set<std::string, std::less<>> tags;
  std::size_t position = 0;
  for (dom::element e : entries) {
    auto entry = parse_entry(e, position++);
    if (!entry) return std::move(entry).error();
    if (!tags.insert(entry->tag).second) return journal_error("duplicate tag " + entry->tag);
    out.entries.push_back(std::move(*entry));
  }
  return out;
}

std::string journal_json(const journal& j) {
  std::string out = "{\n  \"version\": ";
  json::append_string(out, j.version);
  out += ",\n  \"dialect\": ";
  json::append_string(out, j.dialect);
  out += ",\n  \"entries\": ";
  if (j.entries.empty()) out += "[]";
  else out += "[\n";
  for (std::size_t i = 0; i < j.entries.size(); ++i) {
    const journal_entry& e = j.entries[i];
    out += "    {\n      \"idx\": " + json::decimal(e.idx) + ",\n      \"version\": ";
    json::append_string(out, e.version);
    out += ",\n      \"when\": " + json::decimal(e.when) + ",\n      \"tag\": ";
    json::append_string(out, e.tag);
    out += ",\n      \"breakpoints\": ";
    out += e.breakpoints ? "true" : "false";
    out += i + 1 < j.entries.size() ? "\n    },\n" : "\n    }\n  ]";
  }
  out += "\n}";
  return out;
}

}  // namespace edgefn::migrate
