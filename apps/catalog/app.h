#pragma once
// The catalog app (the Neon + Drizzle guide's authors and books). api::app_entry() returns it in
// the binaries that link this app.

#include "api/route.h"

namespace edgefn::catalog {

/// The route table and document metadata (static storage).
[[nodiscard]] const api::app_spec& app();

}  // namespace edgefn::catalog
