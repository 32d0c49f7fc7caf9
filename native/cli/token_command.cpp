#include "cli/token_command.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "auth/base64.h"
#include "base/json_writer.h"
#include "cli/options.h"
#include "config/env_config.h"
#include "host/host.h"
#include "host/jws_crypto.h"

namespace edgefn::cli {
namespace {

constexpr const char* k_usage = "usage: edgefn token --sub ID [--ttl SECONDS] [--env NAME]\n";

struct token_args {
  std::string sub;
  std::int64_t ttl = 3600;
  std::string environment;
};

bool parse_args(int argc, char** argv, token_args& out) {
  const bool ok = parse_options(argc, argv, 1, [&out](std::string_view a, const std::string& v) {
    if (a == "--sub") out.sub = v;
    else if (a == "--env") out.environment = v;
    else if (a == "--ttl") {
      char* end = nullptr;
      out.ttl = std::strtoll(v.c_str(), &end, 10);
      if (!end || *end != '\0' || out.ttl <= 0) return false;
    } else return false;
    return true;
  });
  return ok && !out.sub.empty();
}

}  // namespace

std::string make_dev_token(const std::string& secret, const std::string& sub, std::int64_t iat,
                           std::int64_t ttl, const std::string& issuer, const std::string& audience) {
  std::string claims;
  json::writer w(claims);
  w.begin_object().key("sub").string(sub).key("iat").integer(iat).key("exp").integer(iat + ttl);
  if (!issuer.empty()) w.key("iss").string(issuer);
  if (!audience.empty()) w.key("aud").string(audience);
  w.end_object();
  std::string input = auth::base64url_encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." +
                      auth::base64url_encode(claims);
  return input + "." + auth::base64url_encode(host::hmac_sha256(secret, input));
}

int run_token_command(int argc, char** argv) {
  token_args args;
  if (!parse_args(argc, argv, args)) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  const auto env = native::env_config::load(".", args.environment);
  const auto secret = env.get("AUTH_DEV_SECRET");
  if (!secret || secret->empty()) {
    std::fputs("edgefn token: AUTH_DEV_SECRET is not set (env or .env files)\n", stderr);
    return 2;
  }
  const std::string token =
      make_dev_token(*secret, args.sub, host::now_ms() / 1000, args.ttl,
                     env.get("AUTH_ISSUER").value_or(""), env.get("AUTH_AUDIENCE").value_or(""));
  std::printf("%s\n", token.c_str());
  return 0;
}

}  // namespace edgefn::cli
