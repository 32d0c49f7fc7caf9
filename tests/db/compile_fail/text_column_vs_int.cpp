// Must NOT compile: a text column compared with an int.
#include "wardrobe/schema.h"

int main() {
  auto c = edgefn::db::eq(edgefn::wardrobe::items_table::user_id, 5);
  return static_cast<int>(c.params.size());
}
