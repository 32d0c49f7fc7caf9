#pragma once
// Scriptable renames for `db generate` (`--rename table.old=new`, `--rename old_table=new_table`):
// what drizzle-kit asks interactively ("created or renamed from another table/column?"). The
// hints are checked against the newest snapshot (the previous schema) and the C++ schema (the
// current one), then applied to the previous schema before db::diff, so the table or column is
// renamed in place (its rows kept) instead of dropped and created. The rename statements are
// drizzle-kit's (`ALTER TABLE "a" RENAME TO "b";`, `ALTER TABLE "t" RENAME COLUMN "a" TO "b";`),
// placed by db::diff where drizzle-kit 0.x puts them.
//
// What else a rename touches follows the drizzle-kit that owns the folder. drizzle-kit 0.31
// (journal layout) renames only the table or column: its indexes, keys, unique constraints and
// foreign keys still name the old table/column, so it drops and recreates them (no data is
// lost). drizzle-kit 1.0 (folder layout, format 9) carries the rename over to them (ddl.rename),
// so only those whose name or definition really changes are recreated.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "db/model.h"

namespace edgefn::migrate {

/// One `--rename` flag as written: a table rename ("old=new", `column` empty) or a column rename
/// ("table.old=new"; `table` is the table's previous name or, for a renamed table, its new one).
struct rename_hint {
  std::string table;   ///< the table (column rename) or the table's old name (table rename)
  std::string column;  ///< the column's old name; "" for a table rename
  std::string to;      ///< the new name
};

/// Parses one flag value. Errors (invalid_argument, naming the value): no '=', an empty name,
/// more than one '.' before '=', a '.' after '='.
[[nodiscard]] result<rename_hint> parse_rename(std::string_view text);

/// Which drizzle-kit's behaviour to follow (the one that owns the migrations folder).
enum class rename_style {
  kit0,  ///< drizzle-kit 0.31 (journal layout): only the table/column is renamed; its indexes and
         ///< constraints are recreated. Column renames ordered by the previous snapshot's tables.
  kit1,  ///< drizzle-kit 1.0 (folder layout): index, key, unique and foreign key references follow
         ///< the rename. Column renames ordered by their table's new name.
};

/// Renames checked against both schemas, in drizzle-kit's order: tables by new name, then columns
/// (by table as `rename_style` says, then as in the current schema).
struct rename_plan {
  struct table_rename {
    std::string from, to;
  };
  struct column_rename {
    std::string table;  ///< the table's new name (as in the current schema)
    std::string from, to;
  };
  std::vector<table_rename> tables;
  std::vector<column_rename> columns;
  [[nodiscard]] bool empty() const noexcept { return tables.empty() && columns.empty(); }
};

/// Checks `hints` against `prev` (the newest snapshot) and `cur` (the C++ schema). Errors
/// (invalid_argument, one line naming the flag): a table/column not in the previous snapshot,
/// a new name not in the current schema, an old name still in the current schema, a new name
/// already in the previous snapshot, the same table/column renamed twice or two renames to the
/// same name.
[[nodiscard]] result<rename_plan> plan_renames(std::span<const rename_hint> hints, const db::schema_model& prev,
                                               const db::schema_model& cur, rename_style style);

/// `prev` with the plan applied (see rename_style). Constraint names and check conditions are
/// kept in both styles (Postgres keeps them on a rename); db::diff replaces those the current
/// schema names or writes differently.
[[nodiscard]] db::schema_model apply_renames(const db::schema_model& prev, const rename_plan& plan,
                                             rename_style style);

/// drizzle-kit's statements for the plan: table renames, then column renames.
[[nodiscard]] std::vector<std::string> rename_statements(const rename_plan& plan);

}  // namespace edgefn::migrate
