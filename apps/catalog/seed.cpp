#include "catalog/seed.h"

#include <array>
#include <string>
#include <string_view>

#include "base/json_writer.h"
#include "migrate/plan.h"

namespace edgefn::catalog {
namespace {

struct seed_author {
  std::string_view name, bio;
};
struct seed_book {
  std::string_view title, author;
};

constexpr std::array<seed_author, 3> k_authors = {{
    {"J.R.R. Tolkien", "The creator of Middle-earth and author of The Lord of the Rings."},
    {"George R.R. Martin", "The author of the epic fantasy series A Song of Ice and Fire."},
    {"J.K. Rowling", "The creator of the Harry Potter series."},
}};

constexpr std::array<seed_book, 7> k_books = {{
    {"The Fellowship of the Ring", "J.R.R. Tolkien"},
    {"The Two Towers", "J.R.R. Tolkien"},
    {"The Return of the King", "J.R.R. Tolkien"},
    {"A Game of Thrones", "George R.R. Martin"},
    {"A Clash of Kings", "George R.R. Martin"},
    {"Harry Potter and the Philosopher's Stone", "J.K. Rowling"},
    {"Harry Potter and the Chamber of Secrets", "J.K. Rowling"},
}};

// Both inserts keep the seed order (with ordinality) so ids are 1..3 and 1..7 on a fresh table.
constexpr std::string_view k_insert_authors =
    "insert into \"authors\" (\"name\", \"bio\") "
    "select s.name, s.bio from unnest($1::text[], $2::text[]) with ordinality as s(name, bio, ord) "
    "where not exists (select 1 from \"authors\" a where a.\"name\" = s.name) order by s.ord";

constexpr std::string_view k_insert_books =
    "insert into \"books\" (\"title\", \"author_id\") "
    "select s.title, (select a.\"id\" from \"authors\" a where a.\"name\" = s.author order by a.\"id\" limit 1) "
    "from unnest($1::text[], $2::text[]) with ordinality as s(title, author, ord) "
    "where not exists (select 1 from \"books\" b where b.\"title\" = s.title) order by s.ord";

}  // namespace

std::vector<neon::query> seed_batch(bool reset) {
  std::vector<std::string> names, bios, titles, book_authors;
  for (const auto& a : k_authors) names.emplace_back(a.name), bios.emplace_back(a.bio);
  for (const auto& b : k_books) titles.emplace_back(b.title), book_authors.emplace_back(b.author);
  std::vector<neon::query> q;
  q.push_back({"select pg_advisory_xact_lock(" + json::decimal(migrate::k_lock_key) + ")", {}});
  if (reset) q.push_back({"truncate table \"books\", \"authors\" restart identity", {}});
  q.push_back({std::string(k_insert_authors), {neon::param::array_of(names), neon::param::array_of(bios)}});
  q.push_back({std::string(k_insert_books), {neon::param::array_of(titles), neon::param::array_of(book_authors)}});
  return q;
}

}  // namespace edgefn::catalog
