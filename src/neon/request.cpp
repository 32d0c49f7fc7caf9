#include "neon/request.h"

#include <utility>

#include "base/json_writer.h"

namespace edgefn::neon {
namespace {

bool header_safe(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;
  }
  return true;
}

void append_query_object(std::string& out, std::string_view sql, std::span<const param> params) {
  out += "{\"query\":";
  json::append_string(out, sql);
  out += ",\"params\":";
  append_params_json(out, params);
  out += '}';
}

http::request base_request(const target& t, std::string body) {
  http::request req;
  req.method = "POST";
  req.url = t.url;
  req.headers = t.headers;
  req.body = std::move(body);
  return req;
}

}  // namespace

std::string_view to_string(isolation_level level) noexcept {
  switch (level) {
    case isolation_level::read_uncommitted: return "ReadUncommitted";
    case isolation_level::read_committed: return "ReadCommitted";
    case isolation_level::repeatable_read: return "RepeatableRead";
    case isolation_level::serializable: return "Serializable";
  }
  return "Serializable";
}

result<target> make_target(const client_config& config) {
  auto info = parse_connection_string(config.connection_string);
  if (!info) return std::move(info).error();
  if (!header_safe(config.auth_token))
    return make_error(error_kind::invalid_argument,
                      "the auth token contains characters not allowed in an HTTP header");
  if (!header_safe(config.endpoint_override))
    return make_error(error_kind::invalid_argument,
                      "the endpoint override contains characters not allowed in a URL");
  target t;
  const bool jwt = !config.auth_token.empty();
  t.url = config.endpoint_override.empty() ? derive_sql_endpoint(info->host, jwt)
                                           : config.endpoint_override;
  http::add_header(t.headers, "Neon-Connection-String", config.connection_string);
  add_row_format_headers(t.headers);
  if (jwt) http::add_header(t.headers, "Authorization", "Bearer " + config.auth_token);
  t.connection = std::move(*info);
  return t;
}

void add_row_format_headers(http::header_list& headers) {
  http::add_header(headers, "Neon-Raw-Text-Output", "true");
  http::add_header(headers, "Neon-Array-Mode", "true");
}

std::string query_body(std::string_view sql, std::span<const param> params) {
  std::string out;
  out.reserve(sql.size() + 32 + params.size() * 8);
  append_query_object(out, sql, params);
  return out;
}

std::string batch_body(std::span<const query> queries) {
  std::string out = "{\"queries\":[";
  for (std::size_t i = 0; i < queries.size(); ++i) {
    if (i > 0) out += ',';
    append_query_object(out, queries[i].text, queries[i].params);
  }
  out += "]}";
  return out;
}

http::request make_query_request(const target& t, std::string_view sql,
                                 std::span<const param> params) {
  return base_request(t, query_body(sql, params));
}

http::request make_batch_request(const target& t, std::span<const query> queries,
                                 const batch_options& options) {
  http::request req = base_request(t, batch_body(queries));
  if (options.isolation)
    http::add_header(req.headers, "Neon-Batch-Isolation-Level", std::string(to_string(*options.isolation)));
  if (options.read_only)
    http::add_header(req.headers, "Neon-Batch-Read-Only", *options.read_only ? "true" : "false");
  if (options.deferrable)
    http::add_header(req.headers, "Neon-Batch-Deferrable", *options.deferrable ? "true" : "false");
  return req;
}

}  // namespace edgefn::neon
