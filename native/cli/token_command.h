#pragma once

#include <cstdint>
#include <string>

namespace edgefn::cli {

/// `edgefn token --sub ID [--ttl SECONDS] [--env NAME]`: prints a development HS256 JWT signed
/// with AUTH_DEV_SECRET (env or .env files), with sub, iat, exp = iat + ttl (default 3600) and
/// iss/aud from AUTH_ISSUER/AUTH_AUDIENCE when set. Exit codes: 0 ok, 2 usage or no secret.
int run_token_command(int argc, char** argv);

/// The token itself (for tests): header {"alg":"HS256","typ":"JWT"}.
[[nodiscard]] std::string make_dev_token(const std::string& secret, const std::string& sub,
                                         std::int64_t iat, std::int64_t ttl,
                                         const std::string& issuer, const std::string& audience);

}  // namespace edgefn::cli
