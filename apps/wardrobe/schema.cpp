#include "wardrobe/schema.h"

#include <algorithm>

namespace edgefn::wardrobe {

using t = items_table;

db::schema_model schema() { return all_tables::model(); }

std::vector<db::schema_model> history() {
  auto without = [](db::schema_model s, std::initializer_list<std::string_view> dropped) {
    auto& cols = s.tables.front().columns;
    for (auto d : dropped)
      cols.erase(std::remove_if(cols.begin(), cols.end(), [d](const db::column_model& c) { return c.name == d; }),
                 cols.end());
    return s;
  };
  const db::schema_model now = schema();
  return {without(now, {"created_at", "image_url"}), without(now, {"image_url"}), now};
}

namespace {

std::vector<db::select_item> all() { return db::all_columns<items_table>(); }

db::condition owned(bool by_id) {
  auto user = db::eq(t::user_id, db::placeholder<std::string>{});
  if (!by_id) return user;
  return db::and_(db::eq(t::id, db::placeholder<std::int32_t>{}), user);
}

/// `shape` (built once) with this request's parameters.
db::statement with_params(const db::statement& shape, std::vector<neon::param> params) {
  db::statement s = shape;
  s.params = std::move(params);
  return s;
}

}  // namespace

db::statement list_items(std::string_view user_id) {
  static const db::statement shape = db::select<items_table>()
                                         .where(owned(false))
                                         .order_by(db::desc(t::created_at), db::desc(t::id))
                                         .limit(db::placeholder<std::int64_t>{})
                                         .build();
  return with_params(shape, {neon::param(user_id), neon::param(100)});
}

db::statement count_items(std::string_view user_id) {
  static const db::statement shape = db::select<items_table>(db::count()).where(owned(false)).build();
  return with_params(shape, {neon::param(user_id)});
}

db::statement get_item(std::int32_t id, std::string_view user_id) {
  static const db::statement shape = db::select<items_table>().where(owned(true)).build();
  return with_params(shape, {neon::param(id), neon::param(user_id)});
}

db::statement delete_item(std::int32_t id, std::string_view user_id) {
  static const db::statement shape = db::delete_from<items_table>().where(owned(true)).returning(all()).build();
  return with_params(shape, {neon::param(id), neon::param(user_id)});
}

result<db::statement> create_item(db::values<items_table> values, std::string_view user_id) {
  values[t::user_id] = std::string(user_id);
  return db::insert<items_table>(values).returning(all()).build();
}

result<db::statement> update_item(const db::values<items_table>& values, std::int32_t id,
                                  std::string_view user_id) {
  return db::update<items_table>(values)
      .where(db::and_(db::eq(t::id, id), db::eq(t::user_id, user_id)))
      .returning(all())
      .build();
}

db::validation_result<db::values<items_table>> parse_create(const padded_buffer& body) {
  return db::parse_insert<items_table>(body, {server_set});
}

db::validation_result<db::values<items_table>> parse_update(const padded_buffer& body) {
  return db::parse_update<items_table>(body, {server_set});
}

neon::result<std::vector<item>> decode_items(const neon::result_set& rs) {
  return db::decode_rows<items_table>(rs);
}

std::string to_json(const item& it) { return db::to_json<items_table>(it); }

std::string to_json(const std::vector<item>& items) { return db::to_json<items_table>(items); }

}  // namespace edgefn::wardrobe
