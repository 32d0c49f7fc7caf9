#pragma once
// The wardrobe app: its route table (every /api/wardrobe route acts for the authenticated user
// only). api::app_entry() returns it in the binaries that link this app.

#include "api/route.h"

namespace edgefn::wardrobe {

/// The route table and document metadata (static storage).
[[nodiscard]] const api::app_spec& app();

}  // namespace edgefn::wardrobe
