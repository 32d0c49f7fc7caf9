// Must NOT compile: timestamp (without time zone) and timestamptz are distinct types.
#include "wardrobe/schema.h"

int main() {
  auto c = edgefn::db::gt(edgefn::wardrobe::items_table::created_at, edgefn::neon::timestamptz{0});
  return static_cast<int>(c.params.size());
}
