#include "src/schema.h"

namespace {{name}} {

using t = notes_table;

db::schema_model schema() { return all_tables::model(); }

db::statement list_notes(std::int64_t limit) {
  return db::select<notes_table>().order_by(db::desc(t::created_at), db::desc(t::id)).limit(limit).build();
}

db::statement get_note(std::int32_t id) { return db::select<notes_table>().where(db::eq(t::id, id)).build(); }

edgefn::result<db::statement> create_note(const db::values<notes_table>& values) {
  return db::insert<notes_table>(values).returning(db::all_columns<notes_table>()).build();
}

edgefn::result<db::statement> update_note(const db::values<notes_table>& values, std::int32_t id) {
  return db::update<notes_table>(values).where(db::eq(t::id, id)).returning(db::all_columns<notes_table>()).build();
}

db::statement delete_note(std::int32_t id) {
  return db::delete_from<notes_table>().where(db::eq(t::id, id)).returning(db::all_columns<notes_table>()).build();
}

}  // namespace {{name}}
