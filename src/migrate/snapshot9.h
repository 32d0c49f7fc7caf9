#pragma once
// Reading drizzle-kit 1.0's snapshot format 9 (the pg `snapshot.json` of the folder layout): a
// "base" snapshot lists every DDL entity (`ddl`), a "diff" snapshot the changes from its first
// parent (`deltas`: create a row, drop / alter / rename a row by its key "<entityType>\0<JSON
// identity>"; a rename carries over to the rows pointing at it, as drizzle-kit's ddl.rename does).
// The state of a snapshot is its base with every diff on the way applied in order, as
// drizzle-kit's reconstruct() does; it is then mapped onto the schema model that a format 7
// snapshot of the same schema parses to, so `db generate` and `db check` diff it the same way.
//
// Not supported (errc::unsupported, saying so): merge snapshots (several prevIds), schema
// renames, and `alter` deltas that change an entity's name, table or schema.
// Entities the model does not hold (roles, policies, sequences, views, privileges) are skipped.

#include <span>
#include <string_view>

#include "base/result.h"
#include "db/model.h"
#include "migrate/migration.h"

namespace edgefn::migrate {

/// True when `text` is a format 9 snapshot ("version": "9").
[[nodiscard]] bool is_format9(std::string_view text);

/// The schema of snapshot `id` among the folder's `snapshots` (each a "<folder>/snapshot.json").
/// Errors: parse_error (malformed JSON or entity), invalid_argument (a parent missing, a delta
/// naming no row), unsupported (see above).
[[nodiscard]] result<db::schema_model> reconstruct_format9(std::span<const source_file> snapshots,
                                                           std::string_view id);

}  // namespace edgefn::migrate
