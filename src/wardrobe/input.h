#pragma once
// Request input of the wardrobe routes: JSON bodies (size, media type, UTF-8, the drizzle-zod
// style schema from wardrobe/schema.h plus the API's own rules) and list query parameters.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "exchange/action.h"
#include "neon/values.h"
#include "wardrobe/schema.h"

namespace edgefn::wardrobe {

using item_values = db::values<items_table>;
using input_result = basic_result<item_values, exchange::response>;

/// Validates a POST (create == true) or PUT body. Responses: 413 payload_too_large (over
/// 64 KiB), 415 unsupported_media_type (Content-Type not application/json; parameters such as
/// charset=utf-8 allowed), 400 invalid_json (not JSON, invalid UTF-8, raw NUL bytes), 400
/// validation_failed with fields (unknown fields, wrong types, over 256 characters, missing or
/// non-http(s)/relative/over-2048-character imageUrl, NUL characters via \u0000, no fields to
/// update).
[[nodiscard]] input_result parse_item_body(const exchange::request& req, bool create);

/// A keyset position: the last item's created_at (nullopt for NULL) and id.
struct cursor {
  std::optional<neon::timestamp> created_at;
  std::int32_t id = 0;
};
/// base64url("<created_at micros>.<id>"), or "n.<id>" when created_at is NULL.
[[nodiscard]] std::string encode_cursor(const cursor& c);
[[nodiscard]] std::optional<cursor> decode_cursor(std::string_view text);

struct list_params {
  std::int64_t limit = 100;
  std::optional<cursor> after;
  std::optional<std::string> type, color, size;
};
using list_params_result = basic_result<list_params, exchange::response>;

/// Reads ?limit=1..100 (default 100), ?cursor=, ?type=, ?color=, ?size= (exact matches).
/// 400 validation_failed with fields for a bad limit or cursor, or a filter with NUL bytes or
/// invalid UTF-8. Other parameters are ignored.
[[nodiscard]] list_params_result parse_list_params(std::string_view query);

}  // namespace edgefn::wardrobe
