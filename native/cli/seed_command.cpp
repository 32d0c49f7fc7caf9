#include "cli/seed_command.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "cli/options.h"
#include "migrate/runner.h"

namespace edgefn::cli {
namespace {

struct seed_args {
  bool reset = false;
  std::string environment;
  std::string endpoint;
};

constexpr const char* k_usage = "usage: seed [--reset] [--env NAME] [--endpoint URL]\n";

bool parse_args(int argc, char** argv, seed_args& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--reset") {
      out.reset = true;
      continue;
    }
    std::string* dst = a == "--env" ? &out.environment : a == "--endpoint" ? &out.endpoint : nullptr;
    if (!dst || i + 1 >= argc) return false;
    *dst = argv[++i];
  }
  return true;
}

}  // namespace

int run_seed_command(const native_app& app, int argc, char** argv) {
  seed_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  const auto env = native::env_config::load(".", args.environment);
  auto client = open_client("seed", env, args.endpoint);
  if (!client) return 2;
  native::curl_transport transport;
  const auto batch = app.seed(args.reset);
  auto r = native::execute_batch(transport, *client, batch);
  if (!r) {
    std::fprintf(stderr, "edgefn seed: %s\n", native::describe(r.error()).c_str());
    return 1;
  }
  std::int64_t inserted = 0;
  for (const auto& rs : *r)
    if (rs.command() == "INSERT") inserted += rs.row_count().value_or(0);
  if (args.reset) std::printf("%.*s: tables emptied\n", static_cast<int>(app.name.size()), app.name.data());
  std::printf("seeded %lld row%s\n", static_cast<long long>(inserted), inserted == 1 ? "" : "s");
  return 0;
}

}  // namespace edgefn::cli
