#pragma once

namespace edgefn::cli {

/// Runs the `edgefn` command line; returns the process exit code.
int run(int argc, char** argv);

}  // namespace edgefn::cli
