#pragma once
// Request bodies as every route reads them: size (413), media type (415), UTF-8 JSON without
// NUL bytes (400 invalid_json), then the route's drizzle-zod style schema (400
// validation_failed with one message per field; text values may not contain NUL characters,
// which Postgres cannot store).

#include <cstddef>
#include <vector>

#include "api/errors.h"
#include "api/route.h"
#include "base/result.h"
#include "db/validate.h"
#include "exchange/action.h"

namespace edgefn::api {

/// A body read against its route's schema: one cell per column of def.table, in order (a
/// failing field's cell absent), and the fields that failed, one message each: the schema's,
/// then NUL characters in text (Postgres text cannot store them). Valid when `fields` is empty.
struct body_reading {
  std::vector<db::cell> cells;
  field_errors fields;
};

using body_cells = basic_result<body_reading, exchange::response>;

/// Reads `req`'s body against `def`. Errors (the whole body is refused): 413 over `max_bytes`,
/// 415 not application/json, 400 invalid_json, 400 validation_failed when it is not an object
/// or an update names no field. Per-field failures are the reading's `fields`, so that a
/// caller's own rules can add theirs to the same answer (add_field_errors, invalid_fields).
[[nodiscard]] body_cells read_body(const exchange::request& req, const body_def& def,
                                   std::size_t max_bytes);

/// Appends the fields of `more` that `fields` does not name yet: one message per field, the
/// earlier stage's (a duplicate key in the answer's "fields" object would hide one of them).
void add_field_errors(field_errors& fields, field_errors more);

/// The 400 validation_failed answer listing `fields`.
[[nodiscard]] exchange::response invalid_fields(const field_errors& fields);

/// The 413 for a body over `max_bytes` ("request body over 64 KiB", or a number of bytes when
/// the limit is not a whole number of KiB): the core's, and a native host's when its HTTP layer
/// stops reading first.
[[nodiscard]] exchange::response body_too_large(std::size_t max_bytes);

/// True when `content_type` is application/json (parameters such as charset allowed).
[[nodiscard]] bool is_json_media_type(std::string_view content_type);

}  // namespace edgefn::api
