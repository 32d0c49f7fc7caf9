#pragma once

namespace edgefn::cli {

/// `edgefn new DIR [--name NAME] [--edgefn-dir PATH]`: scaffolds a standalone project in DIR
/// (which must not exist or be empty) from <edgefn>/templates/project/, replacing {{name}} and
/// {{edgefn_dir}} in contents and paths: CMakeLists.txt using this edgefn checkout, one example
/// table with CRUD routes, a seed, wrangler.toml, a Makefile with `dev` and `test` (its first
/// build writes the initial migration with the app's own `db generate`), and a smoke test.
/// Exit codes: 0 written, 1 I/O failure, 2 usage error.
int run_new_command(int argc, char** argv);

}  // namespace edgefn::cli
