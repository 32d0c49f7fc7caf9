#pragma once
// Writing drizzle-kit 1.0's snapshot format 9 (the pg `snapshot.json` of the folder layout), as
// drizzle-kit 1.0.0-rc.5 `generate` writes it: the first migration of a folder gets a "base"
// snapshot listing every DDL entity (`ddl`, prevIds = [origin]); each later one a "diff"
// snapshot with the create/drop/alter `deltas` from its parent's state. Both carry the
// `footprints` drizzle-kit's branch-conflict check reads (one per DDL statement: what it writes
// and reads; idempotent statements add `sqlHash`, a hash of drizzle-kit 1.0's SQL for it).
//
// The entities are those the schema model holds (tables, enums, columns, indexes, foreign keys,
// primary keys, unique and check constraints), mapped as snapshot9.h maps them back, so a
// written snapshot reconstructs to the model it was written from. Renames come out as drop +
// create (db::diff does the same). The model has no `nameExplicit`: a name equal to drizzle-kit's
// default (1.0's or 0.x's) counts as implicit. Not covered (as in db::diff): schemas other than
// public (no `schemas` entity is written) and enum value removal (drizzle-kit's recreate_enum).

#include <string>
#include <string_view>

#include "db/model.h"

namespace edgefn::migrate {

/// A base snapshot of `schema` (the folder's first migration). `id` is a fresh UUID.
[[nodiscard]] std::string base_snapshot9_json(const db::schema_model& schema, std::string_view id);

/// A diff snapshot from `prev` (the state of snapshot `prev_id`) to `cur`.
[[nodiscard]] std::string diff_snapshot9_json(const db::schema_model& prev, const db::schema_model& cur,
                                              std::string_view id, std::string_view prev_id);

}  // namespace edgefn::migrate
