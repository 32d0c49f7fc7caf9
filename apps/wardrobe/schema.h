#pragma once
// The wardrobe schema: the `items` table, as the drizzle schema declares it:
//
//   export const items = pgTable("items", {
//     id: serial("id").primaryKey(),
//     userId: text("user_id").notNull(),
//     name: varchar("name", { length: 256 }),
//     size: varchar("size", { length: 256 }),
//     type: varchar("type", { length: 256 }),
//     color: varchar("color", { length: 256 }),
//     createdAt: timestamp("created_at").defaultNow(),   // timestamp WITHOUT time zone
//     imageUrl: text("image_url").notNull(),
//   }, (t) => [index("name_idx").on(t.userId)]);
//
// name/size/type/color and created_at are nullable (not marked notNull there).
// Also here: the fixed-shape statements of the wardrobe API (SQL text built once, params per
// request) and the migration history 0000 -> 0002.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "db/model.h"
#include "db/query.h"
#include "db/row.h"
#include "db/statement.h"
#include "db/validate.h"

namespace edgefn::wardrobe {

/// One row of `items`.
struct item {
  std::int32_t id = 0;
  std::string user_id;
  std::optional<std::string> name, size, type, color;
  std::optional<neon::timestamp> created_at;
  std::string image_url;
};

struct items_table {
  using row = item;
  static constexpr std::string_view name = "items";
  static constexpr auto id = db::serial<&item::id>(name, "id").primary_key();
  static constexpr auto user_id = db::text<&item::user_id>(name, "user_id");
  static constexpr auto item_name = db::varchar<&item::name>(name, "name", 256);
  static constexpr auto size = db::varchar<&item::size>(name, "size", 256);
  static constexpr auto type = db::varchar<&item::type>(name, "type", 256);
  static constexpr auto color = db::varchar<&item::color>(name, "color", 256);
  static constexpr auto created_at = db::timestamp<&item::created_at>(name, "created_at").default_now();
  static constexpr auto image_url = db::text<&item::image_url>(name, "image_url");
  static constexpr auto columns = std::tuple{id, user_id, item_name, size, type, color, created_at, image_url};
  static constexpr std::array indexes{db::index("name_idx").on(user_id)};
};

/// The schema model of the current C++ schema.
/// The app's tables, listed once: schema() and the studio (`db studio`) read this list.
using all_tables = db::table_list<items_table>;

[[nodiscard]] db::schema_model schema();

/// The schema after each migration: [0] 0000 (id, user_id, name, size, type, color + name_idx),
/// [1] 0001 (+ created_at), [2] 0002 (+ image_url) == schema().
[[nodiscard]] std::vector<db::schema_model> history();

// ---- the API's statements. Each SQL text is built once (function-local static); the
// ---- functions only attach the request's parameters. Reads and writes come from the builder.

/// GET /api/wardrobe's first page: the user's items, newest first, at most 100.
[[nodiscard]] db::statement list_items(std::string_view user_id);
/// GET /api/wardrobe/total-items: `select count(*) from "items" where "items"."user_id" = $1`.
[[nodiscard]] db::statement count_items(std::string_view user_id);
/// GET /api/wardrobe/:id (only the owner's item).
[[nodiscard]] db::statement get_item(std::int32_t id, std::string_view user_id);
/// DELETE /api/wardrobe/:id, returning the deleted row (its image_url names the object to delete).
[[nodiscard]] db::statement delete_item(std::int32_t id, std::string_view user_id);

/// Columns the body may not set (server-set): id, user_id, created_at.
inline constexpr std::array<std::string_view, 3> server_set{"id", "user_id", "created_at"};

/// POST /api/wardrobe: the body may set name, size, type, color, imageUrl; id, userId and
/// createdAt are server-set (rejected as unknown fields).
[[nodiscard]] db::validation_result<db::values<items_table>> parse_create(const padded_buffer& body);
/// PUT /api/wardrobe/:id: the same fields, all optional, at least one.
[[nodiscard]] db::validation_result<db::values<items_table>> parse_update(const padded_buffer& body);

/// The insert for a validated body, owned by `user_id`, returning the created row.
[[nodiscard]] result<db::statement> create_item(db::values<items_table> values, std::string_view user_id);
/// The update of the owner's item with a validated body, returning the updated row.
[[nodiscard]] result<db::statement> update_item(const db::values<items_table>& values, std::int32_t id,
                                                std::string_view user_id);

/// Rows of a select/returning of all columns, found by column name.
[[nodiscard]] neon::result<std::vector<item>> decode_items(const neon::result_set& rs);
/// An item as Drizzle returns it: {"id":1,"userId":"kp_1",...,"createdAt":"2024-...Z","imageUrl":...}.
[[nodiscard]] std::string to_json(const item& it);
/// Items as a JSON array.
[[nodiscard]] std::string to_json(const std::vector<item>& items);

}  // namespace edgefn::wardrobe
