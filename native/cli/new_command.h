#pragma once

namespace edgefn::cli {

/// `edgefn new DIR [--name NAME] [--edgefn-dir PATH]`: scaffolds a standalone project in DIR
/// (which must not exist or be empty): CMakeLists.txt using this edgefn checkout, one example
/// table with CRUD routes, its initial migration, a seed, wrangler.toml, a Makefile with `dev`
/// and `test`, and a smoke test. Exit codes: 0 written, 1 I/O failure, 2 usage error.
int run_new_command(int argc, char** argv);

}  // namespace edgefn::cli
