#include "catalog/schema.h"

namespace edgefn::catalog {

db::schema_model schema() { return db::model_of<authors_table, books_table>(); }

}  // namespace edgefn::catalog
