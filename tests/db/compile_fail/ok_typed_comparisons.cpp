// Must compile: proves the compile-failure harness sees real errors only.
#include "wardrobe/schema.h"

namespace db = edgefn::db;
using t = edgefn::wardrobe::items_table;

int main() {
  auto a = db::eq(t::user_id, "kp_1");
  auto b = db::gt(t::id, 3);
  auto c = db::lt(t::created_at, edgefn::neon::timestamp{0});
  auto d = db::like(t::item_name, std::string("%x%"));
  return static_cast<int>(a.params.size() + b.params.size() + c.params.size() + d.params.size()) - 4;
}
