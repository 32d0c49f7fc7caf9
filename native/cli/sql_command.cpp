#include "cli/sql_command.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_writer.h"
#include "cli/options.h"
#include "transport/neon_exec.h"

namespace edgefn::cli {
namespace {

struct sql_args {
  std::string query;
  bool has_query = false;
  std::vector<neon::param> params;
  bool json = false;
  std::string endpoint;
  std::string environment;
};

constexpr const char* k_usage =
    "usage: edgefn sql \"<query>\" [--param V]... [--param-null] [--json] [--endpoint URL] "
    "[--env NAME]\n";

bool parse_args(int argc, char** argv, sql_args& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto next = [&](std::string& dst) {
      if (i + 1 >= argc) return false;
      dst = argv[++i];
      return true;
    };
    std::string value;
    if (a == "--param") {
      if (!next(value)) return false;
      out.params.emplace_back(value);
    } else if (a == "--param-null") {
      out.params.emplace_back(nullptr);
    } else if (a == "--json") {
      out.json = true;
    } else if (a == "--endpoint") {
      if (!next(out.endpoint)) return false;
    } else if (a == "--env") {
      if (!next(out.environment)) return false;
    } else if (!a.starts_with("--") && !out.has_query) {
      out.query = std::string(a);
      out.has_query = true;
    } else {
      return false;
    }
  }
  return out.has_query;
}

// Bytes -> display columns, counting UTF-8 code points (good enough for alignment).
std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void print_padded(std::string_view s, std::size_t width) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  for (std::size_t w = display_width(s); w < width; ++w) std::fputc(' ', stdout);
}

void print_table(const neon::result_set& rs) {
  const std::size_t cols = rs.columns();
  std::vector<std::size_t> width(cols);
  for (std::size_t c = 0; c < cols; ++c) width[c] = display_width(rs.fields()[c].name);
  for (std::size_t r = 0; r < rs.rows(); ++r)
    for (std::size_t c = 0; c < cols; ++c)
      width[c] = std::max(width[c], display_width(rs.is_null(r, c) ? "" : rs.text(r, c)));
  for (std::size_t c = 0; c < cols; ++c) {
    std::fputs(c ? " | " : " ", stdout);
    print_padded(rs.fields()[c].name, width[c]);
  }
  std::fputs(" \n", stdout);
  for (std::size_t c = 0; c < cols; ++c) {
    std::fputs(c ? "-+-" : "-", stdout);
    for (std::size_t w = 0; w < width[c]; ++w) std::fputc('-', stdout);
  }
  std::fputs("-\n", stdout);
  for (std::size_t r = 0; r < rs.rows(); ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      std::fputs(c ? " | " : " ", stdout);
      print_padded(rs.is_null(r, c) ? "" : rs.text(r, c), width[c]);
    }
    std::fputs(" \n", stdout);
  }
  std::printf("(%zu row%s)\n", rs.rows(), rs.rows() == 1 ? "" : "s");
}

// A cell as JSON: numbers and booleans typed by OID, json/jsonb embedded, the rest strings.
void write_json_cell(json::writer& w, const neon::result_set& rs, std::size_t r, std::size_t c) {
  if (rs.is_null(r, c)) { w.null(); return; }
  const std::string_view text = rs.text(r, c);
  switch (rs.fields()[c].type_oid) {
    case 16: w.boolean(text == "t"); return;
    case 20: case 21: case 23: case 26: case 1700: w.raw(text); return;
    case 700: case 701:
      if (text == "NaN" || text == "Infinity" || text == "-Infinity") w.string(text);
      else w.raw(text);
      return;
    case 114: case 3802: w.raw(text); return;
    default: w.string(text);
  }
}

void print_json(const neon::result_set& rs) {
  std::string out;
  json::writer w(out);
  w.begin_array();
  for (std::size_t r = 0; r < rs.rows(); ++r) {
    w.begin_object();
    for (std::size_t c = 0; c < rs.columns(); ++c) {
      w.key(rs.fields()[c].name);
      write_json_cell(w, rs, r, c);
    }
    w.end_object();
  }
  w.end_array();
  std::printf("%s\n", out.c_str());
}

void print_error(const neon::error& e) {
  std::fprintf(stderr, "error: %s", e.message.c_str());
  if (!e.sqlstate().empty()) std::fprintf(stderr, " (SQLSTATE %s)", std::string(e.sqlstate()).c_str());
  std::fputc('\n', stderr);
  if (e.fields.detail) std::fprintf(stderr, "detail: %s\n", e.fields.detail->c_str());
  if (e.fields.hint) std::fprintf(stderr, "hint: %s\n", e.fields.hint->c_str());
  if (e.fields.position) std::fprintf(stderr, "position: %s\n", e.fields.position->c_str());
}

}  // namespace

int run_sql_command(int argc, char** argv) {
  sql_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  const auto env = native::env_config::load(".", args.environment);
  auto client = open_client("sql", env, args.endpoint);
  if (!client) return 2;
  native::curl_transport transport;
  auto rs = native::execute(transport, *client, args.query, args.params);
  if (!rs) {
    print_error(rs.error());
    return 1;
  }
  if (args.json) print_json(*rs);
  else if (rs->columns() > 0) print_table(*rs);
  else if (rs->row_count()) std::printf("%s %lld\n", std::string(rs->command()).c_str(),
                                        static_cast<long long>(*rs->row_count()));
  else std::printf("%s\n", rs->command().empty() ? "(empty query)" : std::string(rs->command()).c_str());
  return 0;
}

}  // namespace edgefn::cli
