#pragma once

#include "cli/app_cli.h"

namespace edgefn::cli {

/// `edgefn request METHOD PATH [--body JSON] [--token T] [--header K:V]... [--env NAME]
/// [--endpoint URL]`: runs one exchange through the core and the native host without a server
/// and prints "HTTP <status>", the headers, an empty line and the body. A --body without a
/// Content-Type header is sent as application/json. Exit codes: 0 a response was produced,
/// 2 usage or configuration error.
int run_request_command(const native_app& app, int argc, char** argv);

}  // namespace edgefn::cli
