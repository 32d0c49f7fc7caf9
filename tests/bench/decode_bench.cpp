// decode_bench <response-body.json> [iterations]
// Decodes a recorded /sql response body (single result, or a batch {"results":[...]}) N times
// with the C++ client and reads every cell as its column's natural type, then prints
//   cpp_decode rows=<rows per decode> iterations=<n> rows_per_sec=<x>
// Without [iterations] it runs for about one second.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "neon/result_set.h"

namespace neon = edgefn::neon;

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

std::uint64_t hash_text(std::string_view s) { return s.size() + (s.empty() ? 0 : static_cast<unsigned char>(s[0])); }

template <class T>
std::uint64_t touch_value(const T& v) {
  if constexpr (std::is_same_v<T, bool>) return v ? 1 : 2;
  else if constexpr (std::is_integral_v<T>) return static_cast<std::uint64_t>(v);
  else if constexpr (std::is_floating_point_v<T>) return static_cast<std::uint64_t>(v == v ? 3 : 4);
  else if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) return hash_text(v);
  else if constexpr (std::is_same_v<T, neon::numeric> || std::is_same_v<T, neon::json_text>) return hash_text(v.text);
  else if constexpr (std::is_same_v<T, neon::uuid>) return v.bytes[0];
  else if constexpr (std::is_same_v<T, neon::bytes>) return v.size();
  else if constexpr (std::is_same_v<T, neon::date>) return static_cast<std::uint64_t>(v.days);
  else if constexpr (std::is_same_v<T, neon::interval>) return static_cast<std::uint64_t>(v.micros + v.days + v.months);
  else return static_cast<std::uint64_t>(v.micros);
}

template <class T>
std::uint64_t touch(const neon::result_set& rs, std::size_t r, std::size_t c) {
  auto v = rs.get_optional<T>(r, c);
  if (!v) {
    std::fprintf(stderr, "cell (%zu,%zu): %s\n", r, c, v.error().message.c_str());
    std::exit(1);
  }
  if (!*v) return 7;
  return touch_value(**v);
}

template <class T>
std::uint64_t touch_array(const neon::result_set& rs, std::size_t r, std::size_t c) {
  auto v = rs.get_optional<neon::array<T>>(r, c);
  if (!v) {
    std::fprintf(stderr, "cell (%zu,%zu): %s\n", r, c, v.error().message.c_str());
    std::exit(1);
  }
  std::uint64_t h = 11;
  if (*v)
    for (const auto& e : (*v)->elements) h = mix(h, e ? touch_value(*e) : 7);
  return h;
}

std::uint64_t touch_cell(const neon::result_set& rs, std::uint32_t oid, std::size_t r, std::size_t c) {
  switch (oid) {
    case 16: return touch<bool>(rs, r, c);
    case 17: return touch<neon::bytes>(rs, r, c);
    case 20: case 26: return touch<std::int64_t>(rs, r, c);
    case 21: return touch<std::int16_t>(rs, r, c);
    case 23: return touch<std::int32_t>(rs, r, c);
    case 700: return touch<float>(rs, r, c);
    case 701: return touch<double>(rs, r, c);
    case 1700: return touch<neon::numeric>(rs, r, c);
    case 18: case 19: case 25: case 705: case 1042: case 1043: return touch<std::string_view>(rs, r, c);
    case 2950: return touch<neon::uuid>(rs, r, c);
    case 1082: return touch<neon::date>(rs, r, c);
    case 1083: return touch<neon::time_of_day>(rs, r, c);
    case 1114: return touch<neon::timestamp>(rs, r, c);
    case 1184: return touch<neon::timestamptz>(rs, r, c);
    case 1186: return touch<neon::interval>(rs, r, c);
    case 114: case 3802: return touch<neon::json_text>(rs, r, c);
    case 1000: return touch_array<bool>(rs, r, c);
    case 1001: return touch_array<neon::bytes>(rs, r, c);
    case 1005: return touch_array<std::int16_t>(rs, r, c);
    case 1007: return touch_array<std::int32_t>(rs, r, c);
    case 1016: return touch_array<std::int64_t>(rs, r, c);
    case 1021: return touch_array<float>(rs, r, c);
    case 1022: return touch_array<double>(rs, r, c);
    case 1231: return touch_array<neon::numeric>(rs, r, c);
    case 1009: case 1014: case 1015: return touch_array<std::string>(rs, r, c);
    case 2951: return touch_array<neon::uuid>(rs, r, c);
    case 1182: return touch_array<neon::date>(rs, r, c);
    case 1183: return touch_array<neon::time_of_day>(rs, r, c);
    case 1115: return touch_array<neon::timestamp>(rs, r, c);
    case 1185: return touch_array<neon::timestamptz>(rs, r, c);
    case 1187: return touch_array<neon::interval>(rs, r, c);
    case 199: case 3807: return touch_array<neon::json_text>(rs, r, c);
    default: return hash_text(rs.text(r, c));  // other types: the raw text, as the driver
  }
}

std::uint64_t touch_all(const neon::result_set& rs, std::size_t& rows) {
  std::uint64_t h = 0;
  const auto& fields = rs.fields();
  for (std::size_t r = 0; r < rs.rows(); ++r)
    for (std::size_t c = 0; c < rs.columns(); ++c) h = mix(h, touch_cell(rs, fields[c].type_oid, r, c));
  rows += rs.rows();
  return h;
}

// One decode + full read; returns the number of rows.
std::size_t run_once(neon::decoder& d, const edgefn::http::response& resp, bool batch, std::uint64_t& sink) {
  std::size_t rows = 0;
  if (batch) {
    auto results = d.decode_batch(resp);
    if (!results) {
      std::fprintf(stderr, "decode failed: %s\n", results.error().message.c_str());
      std::exit(1);
    }
    for (const auto& rs : *results) sink = mix(sink, touch_all(rs, rows));
  } else {
    auto rs = d.decode(resp);
    if (!rs) {
      std::fprintf(stderr, "decode failed: %s\n", rs.error().message.c_str());
      std::exit(1);
    }
    sink = mix(sink, touch_all(*rs, rows));
  }
  return rows;
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <response-body.json> [iterations]\n", argv[0]);
    return 2;
  }
  edgefn::http::response resp;
  resp.status = 200;
  if (!read_file(argv[1], resp.body)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  const std::string_view head = resp.body.view().substr(0, 64);
  const bool batch = head.find("\"results\"") != std::string_view::npos;
  const long fixed = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 0;

  neon::decoder d;
  std::uint64_t sink = 0;
  const std::size_t rows = run_once(d, resp, batch, sink);  // warm-up (and validation)
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  long iterations = 0;
  double elapsed = 0;
  for (;;) {
    run_once(d, resp, batch, sink);
    ++iterations;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
    if (fixed > 0 ? iterations >= fixed : elapsed >= 1.0) break;
  }
  const double rows_per_sec = elapsed > 0 ? static_cast<double>(rows) * static_cast<double>(iterations) / elapsed : 0;
  std::printf("cpp_decode rows=%zu iterations=%ld rows_per_sec=%.0f\n", rows, iterations, rows_per_sec);
  volatile std::uint64_t keep = sink;  // the reads must not be optimized away
  (void)keep;
  return 0;
}
