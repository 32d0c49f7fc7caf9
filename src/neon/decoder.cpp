// Decoding a /sql response's envelope, once per response: the status, the document, a batch's
// results. Compiled for size in the wasm module; the per-row work (detail::decode_object) is in
// result_set.cpp, compiled for speed (src/CMakeLists.txt).
#include <limits>

#include "neon/result_decode.h"

namespace edgefn::neon {
namespace od = simdjson::ondemand;
using detail::decode_object;
using detail::json_error;
using detail::protocol_error;

namespace {

EDGEFN_COLD error failed_response(const http::response& response) {
  return error_from_http(response.status, response.body);
}

status check_response(const http::response& response) {
  if (response.status < 200 || response.status > 299) return failed_response(response);
  if (response.body.size() >= std::numeric_limits<std::uint32_t>::max())
    return protocol_error("response body over 4 GiB");
  return {};
}

}  // namespace

result<result_set> decoder::decode(const http::response& response) {
  if (auto st = check_response(response); !st) return st.error();
  od::document doc;
  if (auto ec = parser_.iterate(response.body.padded_view()).get(doc)) return json_error(ec);
  od::value root;
  if (auto ec = doc.get_value().get(root)) return json_error(ec);
  return decode_object(root, response.body.size());
}

result<std::vector<result_set>> decoder::decode_batch(const http::response& response) {
  if (auto st = check_response(response); !st) return st.error();
  od::document doc;
  od::object obj;
  if (auto ec = parser_.iterate(response.body.padded_view()).get(doc)) return json_error(ec);
  if (auto ec = doc.get_object().get(obj)) return json_error(ec);
  for (auto member : obj) {
    std::string_view key;
    od::value v;
    if (auto ec = member.unescaped_key().get(key)) return json_error(ec);
    if (key != "results") continue;
    if (auto ec = member.value().get(v)) return json_error(ec);
    od::array arr;
    if (auto ec = v.get_array().get(arr)) return json_error(ec);
    std::vector<result_set> out;
    for (auto item : arr) {
      od::value rv;
      if (auto ec = item.get(rv)) return json_error(ec);
      auto rs = decode_object(rv, 0);
      if (!rs) return std::move(rs).error();
      out.push_back(std::move(*rs));
    }
    return out;
  }
  return protocol_error("Neon internal error: unexpected result format");
}

result<result_set> decode_response(const http::response& response) {
  decoder d;
  return d.decode(response);
}

result<std::vector<result_set>> decode_batch_response(const http::response& response) {
  decoder d;
  return d.decode_batch(response);
}

}  // namespace edgefn::neon
