#pragma once
// Reading a live database's `public` schema back into a db::schema_model (through ordinary
// pg_catalog queries sent as one read-only Neon batch), and describing, in words, how two
// models differ (`edgefn db check`). Covered: tables, columns (drizzle-kit type text, NOT NULL,
// default, single-column primary key), indexes that are not constraints (columns or
// expressions, order, nulls, unique, method), foreign keys (columns, target, actions), unique
// constraints (NULLS NOT DISTINCT), check constraints, composite primary keys, enums.
// Not covered: partial-index predicates, index storage options, schemas other than public.

#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "db/model.h"
#include "neon/request.h"
#include "neon/result_set.h"

namespace edgefn::migrate {

/// The introspection batch: [0] columns, [1] indexes, [2] enum labels, [3] constraints. Run
/// it read-only.
[[nodiscard]] std::vector<neon::query> introspect_batch();

/// Builds the live model from the four results of introspect_batch, mapping Postgres types to
/// drizzle-kit's type text ("character varying(256)" -> "varchar(256)", integer with a nextval
/// default -> "serial", "timestamp without time zone" -> "timestamp", "numeric(10,2)" ->
/// "numeric(10, 2)") and defaults to drizzle's text ("'x'::text" -> "'x'"). Tables are in name
/// order. Errors: parse_error when a result has fewer columns than expected.
[[nodiscard]] result<db::schema_model> live_model(std::span<const neon::result_set> results);

/// Every difference between `expected` (the C++ schema) and `actual` (the database), one
/// sentence each, e.g. "column notes.extra exists in the database but not in the schema",
/// "index notes_owner_idx on notes is missing in the database". Empty when they match.
[[nodiscard]] std::vector<std::string> describe_drift(const db::schema_model& expected,
                                                      const db::schema_model& actual);

}  // namespace edgefn::migrate
