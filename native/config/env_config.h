#pragma once
// Configuration from the process environment and dotenv files, as the seed projects load it
// (dotenv + drizzle.config.ts): for each key, the first source that defines it wins, in this
// order: the process environment, `.env.<env>.local`, `.env.local`, `.env`, where <env> is
// --env, else $ENVIRONMENT, else $NODE_ENV (and `.env.<env>.local` is skipped when unset).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgefn::native {

class env_config {
 public:
  /// Loads from `directory` (the project root; default: the working directory).
  /// `environment` overrides $ENVIRONMENT/$NODE_ENV when non-empty.
  static env_config load(const std::string& directory = ".", const std::string& environment = {});

  /// The value of `key`, or nullopt when no source defines it.
  [[nodiscard]] std::optional<std::string> get(const std::string& key) const;
  /// Every key starting with `prefix` that some source defines, sorted.
  [[nodiscard]] std::vector<std::string> keys_with_prefix(std::string_view prefix) const;
  /// The environment name in effect ("" when none).
  [[nodiscard]] const std::string& environment() const { return environment_; }
  /// The dotenv files that were found and read, in precedence order.
  [[nodiscard]] const std::vector<std::string>& files_read() const { return files_read_; }

  /// Parses dotenv text: KEY=VALUE lines, `export ` prefixes, # comments, single quotes
  /// (literal), double quotes (with \n, \", \\ escapes), unquoted values trimmed and cut at
  /// " #". Malformed lines are ignored.
  static std::map<std::string, std::string> parse_dotenv(const std::string& text);

 private:
  std::string environment_;
  std::vector<std::string> files_read_;
  std::vector<std::map<std::string, std::string>> file_values_;  // precedence order
};

}  // namespace edgefn::native
