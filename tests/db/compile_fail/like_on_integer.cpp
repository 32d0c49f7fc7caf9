// Must NOT compile: like on a non-text column.
#include "wardrobe/schema.h"

int main() {
  auto c = edgefn::db::like(edgefn::wardrobe::items_table::id, "%1%");
  return static_cast<int>(c.params.size());
}
