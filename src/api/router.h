#pragma once
// Routing: an app's route table compiled once into path patterns, matched against the
// request's method and path (no query string). See api/route.h for the pattern syntax.
// Paths match exactly (no trailing-slash folding); literal segments win over parameters.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/route.h"
#include "base/result.h"

namespace edgefn::api {

enum class param_type : std::uint8_t { text, int32, id };

/// One segment of a compiled pattern.
struct path_segment {
  std::string_view literal;  ///< literal segments
  std::string_view name;     ///< parameters: the name ("authorId")
  param_type type = param_type::text;
  bool is_param = false;
};

struct compiled_route {
  const route_def* def = nullptr;
  std::vector<path_segment> segments;
  std::string doc_path;  ///< OpenAPI form: "/posts/{postId}"
  std::string log_path;  ///< log form, without types: "/posts/:postId"
  int literals = 0;      ///< literal segment count (more wins)
};

enum class match_kind : std::uint8_t { route, health, openapi, not_found, method_not_allowed };

struct match {
  match_kind kind = match_kind::not_found;
  const compiled_route* route = nullptr;  ///< kind == route
  std::string_view pattern;               ///< the matched pattern, log form; "" when not found
  std::string allow;                      ///< the path's methods ("GET, PUT, DELETE")
  std::vector<std::string_view> raw_params;  ///< the parameter segments, views into the path
};

class router {
 public:
  /// Compiles `app`'s routes (which must outlive the router). Errors: invalid_argument for a
  /// pattern that does not start with '/', has an empty segment, an unnamed parameter or an
  /// unknown type suffix.
  [[nodiscard]] static result<router> compile(const app_spec& app);
  /// Matches `method` and `path`; the views in the match point into `path`.
  [[nodiscard]] match find(std::string_view method, std::string_view path) const;
  [[nodiscard]] const std::vector<compiled_route>& routes() const noexcept { return routes_; }
  [[nodiscard]] const app_spec& app() const noexcept { return *app_; }

 private:
  const app_spec* app_ = nullptr;
  std::vector<compiled_route> routes_;
};

/// A typed path parameter value.
struct path_value {
  std::string_view name;
  std::string text;          ///< percent-decoded segment
  std::int32_t number = 0;   ///< int32 / id parameters
};

/// Parses the raw segments of `m` by their declared types; nullopt when one does not parse
/// (the caller answers 404).
[[nodiscard]] std::optional<std::vector<path_value>> parse_path_params(const match& m);

/// The id in `segment`: ASCII digits only, value 1..2147483647; else std::nullopt.
[[nodiscard]] std::optional<std::int32_t> parse_id(std::string_view segment);
/// An int32 in `segment`: optional '-', ASCII digits, in range; else std::nullopt.
[[nodiscard]] std::optional<std::int32_t> parse_int32(std::string_view segment);

/// Splits "/p?q" into {"/p", "q"}.
[[nodiscard]] std::pair<std::string_view, std::string_view> split_target(std::string_view target);

/// One decoded query parameter (percent-decoding, '+' as space). Bytes are as sent: callers
/// check UTF-8 and NUL.
struct query_param {
  std::string name, value;
};
/// Decodes "a=1&b=x%20y". A malformed escape keeps the '%' literally.
[[nodiscard]] std::vector<query_param> parse_query(std::string_view query);

/// The last value of `name`, or std::nullopt.
[[nodiscard]] std::optional<std::string> find_param(const std::vector<query_param>& params,
                                                    std::string_view name);

}  // namespace edgefn::api
