// Connection strings (src/neon/connection_string): percent-decoding, parsing and the derived
// /sql endpoints.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "neon/connection_string.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)edgefn::neon::percent_decode(text);
  auto info = edgefn::neon::parse_connection_string(text);
  if (!info) return 0;
  (void)edgefn::neon::derive_sql_endpoint(info->host, false);
  (void)edgefn::neon::derive_sql_endpoint(info->host, true);
  (void)info->param("sslmode");
  // A parsed string always has what the header documents.
  if (info->user.empty() || info->database.empty() || info->original != text) std::abort();
  return 0;
}
