#pragma once
// The Neon /sql client facade (sans-I/O): it builds http::requests and decodes http::responses;
// the host moves the bytes and reports transport failures with neon::transport_error().
//
//   auto c = neon::client::create({.connection_string = "postgresql://u:p@ep-x.aws.neon.tech/db"});
//   if (!c) return c.error();
//   http::request req = c->make_query_request("select $1::int4 as n", {neon::param(42)});
//   ... host sends req, fills an http::response resp ...
//   auto rs = c->decode_response(resp);              // neon::result<result_set>
//   if (rs) { auto n = rs->get<std::int32_t>(0, 0); }
//   else    { rs.error().kind, rs.error().sqlstate(), rs.error().message }

#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "neon/error.h"
#include "neon/param.h"
#include "neon/request.h"
#include "neon/result_set.h"
#include "neon/values.h"

namespace edgefn::neon {

class client {
 public:
  /// Validates the config (see make_target for the errors).
  [[nodiscard]] static result<client> create(const client_config& config) {
    auto t = make_target(config);
    if (!t) return std::move(t).error();
    return client(std::move(*t));
  }

  /// The parsed connection string (contains the password: never log it).
  [[nodiscard]] const connection_info& connection() const noexcept { return target_.connection; }
  /// The /sql URL requests go to.
  [[nodiscard]] const std::string& url() const noexcept { return target_.url; }

  [[nodiscard]] http::request make_query_request(std::string_view sql,
                                                 std::span<const param> params = {}) const {
    return neon::make_query_request(target_, sql, params);
  }
  [[nodiscard]] http::request make_query_request(std::string_view sql,
                                                 std::initializer_list<param> params) const {
    return neon::make_query_request(target_, sql, std::span<const param>(params.begin(), params.size()));
  }
  [[nodiscard]] http::request make_batch_request(std::span<const query> queries,
                                                 const batch_options& options = {}) const {
    return neon::make_batch_request(target_, queries, options);
  }

  /// Decodes the reply to make_query_request (reuses this client's parser buffers).
  [[nodiscard]] result<result_set> decode_response(const http::response& response) {
    return decoder_.decode(response);
  }
  /// Decodes the reply to make_batch_request: one result_set per query, in order.
  [[nodiscard]] result<std::vector<result_set>> decode_batch_response(const http::response& response) {
    return decoder_.decode_batch(response);
  }

 private:
  explicit client(target t) : target_(std::move(t)) {}
  target target_;
  decoder decoder_;
};

}  // namespace edgefn::neon
