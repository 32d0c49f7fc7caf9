#include "config/env_config.h"

#include <unistd.h>

#include <set>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace edgefn::native {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string unquote_double(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      const char n = body[++i];
      out += n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n;
    } else {
      out += body[i];
    }
  }
  return out;
}

std::optional<std::string> parse_value(const std::string& raw) {
  const std::string v = trim(raw);
  if (v.empty()) return std::string{};
  const char q = v.front();
  if (q == '\'' || q == '"' || q == '`') {
    const auto end = v.find(q, 1);
    if (end == std::string::npos) return std::nullopt;
    const std::string body = v.substr(1, end - 1);
    return q == '"' ? unquote_double(body) : body;
  }
  const auto comment = v.find(" #");
  return trim(comment == std::string::npos ? v : v.substr(0, comment));
}

}  // namespace

std::map<std::string, std::string> env_config::parse_dotenv(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.rfind("export ", 0) == 0) t = trim(t.substr(7));
    const auto eq = t.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    const std::string key = trim(t.substr(0, eq));
    if (key.find_first_of(" \t") != std::string::npos) continue;
    if (auto value = parse_value(t.substr(eq + 1))) out.emplace(key, *value);
  }
  return out;
}

env_config env_config::load(const std::string& directory, const std::string& environment) {
  env_config cfg;
  cfg.environment_ = environment;
  if (cfg.environment_.empty()) {
    if (const char* e = std::getenv("ENVIRONMENT"); e && *e) cfg.environment_ = e;
    else if (const char* n = std::getenv("NODE_ENV"); n && *n) cfg.environment_ = n;
  }
  std::vector<std::string> names;
  if (!cfg.environment_.empty()) names.push_back(".env." + cfg.environment_ + ".local");
  names.push_back(".env.local");
  names.push_back(".env");
  for (const auto& name : names) {
    const std::string path = directory + "/" + name;
    std::ifstream in(path);
    if (!in) continue;
    std::stringstream text;
    text << in.rdbuf();
    cfg.files_read_.push_back(path);
    cfg.file_values_.push_back(parse_dotenv(text.str()));
  }
  return cfg;
}

std::vector<std::string> env_config::keys_with_prefix(std::string_view prefix) const {
  std::set<std::string> keys;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos && kv.substr(0, eq).starts_with(prefix)) keys.emplace(kv.substr(0, eq));
  }
  for (const auto& values : file_values_)
    for (const auto& [k, v] : values)
      if (std::string_view(k).starts_with(prefix)) keys.insert(k);
  return {keys.begin(), keys.end()};
}

std::optional<std::string> env_config::get(const std::string& key) const {
  if (const char* v = std::getenv(key.c_str())) return std::string(v);
  for (const auto& values : file_values_)
    if (auto it = values.find(key); it != values.end()) return it->second;
  return std::nullopt;
}

}  // namespace edgefn::native
