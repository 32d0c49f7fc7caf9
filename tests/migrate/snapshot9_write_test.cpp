// `db generate` in drizzle-kit 1.0's folder layout writes format 9 snapshots, held to drizzle-kit
// 1.0.0-rc.5's own: tests/migrate/data/kit1_* were written by drizzle-kit (`up` of the apps'
// drizzle-kit 0.31 migrations; kit1_altered with a hand-altered newest snapshot). Compared
// structurally (parsed JSON, array order kept) ignoring only the fresh random `id`, and then
// byte for byte.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/schema.h"
#include "db/diff.h"
#include "db/snapshot.h"
#include "migrate/generate.h"
#include "migrate/snapshot9.h"
#include "migrate/snapshot9_write.h"
#include "simdjson.h"
#include "wardrobe/schema.h"

namespace mg = edgefn::migrate;
namespace dom = simdjson::dom;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string data(const std::string& rel) { return read(std::string(EDGEFN_MIGRATE_TEST_DATA) + "/" + rel); }

// The migration folders `names` of fixture `dir` as `db generate` reads them.
struct folder {
  std::vector<std::pair<std::string, std::string>> owned;
  folder(const std::string& dir, const std::vector<std::string>& names) {
    for (const auto& n : names) {
      owned.emplace_back(n + "/migration.sql", data(dir + "/" + n + "/migration.sql"));
      owned.emplace_back(n + "/snapshot.json", data(dir + "/" + n + "/snapshot.json"));
    }
  }
  [[nodiscard]] std::vector<mg::source_file> files() const {
    std::vector<mg::source_file> out;
    for (const auto& [n, t] : owned) out.push_back({n, t});
    return out;
  }
  [[nodiscard]] std::vector<mg::source_file> snapshots() const {
    std::vector<mg::source_file> out;
    for (const auto& [n, t] : owned)
      if (n.ends_with("/snapshot.json")) out.push_back({n, t});
    return out;
  }
};

// "" when `a` and `b` are the same JSON (object members in any order, arrays in order), else the
// path of the first difference. The top-level "id" is skipped.
std::string mismatch(dom::element a, dom::element b, const std::string& path) {
  if (a.type() != b.type()) return path + ": types differ";
  switch (a.type()) {
    case dom::element_type::OBJECT: {
      dom::object oa = a.get_object().value_unsafe(), ob = b.get_object().value_unsafe();
      if (oa.size() != ob.size()) return path + ": member counts differ";
      for (auto [k, v] : oa) {
        if (path.empty() && k == "id") continue;
        dom::element other;
        if (ob[k].get(other) != simdjson::SUCCESS) return path + "." + std::string(k) + ": missing";
        if (auto m = mismatch(v, other, path + "." + std::string(k)); !m.empty()) return m;
      }
      return {};
    }
    case dom::element_type::ARRAY: {
      dom::array xa = a.get_array().value_unsafe(), xb = b.get_array().value_unsafe();
      if (xa.size() != xb.size()) return path + ": lengths differ (" + std::to_string(xa.size()) + " vs " + std::to_string(xb.size()) + ")";
      std::size_t i = 0;
      for (auto ia = xa.begin(), ib = xb.begin(); ia != xa.end(); ++ia, ++ib, ++i)
        if (auto m = mismatch(*ia, *ib, path + "[" + std::to_string(i) + "]"); !m.empty()) return m;
      return {};
    }
    default:
      return simdjson::to_string(a) == simdjson::to_string(b)
                 ? std::string()
                 : path + ": " + std::string(simdjson::to_string(a)) + " vs " + std::string(simdjson::to_string(b));
  }
}

std::string mismatch(const std::string& ours, const std::string& theirs) {
  dom::parser pa, pb;
  dom::element a, b;
  if (pa.parse(ours).get(a) != simdjson::SUCCESS) return "ours is not JSON";
  if (pb.parse(theirs).get(b) != simdjson::SUCCESS) return "theirs is not JSON";
  return mismatch(a, b, "");
}

