#pragma once
// The wardrobe API's handlers: each is a coroutine serving one route for the authenticated user,
// with exactly ONE SQL action (one Neon round trip): ownership checks are part of the statement
// (`... where id = $1 and user_id = $2 returning ...`). The route table (wardrobe/app.cpp)
// puts reads on the `cached` pool and writes on `direct`; the statements name the tables they
// read and write, so a host's cached reads of `items` are dropped by writes through this app.

#include "api/app.h"

namespace edgefn::wardrobe {

using api::route_call;
using exchange::response;
using exchange::task;

/// GET /api/wardrobe?limit=&cursor=&type=&color=&size= -> 200 {"items":[...],"nextCursor"?}.
/// 400 validation_failed for a bad limit (not 1..100) or cursor.
[[nodiscard]] task<response> list_items(route_call& call);
/// POST /api/wardrobe -> 201 + Location, or 400/413/415.
[[nodiscard]] task<response> create_item(route_call& call);
/// GET /api/wardrobe/total-items -> 200 {"total":n}.
[[nodiscard]] task<response> total_items(route_call& call);
/// GET /api/wardrobe/:id -> 200 item, or 404.
[[nodiscard]] task<response> get_item(route_call& call);
/// PUT /api/wardrobe/:id (partial update) -> 200 item, or 400/404/413/415.
[[nodiscard]] task<response> update_item(route_call& call);
/// DELETE /api/wardrobe/:id -> 200 the deleted item (then its image object is deleted; a
/// failed object delete is logged and changes nothing), or 404.
[[nodiscard]] task<response> delete_item(route_call& call);

}  // namespace edgefn::wardrobe
