#pragma once
// What the CLI commands share: `--name value` option parsing, the Neon client and the native
// host built from the configuration (config/app_config.h), with errors printed for the user.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/route.h"
#include "config/app_config.h"
#include "host/host.h"
#include "neon/client.h"

namespace edgefn::cli {

/// Called with each option name (e.g. "--env") and its value; false rejects the option.
using option_visitor = std::function<bool(std::string_view name, const std::string& value)>;

/// Walks argv[first..argc) as `--name value` pairs. False (print the usage, exit 2) when an
/// option has no value or `visit` rejects it.
[[nodiscard]] bool parse_options(int argc, char** argv, int first, const option_visitor& visit);

/// Loads the `environment` (--env) configuration, overrides NEON_FETCH_ENDPOINT with
/// `endpoint` (--endpoint) when non-empty and creates the native host serving `app`. On failure
/// prints "<command>: <reason>" to stderr and returns nullptr, for which the command exits 2.
[[nodiscard]] std::unique_ptr<host::host> create_host(const api::app_spec& app, const char* command,
                                                      const std::string& environment,
                                                      const std::string& endpoint);

/// database_config + neon::client::create for a CLI command: on failure prints
/// "<command>: <reason>" to stderr (never the connection string) and returns nullopt, for
/// which the command exits 2.
[[nodiscard]] std::optional<neon::client> open_client(const char* command,
                                                      const native::env_config& env,
                                                      const std::string& endpoint_flag);

}  // namespace edgefn::cli
