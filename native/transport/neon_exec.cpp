#include "transport/neon_exec.h"

namespace edgefn::native {

neon::error to_neon_error(const transport_result& r) {
  neon::transport kind = neon::transport::other;
  switch (r.failure) {
    case transport_failure::dns: kind = neon::transport::dns; break;
    case transport_failure::connect: kind = neon::transport::connect; break;
    case transport_failure::tls: kind = neon::transport::tls; break;
    case transport_failure::timeout: kind = neon::transport::timeout; break;
    case transport_failure::none:
    case transport_failure::other: break;
  }
  return neon::transport_error(kind, r.failure_detail);
}

neon::result<neon::result_set> execute(curl_transport& transport, neon::client& client,
                                       std::string_view sql,
                                       std::span<const neon::param> params) {
  transport_result r = transport.perform(client.make_query_request(sql, params));
  if (r.failure != transport_failure::none) return to_neon_error(r);
  return client.decode_response(r.response);
}

neon::result<std::vector<neon::result_set>> execute_batch(curl_transport& transport,
                                                          neon::client& client,
                                                          std::span<const neon::query> queries,
                                                          const neon::batch_options& options) {
  transport_result r = transport.perform(client.make_batch_request(queries, options));
  if (r.failure != transport_failure::none) return to_neon_error(r);
  return client.decode_batch_response(r.response);
}

}  // namespace edgefn::native
