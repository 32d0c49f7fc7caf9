#include "src/seed.h"

#include <string>
#include <string_view>

#include "migrate/plan.h"

namespace {{name}} {
namespace {

namespace neon = edgefn::neon;

struct seed_note {
  std::string_view title;
  std::string_view body;
  bool done;
};

constexpr seed_note k_notes[] = {
    {"Read the edgefn README", "Route tables, auth modes, the OpenAPI document.", true},
    {"Add a column", "Edit src/schema.h, then make migration NAME=add_column and make migrate.", false},
    {"Deploy", "make wasm, then wrangler deploy (see README.md, Deploy).", false},
};

constexpr std::string_view k_insert =
    "insert into \"notes\" (\"title\", \"body\", \"done\")\n"
    "select s.title, s.body, s.done from unnest($1::text[], $2::text[], $3::bool[]) as s(title, body, done)\n"
    "where not exists (select 1 from \"notes\" n where n.title = s.title)";

}  // namespace

std::vector<neon::query> seed_batch(bool reset) {
  std::vector<neon::param> titles, bodies, done;
  for (const auto& n : k_notes) {
    titles.emplace_back(n.title);
    bodies.emplace_back(n.body);
    done.emplace_back(n.done);
  }
  std::vector<neon::query> q;
  q.push_back({"select pg_advisory_xact_lock(" + std::to_string(edgefn::migrate::k_lock_key) + ")", {}});
  if (reset) q.push_back({"truncate table \"notes\" restart identity", {}});
  q.push_back({std::string(k_insert),
               {neon::param::array(titles), neon::param::array(bodies), neon::param::array(done)}});
  return q;
}

}  // namespace {{name}}
