#include "api/openapi.h"

#include "api/errors.h"
#include "base/json_writer.h"
#include "base/text.h"

namespace edgefn::api {
namespace {

using json::writer;

void write_type(writer& w, std::string_view type, bool nullable) {
  if (type.empty()) return;  // jsonb: any JSON
  w.key("type");
  if (!nullable) {
    w.string(type);
    return;
  }
  w.begin_array().string(type).string("null").end_array();
}

void write_format(writer& w, const db::column_info& c) {
  switch (c.type) {
    case db::col_type::serial:
    case db::col_type::integer: w.key("format").string("int32"); break;
    case db::col_type::bigint: w.key("format").string("int64"); break;
    case db::col_type::timestamp:
    case db::col_type::timestamptz: w.key("format").string("date-time"); break;
    case db::col_type::date: w.key("format").string("date"); break;
    case db::col_type::uuid: w.key("format").string("uuid"); break;
    case db::col_type::numeric: w.key("pattern").string("^-?[0-9]+(\\.[0-9]+)?$"); break;
    default: break;
  }
}

/// {"type":"object","properties":{...},"required":[...]} of `table` as rows (every column) or
/// as a body (`body` set: without omitted columns; required per the insert/update schema).
void write_object_schema(writer& w, const table_doc& table, const body_def* body) {
  auto omitted = [&](const db::column_info& c) {
    if (!body) return false;
    for (auto o : body->omit)
      if (o == c.name) return true;
    return false;
  };
  w.begin_object().key("type").string("object").key("additionalProperties").boolean(false);
  w.key("properties").begin_object();
  for (const auto* c : table.columns) {
    if (omitted(*c)) continue;
    w.key(c->json.view());
    write_column_schema(w, *c);
  }
  w.end_object();
  w.key("required").begin_array();
  for (const auto* c : table.columns) {
    if (omitted(*c)) continue;
    const bool required = body ? (body->mode == db::body_mode::insert && c->required_on_insert()) : true;
    if (required) w.string(c->json.view());
  }
  w.end_array();
  if (body && body->mode == db::body_mode::update) w.key("minProperties").integer(1);
  w.end_object();
}

std::string ref(std::string_view component) { return "#/components/schemas/" + std::string(component); }

void write_ref(writer& w, std::string_view component) { w.begin_object().key("$ref").string(ref(component)).end_object(); }

void write_response_schema(writer& w, const response_def& r) {
  switch (r.shape) {
    case response_shape::row:
      if (r.nested.empty()) {
        write_ref(w, r.table.name);
        return;
      }
      w.begin_object().key("allOf").begin_array();
      write_ref(w, r.table.name);
      w.begin_object().key("type").string("object").key("properties").begin_object().key(r.nested_key);
      w.begin_object().key("type").string("array").key("items");
      write_ref(w, r.nested.name);
      w.end_object().end_object().key("required").begin_array().string(r.nested_key).end_array().end_object();
      w.end_array().end_object();
      return;
    case response_shape::rows:
      w.begin_object().key("type").string("array").key("items");
      write_ref(w, r.table.name);
      w.end_object();
      return;
    case response_shape::rows_in: {
      std::string props = "{\"" + std::string(r.key) + "\":{\"type\":\"array\",\"items\":{\"$ref\":\"" + ref(r.table.name) + "\"}}";
      if (!r.schema.empty()) props += "," + std::string(r.schema);
      props += "}";
      w.begin_object().key("type").string("object").key("properties").raw(props);
      w.key("required").begin_array().string(r.key).end_array().end_object();
      return;
    }
    case response_shape::custom: w.raw(r.schema); return;
    case response_shape::none: w.begin_object().end_object(); return;
  }
}

void write_error_ref(writer& w, int status, std::string_view description) {
  w.key(json::decimal(status)).begin_object().key("description").string(description);
  w.key("content").begin_object().key("application/json").begin_object().key("schema");
  write_ref(w, "Error");
  w.end_object().end_object().end_object();
}


void write_parameters(writer& w, const compiled_route& r) {
  w.key("parameters").begin_array();
  for (const auto& s : r.segments) {
    if (!s.is_param) continue;
    w.begin_object().key("name").string(s.name).key("in").string("path").key("required").boolean(true);
    w.key("schema").begin_object();
    if (s.type == param_type::text) w.key("type").string("string");
    else {
      w.key("type").string("integer").key("format").string("int32");
      w.key("minimum").integer(s.type == param_type::id ? 1 : INT32_MIN).key("maximum").integer(INT32_MAX);
    }
    w.end_object();
    if (s.type != param_type::text) w.key("description").string("a value that is not a valid number answers 404");
    w.end_object();
  }
  for (const auto& q : r.def->query) {
    w.begin_object().key("name").string(q.name).key("in").string("query").key("schema").raw(q.schema);
    if (!q.description.empty()) w.key("description").string(q.description);
    w.end_object();
  }
  if (r.def->method == "POST") {  // api/idempotency.h
    w.begin_object().key("name").string("Idempotency-Key").key("in").string("header");
    w.key("schema").raw(R"({"type":"string","minLength":1,"maxLength":255})");
    w.key("description").string("a retry with the same key and request replays the first response (24 h)");
    w.end_object();
  }
  w.end_array();
}

void write_operation(writer& w, const compiled_route& r) {
  const route_def& d = *r.def;
  w.key(text::ascii_lower(d.method)).begin_object();
  if (!d.operation_id.empty()) w.key("operationId").string(d.operation_id);
  if (!d.summary.empty()) w.key("summary").string(d.summary);
  if (d.auth == auth_mode::none) w.key("security").begin_array().end_array();
  else if (d.auth == auth_mode::optional) w.key("security").raw("[{},{\"bearer\":[]}]");
  write_parameters(w, r);
  if (!d.body.empty()) {
    w.key("requestBody").begin_object().key("required").boolean(true).key("content").begin_object();
    w.key("application/json").begin_object().key("schema");
    write_object_schema(w, d.body.table, &d.body);
    w.end_object().end_object().end_object();
  }
  w.key("responses").begin_object();
  w.key(json::decimal(d.response.status)).begin_object().key("description").string(d.response.description);
  if (d.response.shape != response_shape::none) {
    w.key("content").begin_object().key("application/json").begin_object().key("schema");
    write_response_schema(w, d.response);
    w.end_object().end_object();
  }
  w.end_object();
  if (!d.body.empty()) {
    write_error_ref(w, 400, "invalid_json, or validation_failed with one message per field");
    write_error_ref(w, 413, "payload_too_large");
    write_error_ref(w, 415, "unsupported_media_type: the body must be application/json");
  } else if (!d.query.empty()) {
    write_error_ref(w, 400, "validation_failed: a query parameter is invalid");
  }
  if (d.auth != auth_mode::none) write_error_ref(w, 401, "unauthorized: missing, malformed, expired or wrongly signed token");
  if (r.literals != static_cast<int>(r.segments.size())) write_error_ref(w, 404, "not_found");
  if (d.method != "GET") write_error_ref(w, 409, "conflict: a unique or foreign-key constraint");
  if (d.method == "POST") write_error_ref(w, 422, "idempotency_key_reused: the key was sent with another request");
  write_error_ref(w, 500, "internal: the message carries the request id");
  write_error_ref(w, 503, "service_unavailable: the database is unreachable (Retry-After)");
  write_error_ref(w, 504, "timeout: the route's database deadline passed");
  w.end_object().end_object();
}

/// Every table named by a route (component name -> columns), in first-seen order.
std::vector<table_doc> tables_of(const router& routes) {
  std::vector<table_doc> out;
  auto add = [&](const table_doc& t) {
    if (t.empty()) return;
    for (const auto& have : out)
      if (have.name == t.name) return;
    out.push_back(t);
  };
  for (const auto& r : routes.routes()) {
    add(r.def->response.table);
    add(r.def->response.nested);
  }
  return out;
}

void write_components(writer& w, const router& routes) {
  w.key("components").begin_object();
  w.key("securitySchemes").raw("{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\",\"bearerFormat\":\"JWT\"}}");
  w.key("schemas").begin_object();
  for (const auto& t : tables_of(routes)) {
    w.key(t.name);
    write_object_schema(w, t, nullptr);
  }
  // The codes from api::error_code itself, so that a new code cannot be left out of the document.
  w.key("Error").begin_object().key("type").string("object");
  w.key("required").begin_array().string("error").end_array();
  w.key("properties").begin_object().key("error").begin_object().key("type").string("object");
  w.key("required").begin_array().string("code").string("message").end_array();
  w.key("properties").begin_object().key("code").begin_object().key("enum").begin_array();
  for (int c = 0; c <= static_cast<int>(k_last_error_code); ++c) w.string(to_string(static_cast<error_code>(c)));
  w.end_array().end_object();
  w.key("message").raw("{\"type\":\"string\"}");
  w.key("fields").raw("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
  w.end_object().end_object().end_object().end_object();
  w.end_object().end_object();
}

}  // namespace

void write_column_schema(writer& w, const db::column_info& c) {
  w.begin_object();
  if (c.type == db::col_type::enumeration && c.enumeration) {
    w.key("enum").begin_array();
    for (auto v : c.enumeration->values) w.string(v);
    if (!c.not_null) w.null();
    w.end_array();
  } else {
    write_type(w, db::json_type(c.type), !c.not_null);
    write_format(w, c);
  }
  if (c.length > 0) w.key("maxLength").integer(c.length);
  if (c.type == db::col_type::integer || c.type == db::col_type::serial)
    w.key("minimum").integer(INT32_MIN).key("maximum").integer(INT32_MAX);
  w.end_object();
}

std::string openapi_document(const router& routes) {
  const app_spec& app = routes.app();
  std::string out;
  writer w(out);
  w.begin_object().key("openapi").string("3.1.0");
  w.key("info").begin_object().key("title").string(app.title).key("version").string(app.version);
  if (!app.description.empty()) w.key("description").string(app.description);
  w.end_object();
  w.key("servers").raw("[{\"url\":\"/\"}]").key("security").raw("[{\"bearer\":[]}]");
  w.key("paths").begin_object();
  if (!app.health_path.empty())
    w.key(app.health_path).raw(
        "{\"get\":{\"operationId\":\"health\",\"security\":[],\"summary\":\"Liveness (no auth, no database)\","
        "\"responses\":{\"200\":{\"description\":\"ok\"}}}}");
  if (!app.openapi_path.empty())
    w.key(app.openapi_path).raw(
        "{\"get\":{\"operationId\":\"openapi\",\"security\":[],\"summary\":\"This document\","
        "\"responses\":{\"200\":{\"description\":\"the OpenAPI document\"}}}}");
  // Operations grouped by path, in first-seen order. An app has a few routes: scanning them per
  // path needs no std::map, whose red-black tree was the wasm module's only one.
  const auto& all = routes.routes();
  for (std::size_t i = 0; i < all.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = all[j].doc_path == all[i].doc_path;
    if (seen) continue;
    w.key(all[i].doc_path).begin_object();
    for (std::size_t j = i; j < all.size(); ++j)
      if (all[j].doc_path == all[i].doc_path) write_operation(w, all[j]);
    w.end_object();
  }
  w.end_object();
  write_components(w, routes);
  w.end_object();
  return out;
}

}  // namespace edgefn::api
