#pragma once
// A test schema exercising every column type, an enum, foreign keys, unique constraints and
// indexes (drizzle equivalent in comments).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "db/column.h"
#include "db/table.h"

namespace test_schema {

namespace db = edgefn::db;
namespace neon = edgefn::neon;

// pgEnum("role", ["admin", "member"])
inline constexpr std::array<std::string_view, 2> role_values{"admin", "member"};
inline constexpr db::enum_def role{"role", role_values};

struct user {
  std::int32_t id = 0;
  std::string email;
  std::optional<std::string> name;
  std::string role;
  bool active = true;
  std::optional<std::int64_t> karma;
  std::optional<neon::numeric> balance;
  std::optional<float> score;
  std::optional<double> ratio;
  std::optional<neon::timestamptz> seen_at;
  std::optional<neon::date> birthday;
  neon::uuid token;
  std::optional<neon::json_text> prefs;
  std::int32_t age = 0;
};

struct users_table {
  using row = user;
  static constexpr std::string_view name = "users";
  static constexpr auto id = db::serial<&user::id>(name, "id").primary_key();
  static constexpr auto email = db::varchar<&user::email>(name, "email", 320).unique();
  static constexpr auto user_name = db::varchar<&user::name>(name, "name", 8);
  static constexpr auto user_role = db::enumeration<&user::role>(name, "role", role).default_literal("'member'");
  static constexpr auto active = db::boolean<&user::active>(name, "active").default_literal("true");
  static constexpr auto karma = db::bigint<&user::karma>(name, "karma");
  static constexpr auto balance = db::numeric<&user::balance>(name, "balance", 10, 2);
  static constexpr auto score = db::real<&user::score>(name, "score");
  static constexpr auto ratio = db::double_precision<&user::ratio>(name, "ratio");
  static constexpr auto seen_at = db::timestamptz<&user::seen_at>(name, "seen_at");
  static constexpr auto birthday = db::date<&user::birthday>(name, "birthday");
  static constexpr auto token = db::uuid<&user::token>(name, "token").default_random();
  static constexpr auto prefs = db::jsonb<&user::prefs>(name, "prefs");
  static constexpr auto age = db::integer<&user::age>(name, "age");
  static constexpr auto columns = std::tuple{id, email, user_name, user_role, active, karma, balance,
                                             score, ratio, seen_at, birthday, token, prefs, age};
};

struct post {
  std::int32_t id = 0;
  std::int32_t author_id = 0;
  std::optional<std::int32_t> editor_id;
  std::string title;
  std::int32_t rank = 0;
};

struct posts_table {
  using row = post;
  static constexpr std::string_view name = "posts";
  static constexpr auto id = db::serial<&post::id>(name, "id").primary_key();
  static constexpr auto author_id =
      db::integer<&post::author_id>(name, "author_id").references(users_table::id, db::fk_action::cascade);
  static constexpr auto editor_id =
      db::integer<&post::editor_id>(name, "editor_id").references(users_table::id, db::fk_action::set_null);
  static constexpr auto title = db::text<&post::title>(name, "title");
  static constexpr auto rank = db::integer<&post::rank>(name, "rank").default_literal("0");
  static constexpr auto columns = std::tuple{id, author_id, editor_id, title, rank};
  static constexpr std::array indexes{db::index("posts_author_title_idx").on(author_id, title),
                                      db::unique_index("posts_title_idx").on(title)};
};

}  // namespace test_schema
