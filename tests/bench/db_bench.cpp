// db_bench [response-body.json]    (db_bench --list-sql: print the list query's SQL text and exit)
// The typed-schema layer's cost (prints figures, asserts nothing):
//   1. build + bind of each wardrobe query of src/wardrobe/schema.h (list_items, count_items,
//      get_item, delete_item, create_item from validated values, update_item): ns per call,
//      median of several runs of many iterations;
//      -> db_bench build <query> ns_per_op=<x> runs=<n> iterations=<per run>
//   2. with a recorded /sql response body of wardrobe rows (raw text + array mode, as the gateway
//      returns it for the list query): decode (neon::decoder) + db::decode_rows<items_table> +
//      JSON write of {"items":[...]} with db::write_json, as the list route does; rows/s, median
//      of several runs of about 0.3 s.
//      -> db_bench decode_write rows=<n> rows_per_sec=<x> ns_per_response=<y> runs=<n>
// Targets (issue): <= 1 us to build a query; decode+write >= 3x drizzle_map_bench.mjs.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_writer.h"
#include "db/row.h"
#include "neon/result_set.h"
#include "wardrobe/schema.h"

namespace neon = edgefn::neon;
namespace db = edgefn::db;
namespace wardrobe = edgefn::wardrobe;
using edgefn::wardrobe::items_table;

