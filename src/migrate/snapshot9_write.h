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
// written snapshot reconstructs to the model it was written from. Renames are the caller's
// hints (renames.h), written as drizzle-kit's `rename` deltas; without hints a rename is a drop +
// create. `nameExplicit` is the model's name_explicit when known (C++ schemas, format 9
// histories); otherwise a name equal to drizzle-kit's default (1.0's or 0.x's) counts as
// implicit. An enum that loses values gets drizzle-kit's recreate_enum footprint. Not covered
// (as in db::diff): schemas other than public (no `schemas` entity is written).

#include <string>
#include <string_view>

#include "db/model.h"
#include "migrate/renames.h"

namespace edgefn::migrate {

/// A base snapshot of `schema` (the folder's first migration). `id` is a fresh UUID.
[[nodiscard]] std::string base_snapshot9_json(const db::schema_model& schema, std::string_view id);

/// A diff snapshot from `prev` (the state of snapshot `prev_id`, with `renames` already applied:
/// renames.h apply_renames) to `cur`. The renames come first, as drizzle-kit's `rename` deltas
/// (key by the old name, `set: {name}`) and rename_table / rename_column footprints.
[[nodiscard]] std::string diff_snapshot9_json(const db::schema_model& prev, const db::schema_model& cur,
                                              std::string_view id, std::string_view prev_id,
                                              const rename_plan& renames = {});

}  // namespace edgefn::migrate
