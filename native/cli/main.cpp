#include "cli/commands.h"

int main(int argc, char** argv) { return edgefn::cli::run(argc, argv); }
