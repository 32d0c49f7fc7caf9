#pragma once
// Internal to the Neon client: what result_set.cpp (compiled for speed in the wasm module: it
// reads every row) and decoder.cpp (compiled for size: once per response) share.

#include <cstddef>
#include <string>

#include "neon/result_set.h"

namespace edgefn::neon::detail {

/// One result object ({"fields":[...],"rows":[[...]],...}) into a result_set; `arena_hint`
/// reserves that many bytes of cell text. Errors: `protocol` for malformed or unexpected JSON.
[[nodiscard]] result<result_set> decode_object(simdjson::ondemand::value v, std::size_t arena_hint);

/// "malformed /sql response: <what simdjson found>" (kind `protocol`).
[[nodiscard]] error json_error(simdjson::error_code code);

/// A `protocol` error saying `message`.
[[nodiscard]] error protocol_error(std::string message);

}  // namespace edgefn::neon::detail
