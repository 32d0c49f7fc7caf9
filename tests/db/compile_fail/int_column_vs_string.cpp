// Must NOT compile: an integer column compared with a string.
#include "wardrobe/schema.h"

int main() {
  auto c = edgefn::db::eq(edgefn::wardrobe::items_table::id, "5");
  return static_cast<int>(c.params.size());
}
