#pragma once

namespace edgefn::cli {

/// `edgefn sql "<query>" [--param V]... [--param-null] [--json] [--endpoint URL] [--env NAME]`:
/// runs one statement through the Neon client and prints an aligned table, or JSON rows.
/// argv[0] is "sql". Exit codes: 0 ok, 1 the query failed, 2 usage or configuration error.
int run_sql_command(int argc, char** argv);

}  // namespace edgefn::cli
