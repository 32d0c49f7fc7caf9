// The gateway's /sql request body (native/gateway/request_body): single queries and batches,
// params of every JSON kind converted to text bind values.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/request_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = edgefn::gateway::parse_payload(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!p) return 0;
  if (!p->batch && p->queries.size() != 1) std::abort();  // a single query is one query
  for (const auto& q : p->queries) {
    if (q.params.size() > 65535) std::abort();  // Bind counts params in 16 bits
  }
  return 0;
}
