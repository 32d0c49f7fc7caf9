#include "cli/request_command.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "cli/options.h"

namespace edgefn::cli {
namespace {

constexpr const char* k_usage =
    "usage: edgefn request METHOD PATH [--body JSON] [--token T] [--header K:V]... [--env NAME] "
    "[--endpoint URL]\n";

struct request_args {
  exchange::request req;
  std::string body;
  bool has_body = false;
  std::string environment;
  std::string endpoint;
};

bool add_header(const std::string& kv, exchange::request& req) {
  const auto colon = kv.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string_view v = std::string_view(kv).substr(colon + 1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  req.headers.emplace_back(kv.substr(0, colon), std::string(v));
  return true;
}

bool parse_args(int argc, char** argv, request_args& out) {
  if (argc < 3) return false;
  out.req.method = argv[1];
  out.req.target = argv[2];
  const bool ok = parse_options(argc, argv, 3, [&out](std::string_view a, const std::string& v) {
    if (a == "--body") { out.body = v; out.has_body = true; }
    else if (a == "--token") out.req.headers.emplace_back("Authorization", "Bearer " + v);
    else if (a == "--header") return add_header(v, out.req);
    else if (a == "--env") out.environment = v;
    else if (a == "--endpoint") out.endpoint = v;
    else return false;
    return true;
  });
  if (!ok) return false;
  if (out.has_body) {
    if (!http::find_header(out.req.headers, "content-type"))
      out.req.headers.emplace_back("Content-Type", "application/json");
    out.req.body.append(out.body);
  }
  return true;
}

}  // namespace

int run_request_command(const native_app& app, int argc, char** argv) {
  request_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  const auto h = create_host(*app.spec, "request", args.environment, args.endpoint);
  if (!h) return 2;
  const exchange::response r = h->run(std::move(args.req));
  std::printf("HTTP %d\n", r.status);
  for (const auto& [k, v] : r.headers) std::printf("%s: %s\n", k.c_str(), v.c_str());
  std::printf("\n");
  std::fwrite(r.body.data(), 1, r.body.size(), stdout);
  std::printf("\n");
  return 0;
}

}  // namespace edgefn::cli
