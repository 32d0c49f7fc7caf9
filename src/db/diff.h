#pragma once
// Schema diff: the SQL statements drizzle-kit 0.31 `generate` writes for a change from one schema
// model to another, in drizzle-kit's order and formatting. Objects are matched by name: a
// renamed table/column/enum comes out as drop + create unless the caller applied rename hints
// to `prev` and passes their statements (migrate/renames.h; drizzle-kit asks interactively).
// Covered: create/drop enum, enum add value, enum value removal (the enum recreated, its columns
// moved through text), create/drop table, add/drop column, column type, default and NOT NULL
// changes, add/drop index, foreign key and unique constraint, composite primary keys, check
// constraints. Not covered: column primary-key flips,
// schemas other than public, sequences, identity/generated columns, policies, views.

#include <span>
#include <string>
#include <vector>

#include "db/model.h"

namespace edgefn::db {

/// The statements turning `prev` into `cur` (empty when nothing changed). Each is exactly as
/// drizzle-kit formats it, e.g. `ALTER TABLE "notes" ADD COLUMN "created_at" timestamp DEFAULT now();`
/// (a CREATE TABLE ends with ");\n", a dropped foreign key with ";\n", as in drizzle-kit).
/// `renames` (ALTER TABLE ... RENAME statements, already applied to `prev`) go where drizzle-kit
/// 0.x puts them: after the created and dropped tables, before every other table change.
[[nodiscard]] std::vector<std::string> diff(const schema_model& prev, const schema_model& cur,
                                            std::span<const std::string> renames = {});

/// The migration file text: statements joined by "--> statement-breakpoint\n" (or "\n" without
/// breakpoints), no trailing newline added: byte-compatible with drizzle-kit's NNNN_tag.sql.
[[nodiscard]] std::string migration_sql(std::span<const std::string> statements, bool breakpoints = true);

}  // namespace edgefn::db
