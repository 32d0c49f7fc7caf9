// Must NOT compile: selecting a column of another table.
#include "test_schema.h"
#include "db/query.h"

int main() {
  auto q = edgefn::db::select<test_schema::posts_table>(test_schema::users_table::email).build();
  return static_cast<int>(q.params.size());
}
