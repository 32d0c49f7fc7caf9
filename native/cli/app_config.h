#pragma once
// What the CLI commands that run the API share: `--name value` option parsing and the native
// host built from the environment / dotenv files (config/env_config.h, host/host_config.h).

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "host/host.h"

namespace edgefn::cli {

/// Called with each option name (e.g. "--env") and its value; false rejects the option.
using option_visitor = std::function<bool(std::string_view name, const std::string& value)>;

/// Walks argv[first..argc) as `--name value` pairs. False (print the usage, exit 2) when an
/// option has no value or `visit` rejects it.
[[nodiscard]] bool parse_options(int argc, char** argv, int first, const option_visitor& visit);

/// Loads the `environment` (--env) configuration, overrides NEON_FETCH_ENDPOINT with
/// `endpoint` (--endpoint) when non-empty and creates the native host. On failure prints
/// "edgefn <command>: <reason>" to stderr and returns nullptr, for which the command exits 2.
[[nodiscard]] std::unique_ptr<host::host> create_host(const char* command,
                                                      const std::string& environment,
                                                      const std::string& endpoint);

}  // namespace edgefn::cli
