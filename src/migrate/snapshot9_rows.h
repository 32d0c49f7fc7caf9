#pragma once
// Internal to snapshot9_write.cpp (entities, deltas) and snapshot9_footprints.cpp: a format 9
// DDL entity as edgefn maps it from the schema model, and one difference between two states.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_tree.h"
#include "db/model.h"

namespace edgefn::migrate::s9 {

using json::jv;
using strings = std::vector<std::string>;

// One DDL entity as drizzle-kit 1.0 lists it, with what its statements' footprints need.
struct row {
  std::string type, schema, table, name;
  jv fields;                                  // the entity object, entityType last
  const db::table_model* owner = nullptr;     // the table it belongs to (tables: itself)
  const db::column_model* column = nullptr;
  const db::index_model* index = nullptr;
  strings columns, columns_to;                // pks, uniques, fks (to: fks)
  std::string schema_to, table_to;            // fks
  std::string base_type, type_schema, value;  // columns: type without "[]"; checks: value
  int dimensions = 0;
  bool name_explicit = false, unique = false, nulls_not_distinct = false;
  std::string on_delete, on_update;           // fks, upper case
  strings values;                             // enums

  [[nodiscard]] std::string key() const {
    strings id{schema};
    if (type != "tables" && type != "enums" && type != "indexes") id.push_back(table);
    id.push_back(name);
    return type + '\0' + json::compact(jv::strings(id));
  }
};

/// One entity difference, as drizzle-kit's delta() lists them: created, dropped or altered.
struct change {
  const row* from = nullptr;  // null: created
  const row* to = nullptr;    // null: dropped
  strings fields;             // altered fields
};

[[nodiscard]] inline bool changed(const change& c, std::string_view f) {
  return std::find(c.fields.begin(), c.fields.end(), f) != c.fields.end();
}

[[nodiscard]] inline std::string join(const strings& xs, std::string_view sep) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : std::string(sep)) + x;
  return out;
}

/// A rename applied before the diff: a table (`table` empty) or a column of `table` (its new name).
struct renamed {
  std::string schema, table, from, to;
};

/// The `footprints` drizzle-kit writes for the statements turning `prev` into `cur` (`changes`
/// = their differences, in delta order; `renames` = the renames `prev` already has applied):
/// one per statement, in drizzle-kit's statement order.
[[nodiscard]] jv footprints_json(const std::vector<row>& prev, const std::vector<row>& cur,
                                 const std::vector<change>& changes, const std::vector<renamed>& renames = {});

}  // namespace edgefn::migrate::s9
