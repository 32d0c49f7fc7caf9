#pragma once
// The studio's statements over any app table, from its runtime description (db::table_info):
// identifiers come only from the schema (quoted), every value is a bind parameter.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "db/table.h"
#include "db/validate.h"
#include "neon/request.h"

namespace edgefn::studio {

/// A filter's comparison ("eq", "ne", "lt", "le", "gt", "ge", "contains", "null", "notnull").
/// `contains` is a case-insensitive substring match on the column's text; `null`/`notnull`
/// take no value; the others compare with a value Postgres parses as the column's type.
struct filter {
  const db::column_info* column = nullptr;
  std::string op;
  std::string value;
};

/// One page of a table.
struct page_request {
  const db::table_info* table = nullptr;
  std::vector<filter> filters;
  const db::column_info* sort = nullptr;  ///< nullptr: primary key order
  bool descending = false;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

/// True when `op` is a known filter operator.
[[nodiscard]] bool known_op(std::string_view op) noexcept;

/// The page's rows, every column in declaration order (limit and offset as parameters).
[[nodiscard]] neon::query select_page(const page_request& r);
/// The number of rows matching the page's filters (`select count(*)`).
[[nodiscard]] neon::query count_rows(const page_request& r);

/// The table's primary key: its primary_key columns (empty when it has none).
[[nodiscard]] std::vector<const db::column_info*> key_columns(const db::table_info& t);

/// One key column's value (Postgres text), identifying the row to change.
struct key_value {
  const db::column_info* column = nullptr;
  std::string value;
};

/// `insert into t (given columns) values (...) returning *` from validated cells (one per
/// column of `t`; absent cells are left to their defaults).
[[nodiscard]] neon::query insert_row(const db::table_info& t, const std::vector<db::cell>& cells);
/// `update t set (given columns) where key returning *`. Errors: invalid_argument when no
/// cell is given or `key` is empty (never a statement that touches every row).
[[nodiscard]] result<neon::query> update_row(const db::table_info& t, const std::vector<db::cell>& cells,
                                             std::span<const key_value> key);
/// `delete from t where key returning *`. Errors: invalid_argument when `key` is empty.
[[nodiscard]] result<neon::query> delete_row(const db::table_info& t, std::span<const key_value> key);

}  // namespace edgefn::studio
