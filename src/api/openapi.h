#pragma once
// The OpenAPI 3.1 document of the wardrobe API (GET /api/openapi.json).

#include <string_view>

namespace edgefn::api {

/// The document as JSON text (static storage).
[[nodiscard]] std::string_view openapi_json() noexcept;

}  // namespace edgefn::api
