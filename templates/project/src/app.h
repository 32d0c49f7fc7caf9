#pragma once
// The {{name}} app: its route table. api::app_entry() (app.cpp) hands it to the hosts: the
// native binary (`serve`) and the wasm module (workerd / Cloudflare Workers).

#include "api/route.h"

namespace {{name}} {

/// The route table and OpenAPI metadata (static storage).
[[nodiscard]] const edgefn::api::app_spec& app();

}  // namespace {{name}}
