#pragma once
// Request input of the wardrobe routes beyond the framework's body validation: the imageUrl
// rules, keyset cursors and the list's query parameters.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "api/errors.h"
#include "exchange/action.h"
#include "neon/values.h"
#include "wardrobe/schema.h"

namespace edgefn::wardrobe {

using item_values = db::values<items_table>;

/// The wardrobe's own body rules, reported with the framework's field errors: imageUrl is
/// required on create, an absolute http(s) URL of at most 2048 characters, and on `base_url`
/// (the image bucket's public base URL, APP_IMAGES_BASE_URL) when that is set.
[[nodiscard]] api::field_errors image_url_checks(const item_values& v, bool create,
                                                 const std::string* base_url = nullptr);

/// True when `url` is on `base` ("https://cdn.example/b" holds ".../b/x" but not ".../bx", nor
/// ".../b/../x" or ".../b/%2e%2e/x", which leave it).
[[nodiscard]] bool is_under(std::string_view url, std::string_view base);

/// Whose image an item's URL names: the object key to delete when it is `user`'s, else
/// nullopt. The key is the URL's path (or, with `base_url`, the part after it),
/// percent-decoded, and must start with `owner_prefix` with "{sub}" replaced by `user`
/// (APP_IMAGES_OWNER_PREFIX, default "users/{sub}/"), in which '%' and '/' are written "%25"
/// and "%2F" (the sub "a/b" owns users/a%2Fb/..., not user "a"'s users/a/b/...): user B's item
/// cannot name user A's object.
[[nodiscard]] std::optional<std::string> owned_object_key(std::string_view url, const std::string& user,
                                                          const std::string* base_url,
                                                          const std::string* owner_prefix);

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
