#pragma once
// Routing: the request-target split into path and query, matched against the API's routes.
//
//   GET /healthz                         health (no auth, no DB)
//   GET /api/openapi.json                the OpenAPI document (no auth)
//   GET|POST /api/wardrobe               list / create
//   GET /api/wardrobe/total-items        count
//   GET|PUT|DELETE /api/wardrobe/:id     one item (any single segment matches the shape; a
//                                        segment that is not an id in 1..2^31-1 is a 404 after
//                                        authentication, exactly like a missing item)
// Paths match exactly (no trailing-slash folding). Other paths: route::not_found.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgefn::api {

enum class route : std::uint8_t {
  healthz, openapi, list_items, create_item, total_items, get_item, update_item, delete_item,
  not_found,          ///< no route has this path
  method_not_allowed  ///< the path exists, the method does not (see match::allow)
};

struct match {
  route id = route::not_found;
  std::string_view pattern;  ///< "/api/wardrobe/:id" (for logs); "" when not found
  std::string_view allow;    ///< the path's methods ("GET, PUT, DELETE")
  std::string item_segment;  ///< the raw :id segment
};

/// Matches `method` and `path` (no query string).
[[nodiscard]] match match_route(std::string_view method, std::string_view path);

/// The item id in `segment`: ASCII digits only, value 1..2147483647; else std::nullopt.
[[nodiscard]] std::optional<std::int32_t> parse_item_id(std::string_view segment);

/// Splits "/p?q" into {"/p", "q"}.
[[nodiscard]] std::pair<std::string_view, std::string_view> split_target(std::string_view target);

/// One decoded query parameter (percent-decoding, '+' as space). Bytes are as sent: callers
/// check UTF-8 and NUL.
struct query_param {
  std::string name, value;
};
/// Decodes "a=1&b=x%20y". A malformed escape keeps the '%' literally.
[[nodiscard]] std::vector<query_param> parse_query(std::string_view query);

/// Decodes %XX escapes ('+' becomes a space only when `plus_as_space`, as in query strings).
/// A malformed escape keeps the '%' literally.
[[nodiscard]] std::string percent_decode(std::string_view s, bool plus_as_space);

/// The last value of `name`, or std::nullopt.
[[nodiscard]] std::optional<std::string> find_param(const std::vector<query_param>& params,
                                                    std::string_view name);

}  // namespace edgefn::api
