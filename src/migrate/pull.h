#pragma once
// `db pull`: a live schema model (introspect.h) written as C++ schema declarations, the way
// drizzle-kit pull writes schema.ts: one row struct and one table struct per table (columns
// with their type, NOT NULL, default, primary key and foreign key), indexes, unique and check
// constraints, composite primary keys and enums, plus `schema()` returning their model. The
// header compiles on its own (it includes db/model.h) and its model diffs empty against the
// database it was pulled from, for everything the C++ schema layer can declare.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "db/model.h"

namespace edgefn::migrate {

struct pulled_schema {
  std::string header;              ///< the C++ header text
  std::vector<std::string> notes;  ///< what could not be declared, one sentence each (left out)
};

/// The header for `live` in namespace `ns` (a C++ namespace name, "a::b" allowed). Tables are
/// ordered so that a foreign key's target is declared first. Left out, with a note: columns of
/// types the schema layer lacks (the header then fails no compile, but the table is partial),
/// foreign keys over several columns, with a non-default name, or in a cycle; indexes on
/// expressions, in descending order, with NULLS FIRST or another method than btree; unique
/// constraints with NULLS NOT DISTINCT. Errors: invalid_argument for an invalid `ns`.
[[nodiscard]] result<pulled_schema> pull_header(const db::schema_model& live, std::string_view ns);

}  // namespace edgefn::migrate