std::string id_of(const std::string& snapshot) {
  dom::parser p;
  std::string_view id;
  EXPECT_EQ(p.parse(snapshot)["id"].get_string().get(id), simdjson::SUCCESS);
  return std::string(id);
}

// `snapshot` with its id replaced by `id`: then byte-equal to drizzle-kit's file
// (JSON.stringify(snapshot, null, 2)).
std::string with_id(std::string snapshot, const std::string& id) {
  const std::string old = "\"id\": \"" + id_of(snapshot) + "\"";
  if (auto at = snapshot.find(old); at != std::string::npos) snapshot.replace(at, old.size(), "\"id\": \"" + id + "\"");
  return snapshot;
}

// Structurally equal (the first difference is named), and byte-equal once the ids agree.
void expect_drizzle_kits(const std::string& ours, const std::string& theirs, const std::string& what) {
  EXPECT_EQ(mismatch(ours, theirs), "") << what;
  EXPECT_EQ(with_id(ours, id_of(theirs)), theirs) << what;
}

edgefn::db::schema_model v7_schema(const std::string& path) {
  auto s = edgefn::db::parse_snapshot(edgefn::padded_buffer(read(path)));
  EXPECT_TRUE(s) << path;
  return s ? s->schema : edgefn::db::schema_model{};
}

TEST(snapshot9_write_test, a_base_snapshot_is_drizzle_kits_for_the_same_schema) {
  // The wardrobe's first schema (C++), the catalog's as drizzle-kit 0.31 recorded it.
  const std::string catalog0 = std::string(EDGEFN_SOURCE_DIR) + "/apps/catalog/migrations/meta/0000_snapshot.json";
  expect_drizzle_kits(mg::base_snapshot9_json(edgefn::wardrobe::history()[0], "x"),
                      data("kit1_wardrobe/20261122051654_initial/snapshot.json"), "wardrobe");
  expect_drizzle_kits(mg::base_snapshot9_json(v7_schema(catalog0), "x"),
                      data("kit1_catalog/20261130033116_init/snapshot.json"), "catalog");
}

TEST(snapshot9_write_test, generate_after_a_format9_history_writes_drizzle_kits_diff_snapshot) {
  struct app_case {
    std::string dir;
    std::vector<std::string> history;
    std::string newest;
    edgefn::db::schema_model schema;
  };
  const app_case cases[] = {
      {"kit1_wardrobe", {"20261122051654_initial", "20261122051655_add_created_at"}, "20261122051657_add_image_url",
       edgefn::wardrobe::schema()},
      {"kit1_catalog", {"20261130033116_init"}, "20261130033212_add_country", edgefn::catalog::schema()}};
  for (const auto& c : cases) {
    folder dir(c.dir, c.history);
    auto g = mg::generate_migration(dir.files(), c.schema, "next", 1795324699000, "44444444-4444-4444-8444-444444444444");
    ASSERT_TRUE(g) << g.error().message;
    ASSERT_TRUE(*g) << c.dir;
    expect_drizzle_kits((*g)->snapshot, data(c.dir + "/" + c.newest + "/snapshot.json"), c.dir);

    // The reader replays it to the schema it was written from; nothing is left to generate.
    dir.owned.emplace_back((*g)->sql_name, (*g)->sql);
    dir.owned.emplace_back((*g)->snapshot_name, (*g)->snapshot);
    auto back = mg::reconstruct_format9(dir.snapshots(), "44444444-4444-4444-8444-444444444444");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(edgefn::db::diff(*back, c.schema).empty()) << c.dir;
    auto again = mg::generate_migration(dir.files(), c.schema, "again", 1795324799000, "y");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_FALSE(*again) << (*again)->sql;
  }
}

