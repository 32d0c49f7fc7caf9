#pragma once
// The runtime schema model: what a drizzle-kit snapshot records (tables, columns, indexes,
// foreign keys, composite primary keys, unique and check constraints, enums). Built from C++ tables
// (model_of) or parsed from a snapshot's JSON (snapshot.h); diffed by diff.h.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/table.h"

namespace edgefn::db {

struct column_model {
  std::string name;
  std::string type;         ///< drizzle-kit's type text: "serial", "varchar(256)", "numeric(10, 2)"
  std::string type_schema;  ///< "public" for enum columns, else ""
  bool primary_key = false;
  bool not_null = false;
  std::optional<std::string> default_value;  ///< SQL text ("now()", "'x'", "0")
  bool default_is_literal = false;           ///< written as a JSON number/boolean in snapshots
  friend bool operator==(const column_model&, const column_model&) = default;
};

struct index_column_model {
  std::string expression;  ///< the column name
  bool is_expression = false;
  bool asc = true;
  std::string nulls = "last";
  friend bool operator==(const index_column_model&, const index_column_model&) = default;
};

// `name_explicit` (indexes, foreign keys, composite keys, unique constraints): whether the name
// was written out rather than drizzle's default (drizzle-kit 1.0's `nameExplicit`). Known for C++
// schemas and format 9 snapshots; nullopt for format 7 snapshots and live databases, where a name
// equal to a default counts as implicit. Equality ignores it (the name is what Postgres has).

struct index_model {
  std::string name;
  std::vector<index_column_model> columns;
  bool is_unique = false;
  bool concurrently = false;
  std::string method = "btree";
  std::optional<bool> name_explicit = std::nullopt;
  friend bool operator==(const index_model& a, const index_model& b) {
    return a.name == b.name && a.columns == b.columns && a.is_unique == b.is_unique &&
           a.concurrently == b.concurrently && a.method == b.method;
  }
};

struct foreign_key_model {
  std::string name, table_from, table_to;
  std::vector<std::string> columns_from, columns_to;
  std::string on_delete = "no action", on_update = "no action";
  std::optional<bool> name_explicit = std::nullopt;
  friend bool operator==(const foreign_key_model& a, const foreign_key_model& b) {
    return a.name == b.name && a.table_from == b.table_from && a.table_to == b.table_to &&
           a.columns_from == b.columns_from && a.columns_to == b.columns_to && a.on_delete == b.on_delete &&
           a.on_update == b.on_update;
  }
};

/// A composite primary key or a unique constraint.
struct constraint_model {
  std::string name;
  std::vector<std::string> columns;
  bool nulls_not_distinct = false;
  std::optional<bool> name_explicit = std::nullopt;
  friend bool operator==(const constraint_model& a, const constraint_model& b) {
    return a.name == b.name && a.columns == b.columns && a.nulls_not_distinct == b.nulls_not_distinct;
  }
};

/// A check constraint: its name and SQL condition (drizzle-kit's `value`, as written, e.g.
/// `"price" > 0`; introspected ones hold Postgres' rendering, e.g. `(price > 0)`).
struct check_model {
  std::string name;
  std::string value;
  friend bool operator==(const check_model&, const check_model&) = default;
};

struct table_model {
  std::string name;
  std::string schema;  ///< "" for public, as drizzle-kit records it
  std::vector<column_model> columns;
  std::vector<index_model> indexes;
  std::vector<foreign_key_model> foreign_keys;
  std::vector<constraint_model> composite_primary_keys;
  std::vector<constraint_model> unique_constraints;
  std::vector<check_model> check_constraints;
  [[nodiscard]] const column_model* find_column(std::string_view n) const noexcept;
};

struct enum_model {
  std::string name;
  std::string schema = "public";
  std::vector<std::string> values;
  friend bool operator==(const enum_model&, const enum_model&) = default;
};

struct schema_model {
  std::vector<table_model> tables;  ///< in declaration order
  std::vector<enum_model> enums;
  [[nodiscard]] const table_model* find_table(std::string_view n) const noexcept;
  [[nodiscard]] const enum_model* find_enum(std::string_view n) const noexcept;
};

/// drizzle-kit's type text for a column ("varchar(256)", "timestamp with time zone", "mood").
[[nodiscard]] std::string type_text(const column_info& c);

/// The model of one column / one table's columns (the pieces of model_of).
[[nodiscard]] column_model column_model_of(const column_info& c);
/// A table's model from its column descriptions and table-level definitions.
[[nodiscard]] table_model table_model_of(std::string_view name, std::span<const column_info* const> columns,
                                         std::span<const index_def> indexes,
                                         std::span<const constraint_def> primary_keys,
                                         std::span<const constraint_def> uniques,
                                         std::span<const check_def> checks = {});

namespace detail {
template <class T>
constexpr auto indexes_of() {
  if constexpr (requires { T::indexes; }) return std::span<const index_def>(T::indexes);
  else return std::span<const index_def>();
}
template <class T>
constexpr auto pks_of() {
  if constexpr (requires { T::primary_keys; }) return std::span<const constraint_def>(T::primary_keys);
  else return std::span<const constraint_def>();
}
template <class T>
constexpr auto uniques_of() {
  if constexpr (requires { T::uniques; }) return std::span<const constraint_def>(T::uniques);
  else return std::span<const constraint_def>();
}
template <class T>
constexpr auto checks_of() {
  if constexpr (requires { T::checks; }) return std::span<const check_def>(T::checks);
  else return std::span<const check_def>();
}
void add_enum(schema_model& s, const enum_def& e);
}  // namespace detail

/// The model of one C++ table.
template <table T>
[[nodiscard]] table_model model_of_table() {
  return table_model_of(T::name, column_infos_v<T>, detail::indexes_of<T>(), detail::pks_of<T>(),
                        detail::uniques_of<T>(), detail::checks_of<T>());
}

/// The schema model of the given C++ tables (tables in argument order; enums in order of first
/// use by a column).
template <table... Ts>
[[nodiscard]] schema_model model_of() {
  schema_model s;
  (s.tables.push_back(model_of_table<Ts>()), ...);
  auto add_enums = [&s](std::span<const column_info* const> infos) {
    for (const column_info* c : infos)
      if (c->enumeration) detail::add_enum(s, *c->enumeration);
  };
  (add_enums(column_infos_v<Ts>), ...);
  return s;
}

/// An app's tables, listed once: the schema model (db generate/check/push) and the runtime
/// descriptions (the studio) both come from this list.
///
///   using all_tables = db::table_list<notes_table, tags_table>;
///   db::schema_model schema() { return all_tables::model(); }
template <table... Ts>
struct table_list {
  /// The tables' descriptions, in list order (static storage).
  static constexpr std::array<table_info, sizeof...(Ts)> infos{table_info_of<Ts>()...};
  /// model_of<Ts...>().
  [[nodiscard]] static schema_model model() { return model_of<Ts...>(); }
};

}  // namespace edgefn::db
