#include "wardrobe/app.h"

#include "api/entry.h"
#include "wardrobe/handlers.h"
#include "wardrobe/schema.h"

namespace edgefn::wardrobe {
namespace {

using api::auth_mode;
using exchange::pool;

constexpr api::table_doc k_item = api::table_of<items_table>("Item");
constexpr api::body_def k_create{k_item, db::body_mode::insert, server_set};
constexpr api::body_def k_update{k_item, db::body_mode::update, server_set};

constexpr api::query_param_def k_list_query[] = {
    {"limit", R"({"type":"integer","minimum":1,"maximum":100,"default":100})"},
    {"cursor", R"({"type":"string"})", "opaque: the nextCursor of the previous page"},
    {"type", R"({"type":"string"})", "exact match"},
    {"color", R"({"type":"string"})", "exact match"},
    {"size", R"({"type":"string"})", "exact match"},
};

constexpr api::response_def k_page{200, "a page of items, newest first", api::response_shape::rows_in, k_item,
                                   "items", R"("nextCursor":{"type":"string","description":"present when there are more items"})"};
constexpr api::response_def k_total{200, "how many items the user has", api::response_shape::custom, {}, {},
                                    R"({"type":"object","properties":{"total":{"type":"integer"}},"required":["total"]})"};

constexpr api::route_def k_routes[] = {
    {.method = "GET", .path = "/api/wardrobe", .auth = auth_mode::required, .pool = pool::cached,
     .handler = list_items, .operation_id = "listItems",
     .summary = "The user's items, newest first (created_at desc, id desc)", .response = k_page,
     .query = k_list_query},
    {.method = "POST", .path = "/api/wardrobe", .auth = auth_mode::required, .pool = pool::direct,
     .handler = create_item, .operation_id = "createItem", .summary = "Create an item", .body = k_create,
     .response = api::row_of<items_table>("Item", 201, "the created item (Location: /api/wardrobe/{id})")},
    {.method = "GET", .path = "/api/wardrobe/total-items", .auth = auth_mode::required, .pool = pool::cached,
     .handler = total_items, .operation_id = "totalItems", .summary = "How many items the user has",
     .response = k_total},
    // Replica-safe: with DATABASE_URL_READ its cache misses go to the replica, and a request
    // carrying a bookmark is answered by the replica once it has replayed past the bookmark
    // (else by the primary).
    {.method = "GET", .path = "/api/wardrobe/:id{id}", .auth = auth_mode::required, .pool = pool::cached,
     .replica = true, .handler = get_item, .not_found = "item not found", .operation_id = "getItem", .summary = "One of the user's items",
     .response = api::row_of<items_table>("Item")},
    {.method = "PUT", .path = "/api/wardrobe/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = update_item, .not_found = "item not found", .operation_id = "updateItem",
     .summary = "Partial update of name, size, type, color, imageUrl", .body = k_update,
     .response = api::row_of<items_table>("Item", 200, "the updated item")},
    {.method = "DELETE", .path = "/api/wardrobe/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = delete_item, .not_found = "item not found", .operation_id = "deleteItem", .summary = "Delete the item, then its image object",
     .response = api::row_of<items_table>("Item", 200, "the deleted item")},
};

constexpr api::app_spec k_app{
    .title = "edgefn wardrobe API",
    .version = "1.0.0",
    .description = "Every /api/wardrobe route acts for the authenticated user (the JWT's sub) only. Errors use "
                   "{\"error\":{\"code\",\"message\",\"fields\"?}}; every response carries X-Request-Id.",
    .routes = k_routes,
};

}  // namespace

const api::app_spec& app() { return k_app; }

}  // namespace edgefn::wardrobe

namespace edgefn::api {
const app_spec& app_entry() { return wardrobe::app(); }
}  // namespace edgefn::api
