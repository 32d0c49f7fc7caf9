#include "catalog/schema.h"

namespace edgefn::catalog {

db::schema_model schema() { return all_tables::model(); }

}  // namespace edgefn::catalog
