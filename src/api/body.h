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

using body_cells = basic_result<std::vector<db::cell>, exchange::response>;

/// Validates `req`'s body against `def` (one cell per column of def.table, in order). Text
/// values are not yet checked for NUL characters: see nul_fields.
[[nodiscard]] body_cells read_body(const exchange::request& req, const body_def& def,
                                   std::size_t max_bytes);

/// The 413 for a body over `max_bytes` ("request body over 64 KiB", or a number of bytes when
/// the limit is not a whole number of KiB): the core's, and a native host's when its HTTP layer
/// stops reading first.
[[nodiscard]] exchange::response body_too_large(std::size_t max_bytes);

/// The fields whose text holds a NUL character (Postgres text cannot store it), in column order.
[[nodiscard]] field_errors nul_fields(const std::vector<db::cell>& cells, const body_def& def);

/// True when `content_type` is application/json (parameters such as charset allowed).
[[nodiscard]] bool is_json_media_type(std::string_view content_type);

}  // namespace edgefn::api
