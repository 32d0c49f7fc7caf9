#pragma once
// The {{name}} schema: one example table, `notes`, as a drizzle schema would declare it:
//
//   export const notes = pgTable("notes", {
//     id: serial("id").primaryKey(),
//     title: varchar("title", { length: 256 }).notNull(),
//     body: text("body"),
//     done: boolean("done").notNull().default(false),
//     createdAt: timestamp("created_at").notNull().defaultNow(),
//   });
//
// Change the table here, then `make migration NAME=what_changed` writes the next migration
// (drizzle-kit layout) into migrations/. Nullable columns are std::optional members.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "db/model.h"
#include "db/query.h"
#include "db/statement.h"

namespace {{name}} {

namespace db = edgefn::db;
namespace neon = edgefn::neon;

/// One row of `notes`.
struct note {
  std::int32_t id = 0;
  std::string title;
  std::optional<std::string> body;
  bool done = false;
  neon::timestamp created_at;
};

struct notes_table {
  using row = note;
  static constexpr std::string_view name = "notes";
  static constexpr auto id = db::serial<&note::id>(name, "id").primary_key();
  static constexpr auto title = db::varchar<&note::title>(name, "title", 256);
  static constexpr auto body = db::text<&note::body>(name, "body");
  static constexpr auto done = db::boolean<&note::done>(name, "done").default_literal("false");
  static constexpr auto created_at = db::timestamp<&note::created_at>(name, "created_at").default_now();
  static constexpr auto columns = std::tuple{id, title, body, done, created_at};
};

/// Columns a request body may not set (server-set): sending them is a 400 "unknown field".
inline constexpr std::array<std::string_view, 2> server_set{"id", "created_at"};

/// The schema model of the C++ tables (what `db generate` diffs against the last snapshot).
/// The app's tables, listed once: schema() and the studio (`db studio`) read this list.
using all_tables = db::table_list<notes_table>;

[[nodiscard]] db::schema_model schema();

// ---- statements: built with the query builder, so each names the tables it reads and writes
// ---- (a write drops the cached reads of its table).

/// The newest notes first (created_at desc, id desc), at most `limit`.
[[nodiscard]] db::statement list_notes(std::int64_t limit);
/// One note by id.
[[nodiscard]] db::statement get_note(std::int32_t id);
/// Insert a validated body, returning the row.
[[nodiscard]] edgefn::result<db::statement> create_note(const db::values<notes_table>& values);
/// Update the fields a validated body sets, returning the row (no row: not found).
[[nodiscard]] edgefn::result<db::statement> update_note(const db::values<notes_table>& values, std::int32_t id);
/// Delete by id, returning the deleted row (no row: not found).
[[nodiscard]] db::statement delete_note(std::int32_t id);

}  // namespace {{name}}
