#include "neon/error.h"

#include <array>
#include <utility>

#include "base/json_small.h"
#include "base/json_writer.h"

namespace edgefn::neon {
std::string_view to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::database: return "database";
    case error_kind::proxy: return "proxy";
    case error_kind::request_too_large: return "request_too_large";
    case error_kind::server_error: return "server_error";
    case error_kind::response_too_large: return "response_too_large";
    case error_kind::http_status: return "http_status";
    case error_kind::transport_dns: return "transport_dns";
    case error_kind::transport_connect: return "transport_connect";
    case error_kind::transport_tls: return "transport_tls";
    case error_kind::transport_timeout: return "transport_timeout";
    case error_kind::transport_other: return "transport_other";
    case error_kind::protocol: return "protocol";
    case error_kind::invalid_connection_string: return "invalid_connection_string";
    case error_kind::invalid_argument: return "invalid_argument";
    case error_kind::null_value: return "null_value";
    case error_kind::wrong_type: return "wrong_type";
    case error_kind::invalid_value: return "invalid_value";
    case error_kind::out_of_range: return "out_of_range";
  }
  return "unknown";
}

error make_error(error_kind kind, std::string message) {
  error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

error transport_error(transport kind, std::string_view detail) {
  error_kind k = error_kind::transport_other;
  switch (kind) {
    case transport::dns: k = error_kind::transport_dns; break;
    case transport::connect: k = error_kind::transport_connect; break;
    case transport::tls: k = error_kind::transport_tls; break;
    case transport::timeout: k = error_kind::transport_timeout; break;
    case transport::other: k = error_kind::transport_other; break;
  }
  std::string msg = "Error connecting to database: ";
  msg.append(detail);
  return make_error(k, std::move(msg));
}

error_fields::~error_fields() = default;
error_fields::error_fields(const error_fields&) = default;
error_fields::error_fields(error_fields&&) noexcept = default;
error_fields& error_fields::operator=(const error_fields&) = default;
error_fields& error_fields::operator=(error_fields&&) noexcept = default;

namespace {

using field_ptr = std::optional<std::string> error_fields::*;

struct named_field {
  std::string_view key;
  field_ptr member;
};

constexpr std::array<named_field, 17> k_fields{{
    {"message", &error_fields::message},
    {"code", &error_fields::code},
    {"detail", &error_fields::detail},
    {"hint", &error_fields::hint},
    {"position", &error_fields::position},
    {"internalPosition", &error_fields::internal_position},
    {"internalQuery", &error_fields::internal_query},
    {"severity", &error_fields::severity},
    {"where", &error_fields::where},
    {"table", &error_fields::table},
    {"column", &error_fields::column},
    {"schema", &error_fields::schema},
    {"dataType", &error_fields::data_type},
    {"constraint", &error_fields::constraint},
    {"file", &error_fields::file},
    {"line", &error_fields::line},
    {"routine", &error_fields::routine},
}};

field_ptr find_field(std::string_view key) {
  for (const auto& f : k_fields)
    if (f.key == key) return f.member;
  return nullptr;
}

// Reads one field value: null -> nullopt, string -> its text, anything else -> its JSON text.
void read_field_value(json::node v, std::optional<std::string>& out) {
  if (v.type() == json::kind::null) {
    out.reset();
  } else if (const auto s = v.string()) {
    out = std::string(*s);
  } else {
    out.emplace();
    v.write(*out);
  }
}

error server_error_message(int http_status, std::string_view body) {
  error_kind k = error_kind::http_status;
  if (http_status == 413) k = error_kind::request_too_large;
  if (http_status == 500) k = error_kind::server_error;
  if (http_status == 507) k = error_kind::response_too_large;
  std::string msg = "Server error (HTTP status ";
  msg += json::decimal(http_status);
  msg += "): ";
  msg.append(body);
  error e = make_error(k, std::move(msg));
  e.http_status = http_status;
  return e;
}

error bad_400_body(std::string_view body) {
  std::string msg = "invalid JSON error body (HTTP status 400): ";
  msg.append(body);
  error e = make_error(error_kind::protocol, std::move(msg));
  e.http_status = 400;
  return e;
}

error from_fields(error_fields f) {
  const bool proxy = !f.code || f.code->empty();
  std::string msg = f.message ? *f.message : std::string("database error without a message");
  error e = make_error(proxy ? error_kind::proxy : error_kind::database, std::move(msg));
  e.http_status = 400;
  e.fields = std::move(f);
  return e;
}

}  // namespace

error error_from_http(int http_status, const padded_buffer& body) {
  if (http_status != 400) return server_error_message(http_status, body.view());
  json::small_doc doc;
  const auto root = doc.read_value(body.view());
  if (!root) return bad_400_body(body.view());
  error_fields f;
  if (const auto s = root->string()) {  // e.g. the bare "query is not supported"
    f.message = std::string(*s);
    return from_fields(std::move(f));
  }
  if (root->type() != json::kind::object) return bad_400_body(body.view());
  // Unknown keys are ignored, as the driver does.
  for (json::node m = root->first(); m; m = m.next())
    if (field_ptr p = find_field(m.key())) read_field_value(m, f.*p);
  if (!f.message) return bad_400_body(body.view());
  return from_fields(std::move(f));
}

}  // namespace edgefn::neon
