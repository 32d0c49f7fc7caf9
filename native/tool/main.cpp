// `edgefn`: the app-independent tool (gateway, sql, token, new).
#include "cli/app_cli.h"

int main(int argc, char** argv) { return edgefn::cli::run_tool_cli(argc, argv); }
