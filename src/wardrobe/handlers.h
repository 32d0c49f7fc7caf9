#pragma once
// The wardrobe API's handlers: each is a coroutine serving one route for one authenticated
// user, with exactly ONE SQL action (one Neon round trip): ownership checks are part of the
// statement (`... where id = $1 and user_id = $2 returning ...`).
//
// Pools (the core decides; the host implements them):
//
//   route                            pool    cacheable  why
//   GET    /api/wardrobe             cached  yes        a read that tolerates staleness; the
//                                                       host drops it when this function
//                                                       writes `items` (reads: items)
//   GET    /api/wardrobe/total-items cached  yes        same (reads: items)
//   GET    /api/wardrobe/:id         cached  yes        same (reads: items)
//   POST   /api/wardrobe             direct  no         a write (writes: items); the response
//                                                       comes from RETURNING, so the read
//                                                       after the write is the write itself
//   PUT    /api/wardrobe/:id         direct  no         a write (writes: items), RETURNING
//   DELETE /api/wardrobe/:id         direct  no         a write (writes: items), RETURNING
//
// Writes name `items` in `writes`, so a host's cached reads of `items` are invalidated: a GET
// after a write through this function never sees the pre-write row (Hyperdrive does not do this).
//
// Parameters are taken by value (they live in the coroutine frame); `ctx` outlives the call.

#include <cstdint>
#include <string>

#include "exchange/context.h"
#include "exchange/task.h"

namespace edgefn::wardrobe {

using exchange::context;
using exchange::response;
using exchange::task;

/// GET /api/wardrobe?limit=&cursor=&type=&color=&size= -> 200 {"items":[...],"nextCursor"?}.
/// 400 validation_failed for a bad limit (not 1..100) or cursor.
[[nodiscard]] task<response> list_items(context& ctx, std::string user_id);
/// POST /api/wardrobe -> 201 + Location, or 400/415.
[[nodiscard]] task<response> create_item(context& ctx, std::string user_id);
/// GET /api/wardrobe/total-items -> 200 {"total":n}.
[[nodiscard]] task<response> total_items(context& ctx, std::string user_id);
/// GET /api/wardrobe/:id -> 200 item, or 404.
[[nodiscard]] task<response> get_item(context& ctx, std::string user_id, std::int32_t id);
/// PUT /api/wardrobe/:id (partial update) -> 200 item, or 400/404/415.
[[nodiscard]] task<response> update_item(context& ctx, std::string user_id, std::int32_t id);
/// DELETE /api/wardrobe/:id -> 200 the deleted item (then its image object is deleted; a
/// failed object delete is logged and changes nothing), or 404.
[[nodiscard]] task<response> delete_item(context& ctx, std::string user_id, std::int32_t id);

/// The object key of an image URL: its path without the leading '/', percent-decoded ("" when
/// there is none). It may be unsafe: check it with is_safe_object_key before use.
[[nodiscard]] std::string object_key(std::string_view image_url);

/// False for a key no bucket should be asked to delete: empty, absolute, with NUL or '\', or
/// with an empty, "." or ".." segment (a local directory bucket would leave its folder, and an
/// R2/S3 key "../x" names another object than the URL's path suggests). DELETE logs such a key
/// and sends no delete action; hosts use the same check.
[[nodiscard]] bool is_safe_object_key(std::string_view key) noexcept;

}  // namespace edgefn::wardrobe