TEST(snapshot9_write_test, alters_and_drops_match_drizzle_kits_deltas_footprints_and_sql_hashes) {
  // kit1_altered's newest snapshot drops a column, adds one, sets NOT NULL and a default, and
  // flips an index column to DESC: drizzle-kit computed its deltas and footprints (sqlHash).
  folder dir("kit1_altered", {"20261122051654_initial", "20261122051655_add_created_at", "20261122051657_add_image_url"});
  const std::string newest = data("kit1_altered/20261122051657_add_image_url/snapshot.json");
  const std::string parent = data("kit1_altered/20261122051655_add_created_at/snapshot.json");
  auto prev = mg::reconstruct_format9(dir.snapshots(), id_of(parent));
  auto cur = mg::reconstruct_format9(dir.snapshots(), id_of(newest));
  ASSERT_TRUE(prev && cur);
  const std::string ours = mg::diff_snapshot9_json(*prev, *cur, "x", id_of(parent));
  expect_drizzle_kits(ours, newest, "kit1_altered");
  // The comparison sees a difference: not the parent's snapshot, not another parent.
  EXPECT_NE(mismatch(ours, parent), "");
  EXPECT_NE(mismatch(mg::diff_snapshot9_json(*prev, *cur, "x", "another"), newest), "");
  EXPECT_NE(mismatch(mg::diff_snapshot9_json(*cur, *prev, "x", id_of(parent)), newest), "");
}

TEST(snapshot9_write_test, a_new_folder_gets_a_base_snapshot_the_reader_replays) {
  for (const auto& schema : {edgefn::wardrobe::schema(), edgefn::catalog::schema()}) {
    auto g = mg::generate_migration({}, schema, "init", 1795324699000, "55555555-5555-4555-8555-555555555555",
                                    mg::layout::folders);
    ASSERT_TRUE(g && *g);
    EXPECT_TRUE(mg::is_format9((*g)->snapshot));
    const mg::source_file snap{(*g)->snapshot_name, (*g)->snapshot};
    auto back = mg::reconstruct_format9(std::span(&snap, 1), "55555555-5555-4555-8555-555555555555");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(edgefn::db::diff(*back, schema).empty());
  }
}

}  // namespace

namespace {

TEST(snapshot9_write_test, every_statement_kind_matches_drizzle_kit_generate) {
  // kit1_rich: drizzle-kit 1.0.0-rc.5 `generate` of schema_init.mjs, then of schema_alter.mjs
  // (enum value, defaults, NOT NULL, a type, an index recreated / dropped / created, a unique,
  // a foreign key and a check altered, a composite key changed, a column added and dropped, a
  // table created).
  folder dir("kit1_rich", {"20261130074917_init", "20261130074918_alter"});
  const std::string init = data("kit1_rich/20261130074917_init/snapshot.json");
  const std::string alter = data("kit1_rich/20261130074918_alter/snapshot.json");
  auto prev = mg::reconstruct_format9(dir.snapshots(), id_of(init));
  auto cur = mg::reconstruct_format9(dir.snapshots(), id_of(alter));
  ASSERT_TRUE(prev) << prev.error().message;
  ASSERT_TRUE(cur) << cur.error().message;
  expect_drizzle_kits(mg::base_snapshot9_json(*prev, "x"), init, "init");
  expect_drizzle_kits(mg::diff_snapshot9_json(*prev, *cur, "x", id_of(init)), alter, "alter");
}

}  // namespace

namespace {

TEST(snapshot9_write_test, explicit_names_equal_to_the_defaults_stay_explicit) {
  // kit1_names: drizzle-kit 1.0.0-rc.5 `generate` of schema_init.mjs, where an index, a unique
  // constraint, a foreign key and a composite key are named explicitly with drizzle's default
  // name (nameExplicit: true) next to unnamed ones (nameExplicit: false).
  folder dir("kit1_names", {"20261130091917_init"});
  const std::string theirs = data("kit1_names/20261130091917_init/snapshot.json");
  auto model = mg::reconstruct_format9(dir.snapshots(), id_of(theirs));
  ASSERT_TRUE(model) << model.error().message;
  expect_drizzle_kits(mg::base_snapshot9_json(*model, "x"), theirs, "kit1_names");
}

}  // namespace
