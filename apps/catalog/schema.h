#pragma once
// The catalog of the Neon + Drizzle guide: authors and their books, as the drizzle schema
// declares them:
//
//   export const authors = pgTable("authors", {
//     id: serial("id").primaryKey(),
//     name: text("name").notNull(),
//     bio: text("bio"),
//     createdAt: timestamp("created_at").notNull().defaultNow(),
//     country: text("country"),                                  // migration 0001
//   });
//   export const books = pgTable("books", {
//     id: serial("id").primaryKey(),
//     title: text("title").notNull(),
//     authorId: integer("author_id").references(() => authors.id),
//     createdAt: timestamp("created_at").notNull().defaultNow(),
//   });

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "db/model.h"
#include "db/query.h"
#include "db/row.h"

namespace edgefn::catalog {

struct author {
  std::int32_t id = 0;
  std::string name;
  std::optional<std::string> bio;
  neon::timestamp created_at{};
  std::optional<std::string> country;
};

struct authors_table {
  using row = author;
  static constexpr std::string_view name = "authors";
  static constexpr auto id = db::serial<&author::id>(name, "id").primary_key();
  static constexpr auto author_name = db::text<&author::name>(name, "name");
  static constexpr auto bio = db::text<&author::bio>(name, "bio");
  static constexpr auto created_at = db::timestamp<&author::created_at>(name, "created_at").default_now();
  static constexpr auto country = db::text<&author::country>(name, "country");
  static constexpr auto columns = std::tuple{id, author_name, bio, created_at, country};
};

struct book {
  std::int32_t id = 0;
  std::string title;
  std::optional<std::int32_t> author_id;
  neon::timestamp created_at{};
};

struct books_table {
  using row = book;
  static constexpr std::string_view name = "books";
  static constexpr auto id = db::serial<&book::id>(name, "id").primary_key();
  static constexpr auto title = db::text<&book::title>(name, "title");
  static constexpr auto author_id = db::integer<&book::author_id>(name, "author_id").references(authors_table::id);
  static constexpr auto created_at = db::timestamp<&book::created_at>(name, "created_at").default_now();
  static constexpr auto columns = std::tuple{id, title, author_id, created_at};
};

/// The schema model of the C++ tables (db generate/check/push).
/// The app's tables, listed once: schema() and the studio (`db studio`) read this list.
using all_tables = db::table_list<authors_table, books_table>;

[[nodiscard]] db::schema_model schema();

/// Columns a body may not set (server-set).
inline constexpr std::array<std::string_view, 2> server_set{"id", "created_at"};

}  // namespace edgefn::catalog
