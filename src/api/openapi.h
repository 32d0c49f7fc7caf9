#pragma once
// The OpenAPI 3.1 document of an app, generated from its route table and the tables' columns
// (as @hono/zod-openapi does from zod schemas): paths with typed path parameters, security per
// route, request bodies from the insert/update schemas, responses from the routes' response
// shapes, and the framework's error responses.

#include <string>

#include "api/router.h"
#include "base/json_writer.h"

namespace edgefn::api {

/// The document for `routes` (JSON text).
[[nodiscard]] std::string openapi_document(const router& routes);

/// The JSON Schema of one column's values as the API writes them (nullable columns accept null).
void write_column_schema(json::writer& w, const db::column_info& c);

}  // namespace edgefn::api
