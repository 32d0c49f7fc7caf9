#pragma once
// Running the core's Neon client over the native libcurl transport: the glue every native
// command uses. The core builds the request and decodes the response; this file moves bytes
// and turns transport failures into neon::error values.

#include <span>
#include <string_view>
#include <vector>

#include "neon/client.h"
#include "transport/curl_transport.h"

namespace edgefn::native {

/// Sends one statement and decodes the reply. Errors: everything neon::decoder reports, plus
/// the transport_* kinds when no HTTP response arrived.
[[nodiscard]] neon::result<neon::result_set> execute(curl_transport& transport,
                                                     neon::client& client, std::string_view sql,
                                                     std::span<const neon::param> params = {});

/// Sends `queries` as one Neon batch (a single transaction) and decodes every result.
[[nodiscard]] neon::result<std::vector<neon::result_set>> execute_batch(
    curl_transport& transport, neon::client& client, std::span<const neon::query> queries,
    const neon::batch_options& options = {});

/// Maps a libcurl transport failure to the core's error (message without credentials).
[[nodiscard]] neon::error to_neon_error(const transport_result& r);

}  // namespace edgefn::native