namespace {

using clock_type = std::chrono::steady_clock;

volatile std::uint64_t g_sink = 0;  // every measured result is folded in here

std::uint64_t consume(const neon::query& q) {
  std::uint64_t h = q.text.size() * 31 + static_cast<unsigned char>(q.text.empty() ? 0 : q.text.back());
  for (const auto& p : q.params) h = h * 131 + p.text().size() + (p.is_null() ? 1 : 0);
  return h;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

constexpr int k_runs = 7;

/// Median ns per call of `op` (which returns a neon::query) over k_runs runs of `iterations`.
template <class Op>
void bench_build(const char* name, long iterations, Op&& op) {
  std::uint64_t h = 0;
  for (long i = 0; i < iterations / 10 + 1; ++i) h += consume(op(i));  // warm-up
  std::vector<double> ns;
  for (int r = 0; r < k_runs; ++r) {
    const auto t0 = clock_type::now();
    for (long i = 0; i < iterations; ++i) h += consume(op(i));
    const double elapsed = std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
    ns.push_back(elapsed / static_cast<double>(iterations));
  }
  g_sink = g_sink + h;
  std::printf("db_bench build %s ns_per_op=%.1f runs=%d iterations=%ld\n", name, median(ns), k_runs, iterations);
  std::fflush(stdout);
}

edgefn::db::statement must(edgefn::result<edgefn::db::statement> q, const char* what) {
  if (!q) {
    std::fprintf(stderr, "%s: build failed: %s\n", what, q.error().message.c_str());
    std::exit(1);
  }
  return std::move(*q);
}

db::values<items_table> must_values(db::validation_result<db::values<items_table>> v, const char* what) {
  if (!v) {
    std::fprintf(stderr, "%s: validation failed\n", what);
    std::exit(1);
  }
  return std::move(*v);
}

void run_builds() {
  const std::string user = "kp_3f9a1c2e7b5d4e6f8a0b1c2d3e4f5a6b";  // a seed user id
  // Validated once (the handler validates, then builds): the build is what is timed here.
  const auto create_values = must_values(
      wardrobe::parse_create(edgefn::padded_buffer(
          R"({"name":"Oxford button-down","size":"M","type":"shirt","color":"light blue",)"
          R"("imageUrl":"https://img.example.com/kp_3f9a/oxford-button-down.png"})")),
      "parse_create");
  const auto update_values =
      must_values(wardrobe::parse_update(edgefn::padded_buffer(R"({"name":"Oxford shirt","color":"white"})")),
                  "parse_update");
  const long n = 200'000;
  bench_build("list_items", n, [&](long) { return wardrobe::list_items(user); });
  bench_build("count_items", n, [&](long) { return wardrobe::count_items(user); });
  bench_build("get_item", n, [&](long i) { return wardrobe::get_item(static_cast<std::int32_t>(i & 0xffff) + 1, user); });
  bench_build("delete_item", n, [&](long i) { return wardrobe::delete_item(static_cast<std::int32_t>(i & 0xffff) + 1, user); });
  // create_item takes its values by value (the handler moves the validated body in): the copy
  // of the validated values is part of what is timed, as it replaces the move.
  bench_build("create_item", n / 2, [&](long) { return must(wardrobe::create_item(create_values, user), "create_item"); });
  bench_build("update_item", n / 2, [&](long i) {
    return must(wardrobe::update_item(update_values, static_cast<std::int32_t>(i & 0xffff) + 1, user), "update_item");
  });
}

bool read_file(const char* path, edgefn::padded_buffer& out) {
  std::FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(std::string_view(buf, n));
  std::fclose(f);
  return true;
}

/// One response: decode, rows into structs, {"items":[...]} as the list route writes it.
/// Returns the number of rows; folds the JSON into `h`.
std::size_t decode_write_once(neon::decoder& d, const edgefn::http::response& resp, std::string& body,
                              std::uint64_t& h) {
  auto rs = d.decode(resp);
  if (!rs) {
    std::fprintf(stderr, "decode failed: %s\n", rs.error().message.c_str());
    std::exit(1);
  }
  auto rows = db::decode_rows<items_table>(*rs);
  if (!rows) {
    std::fprintf(stderr, "decode_rows failed: %s\n", rows.error().message.c_str());
    std::exit(1);
  }
  body.clear();  // a fresh string per response, as the handler does (std::string body; ...)
  body.shrink_to_fit();
  edgefn::json::writer w(body);
  w.begin_object().key("items").begin_array();
  for (const auto& it : *rows) db::write_json<items_table>(w, it);
  w.end_array();
  w.end_object();
  h = h * 1099511628211ull + body.size() + static_cast<unsigned char>(body[body.size() / 2]);
  return rows->size();
}

int run_decode_write(const char* path) {
  edgefn::http::response resp;
  resp.status = 200;
  if (!read_file(path, resp.body)) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 2;
  }
  neon::decoder d;
  std::string body;
  std::uint64_t h = 0;
  const std::size_t rows = decode_write_once(d, resp, body, h);
  std::fprintf(stderr, "db_bench: %zu rows, %zu body bytes -> %zu JSON bytes\n", rows, resp.body.size(), body.size());
  for (int i = 0; i < 200; ++i) decode_write_once(d, resp, body, h);  // warm-up
  std::vector<double> rps;
  long total_iterations = 0;
  for (int r = 0; r < k_runs; ++r) {
    const auto t0 = clock_type::now();
    long iterations = 0;
    double elapsed = 0;
    do {
      for (int k = 0; k < 50; ++k) decode_write_once(d, resp, body, h);
      iterations += 50;
      elapsed = std::chrono::duration<double>(clock_type::now() - t0).count();
    } while (elapsed < 0.3);
    total_iterations += iterations;
    rps.push_back(static_cast<double>(rows) * static_cast<double>(iterations) / elapsed);
  }
  g_sink = g_sink + h;
  const double med = median(rps);
  std::printf("db_bench decode_write rows=%zu rows_per_sec=%.0f ns_per_response=%.0f runs=%d iterations=%ld\n", rows,
              med, med > 0 ? 1e9 * static_cast<double>(rows) / med : 0.0, k_runs, total_iterations);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--list-sql") == 0) {
    std::printf("%s\n", wardrobe::list_items("").text.c_str());
    return 0;
  }
  if (argc > 1 && argv[1][0] == '-') {
    std::fprintf(stderr, "usage: %s [response-body.json] | --list-sql\n", argv[0]);
    return 2;
  }
  run_builds();
  const int rc = argc > 1 ? run_decode_write(argv[1]) : 0;
  return rc;
}
