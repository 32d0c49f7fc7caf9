#include "api/body.h"

#include "api/errors.h"
#include "base/json_writer.h"
#include "http/message.h"

namespace edgefn::api {

exchange::response body_too_large(std::size_t max_bytes) {
  const bool kib = max_bytes % 1024 == 0;
  const auto n = static_cast<std::int64_t>(kib ? max_bytes / 1024 : max_bytes);
  return error_response(error_code::payload_too_large, "request body over " + json::decimal(n) + (kib ? " KiB" : " bytes"));
}

namespace {

/// The fields whose text holds a NUL character, in column order.
field_errors nul_fields(const std::vector<db::cell>& cells, const body_def& def) {
  field_errors out;
  for (std::size_t i = 0; i < cells.size() && i < def.table.columns.size(); ++i) {
    const auto* s = std::get_if<std::string>(&cells[i]);
    if (s && s->find('\0') != std::string::npos)
      out.emplace_back(std::string(def.table.columns[i]->json.view()), "must not contain NUL characters");
  }
  return out;
}

}  // namespace

void add_field_errors(field_errors& fields, field_errors more) {
  const std::size_t earlier = fields.size();
  for (auto& f : more) {
    bool named = false;
    for (std::size_t i = 0; i < earlier && !named; ++i) named = fields[i].first == f.first;
    if (!named) fields.push_back(std::move(f));
  }
}

exchange::response invalid_fields(const field_errors& fields) {
  return error_response(error_code::validation_failed, "invalid fields", fields);
}

bool is_json_media_type(std::string_view v) {
  auto type = v.substr(0, v.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  return http::iequals(type, "application/json");
}

body_cells read_body(const exchange::request& req, const body_def& def, std::size_t max_bytes) {
  if (req.body.size() > max_bytes) return body_too_large(max_bytes);
  const std::string* ct = http::find_header(req.headers, "content-type");
  if (!ct || !is_json_media_type(*ct))
    return error_response(error_code::unsupported_media_type, "Content-Type must be application/json");
  const auto body = req.body.view();
  if (!json::is_valid_utf8(body) || body.find('\0') != std::string_view::npos)
    return error_response(error_code::invalid_json, "request body is not valid UTF-8 JSON");
  simdjson::ondemand::parser parser;
  const db::validate_options options{def.omit};
  auto cells = db::validate_body(req.body, def.table.columns, def.mode, options, parser);
  body_reading out;
  if (cells) {
    out.cells = std::move(*cells);
  } else {
    db::validation_error e = std::move(cells).error();
    if (e.message == "invalid JSON") return error_response(error_code::invalid_json, "request body is not valid JSON");
    if (e.fields.empty()) return error_response(error_code::validation_failed, e.message);
    for (auto& f : e.fields) out.fields.emplace_back(std::move(f.field), std::move(f.message));
    out.cells = std::move(e.cells);
  }
  add_field_errors(out.fields, nul_fields(out.cells, def));
  return out;
}

}  // namespace edgefn::api
