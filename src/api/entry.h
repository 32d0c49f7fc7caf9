#pragma once
// The one symbol an app provides to the hosts: its route table. Each app defines it once (in
// its folder); the wasm module and the app's native binary link exactly one app.

#include "api/route.h"

namespace edgefn::api {

/// The linked app's route table and metadata (static storage).
[[nodiscard]] const app_spec& app_entry();

}  // namespace edgefn::api
