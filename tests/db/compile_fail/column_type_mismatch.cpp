// Must NOT compile: a varchar column declared over an int member.
#include "db/column.h"

struct row { int x = 0; };
constexpr auto bad = edgefn::db::varchar<&row::x>("t", "x", 10);

int main() { return static_cast<int>(bad.info.length); }
