#include "studio/studio_server.h"

#include <charconv>
#include <cstdio>
#include <utility>

#include "api/body.h"
#include "api/errors.h"
#include "api/router.h"
#include "api/sql.h"
#include "base/json_writer.h"
#include "db/model.h"
#include "studio/access.h"
#include "studio/queries.h"
#include "transport/neon_exec.h"

namespace edgefn::studio {
namespace {

constexpr std::int64_t k_max_page = 500;
constexpr std::size_t k_max_console_rows = 1000;
constexpr std::size_t k_max_body_bytes = 256 * 1024;

void add_common_headers(httpd::response& r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
}

httpd::response json_response(int status, std::string body) {
  httpd::response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  add_common_headers(r);
  r.body = std::move(body);
  return r;
}

/// The API's error envelope: {"error":{"code","message"[,"detail"][,"fields"]}}.
httpd::response error_json(int status, std::string_view code, std::string_view message,
                           std::string_view detail = {}, const api::field_errors& fields = {}) {
  std::string out;
  json::writer w(out);
  w.begin_object().key("error").begin_object().key("code").string(code).key("message").string(message);
  if (!detail.empty()) w.key("detail").string(detail);
  if (!fields.empty()) {
    w.key("fields").begin_object();
    for (const auto& [k, v] : fields) w.key(k).string(v);
    w.end_object();
  }
  w.end_object().end_object();
  return json_response(status, std::move(out));
}

httpd::response from_core(exchange::response r) {
  httpd::response out = json_response(r.status, std::move(r.body));
  return out;
}

/// A database failure as the user should see it. Constraint errors on a table's row get the
/// API's answer (api/sql.h: 409 or 400 naming the field, e.g. "authorId": "must reference an
/// existing row of authors"); any other error shows Postgres' message, detail and hint (never
/// the SQL text or the connection string, which neon::error does not carry).
httpd::response database_error(const neon::error& e, const db::table_info* table) {
  if (e.is_transport()) return error_json(502, "database_unreachable", e.message);
  const std::string_view state = e.sqlstate();
  if (table && (state == "23505" || state == "23503" || state == "23502"))
    if (auto r = api::client_error(e, table->columns)) return from_core(std::move(*r));
  std::string detail = e.fields.detail.value_or("");
  if (e.fields.hint) detail += (detail.empty() ? "" : " ") + ("Hint: " + *e.fields.hint);
  return error_json(400, state.empty() ? "database_error" : std::string("sqlstate_") + std::string(state),
                    e.message, detail);
}

/// {"columns":[...],"rows":[[text|null,...],...]} members of `rs` (at most `max_rows` rows).
void write_rows(json::writer& w, const neon::result_set& rs, std::size_t max_rows) {
  w.key("columns").begin_array();
  for (const auto& f : rs.fields()) w.string(f.name);
  w.end_array().key("rows").begin_array();
  for (std::size_t r = 0; r < rs.rows() && r < max_rows; ++r) {
    w.begin_array();
    for (std::size_t c = 0; c < rs.columns(); ++c) {
      if (rs.is_null(r, c)) w.null();
      else w.string(rs.text(r, c));
    }
    w.end_array();
  }
  w.end_array();
}

/// What the page's editor expects: db::json_type, with "json" for a jsonb column (any value).
std::string_view value_kind(db::col_type t) {
  return t == db::col_type::jsonb ? std::string_view("json") : db::json_type(t);
}

void write_column(json::writer& w, const db::column_info& c) {
  w.begin_object().key("name").string(c.name).key("json").string(c.json.view());
  w.key("type").string(db::type_text(c)).key("kind").string(value_kind(c.type));
  w.key("notNull").boolean(c.not_null).key("primaryKey").boolean(c.primary_key);
  w.key("hasDefault").boolean(c.has_default()).key("required").boolean(c.required_on_insert());
  if (c.length > 0) w.key("maxLength").integer(c.length);
  if (c.enumeration) {
    w.key("enum").begin_array();
    for (auto v : c.enumeration->values) w.string(v);
    w.end_array();
  }
  if (!c.ref_table.empty())
    w.key("references").begin_object().key("table").string(c.ref_table).key("column").string(c.ref_column).end_object();
  w.end_object();
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// The row key from `key.<column>=value` parameters: every primary-key column, nothing else.
basic_result<std::vector<key_value>, httpd::response> parse_key(const db::table_info& t,
                                                                const std::vector<api::query_param>& params) {
  std::vector<key_value> key;
  for (const auto& p : params) {
    if (!p.name.starts_with("key.")) continue;
    const db::column_info* c = t.find_column(std::string_view(p.name).substr(4));
    if (!c || !c->primary_key) return error_json(400, "bad_request", "key." + p.name.substr(4) + " is not a primary key column of " + std::string(t.name));
    key.push_back({c, p.value});
  }
  if (key_columns(t).empty())
    return error_json(400, "bad_request", std::string(t.name) + " has no primary key: its rows can only be changed from the SQL console");
  if (key.size() != key_columns(t).size()) return error_json(400, "bad_request", "the row's primary key is incomplete");
  return key;
}

}  // namespace

studio_service::studio_service(studio_config config, neon::client client)
    : config_(std::move(config)), client_(std::move(client)) {}

const db::table_info* studio_service::find_table(std::string_view name) const {
  for (const auto& t : config_.tables)
    if (t.name == name) return &t;
  return nullptr;
}

httpd::response studio_service::handle(const httpd::request& req) {
  httpd::response r;
  if (!host_allowed(req, port_) || !token_equals(presented_token(req), config_.token))
    r = error_json(403, "forbidden", "open the URL `db studio` printed (it carries the access token)");
  else
    r = route(req);
  // One line per request: the path only (the query may hold the token), never a header.
  const auto [path, query] = api::split_target(req.target);
  std::fprintf(stderr, "studio: %s %.*s %d\n", req.method.c_str(), static_cast<int>(path.size()), path.data(), r.status);
  return r;
}

httpd::response studio_service::route(const httpd::request& req) {
  const auto [path, query] = api::split_target(req.target);
  if (path == "/" && req.method == "GET") {
    httpd::response r;
    r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                           "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
                           "frame-ancestors 'none'");
    r.headers.emplace_back("Set-Cookie", token_cookie(config_.token));
    add_common_headers(r);
    r.body = std::string(page_html());
    return r;
  }
  if (path == "/api/meta" && req.method == "GET") return meta();
  if (path == "/api/rows" && req.method == "GET") return rows(req);
  if (path == "/api/rows" && (req.method == "POST" || req.method == "PATCH" || req.method == "DELETE"))
    return write(req);
  if (path == "/api/sql" && req.method == "POST") return console(req);
  return error_json(404, "not_found", "no such page");
}

httpd::response studio_service::meta() const {
  std::string out;
  json::writer w(out);
  w.begin_object().key("app").string(config_.app_name);
  w.key("environment").string(config_.environment.empty() ? "development" : config_.environment);
  w.key("writable").boolean(config_.writable).key("tables").begin_array();
  for (const auto& t : config_.tables) {
    w.begin_object().key("name").string(t.name).key("key").begin_array();
    for (const auto* k : key_columns(t)) w.string(k->name);
    w.end_array().key("columns").begin_array();
    for (const auto* c : t.columns) write_column(w, *c);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return json_response(200, std::move(out));
}

httpd::response studio_service::rows(const httpd::request& req) {
  const auto params = api::parse_query(api::split_target(req.target).second);
  page_request page;
  for (const auto& p : params) {
    if (p.name == "table") {
      page.table = find_table(p.value);
      if (!page.table) return error_json(404, "not_found", "no table " + p.value + " in the schema");
    }
  }
  if (!page.table) return error_json(400, "bad_request", "table is required");
  for (const auto& p : params) {
    if (p.name == "limit" || p.name == "offset") {
      auto v = parse_int(p.value);
      if (!v || *v < 0 || (p.name == "limit" && (*v < 1 || *v > k_max_page)))
        return error_json(400, "bad_request", p.name + " must be " + (p.name == "limit" ? "an integer from 1 to 500" : "a non-negative integer"));
      (p.name == "limit" ? page.limit : page.offset) = *v;
    } else if (p.name == "sort" || p.name == "col") {
      const db::column_info* c = page.table->find_column(p.value);
      if (!c) return error_json(400, "bad_request", "no column " + p.value + " in " + std::string(page.table->name));
      if (p.name == "sort") page.sort = c;
      else page.filters.push_back({c, "eq", ""});
    } else if (p.name == "dir") {
      page.descending = p.value == "desc";
    } else if (p.name == "op" || p.name == "val") {
      if (page.filters.empty()) return error_json(400, "bad_request", p.name + " must follow col");
      if (p.name == "val") { page.filters.back().value = p.value; continue; }
      if (!known_op(p.value)) return error_json(400, "bad_request", "unknown filter operator " + p.value);
      page.filters.back().op = p.value;
    }
  }
  const neon::query queries[] = {select_page(page), count_rows(page)};
  neon::batch_options options;
  options.read_only = true;
  std::lock_guard lock(mu_);
  auto rs = native::execute_batch(transport_, client_, queries, options);
  if (!rs) return database_error(rs.error(), page.table);
  std::string out;
  json::writer w(out);
  w.begin_object();
  write_rows(w, (*rs)[0], static_cast<std::size_t>(page.limit));
  w.key("total").raw((*rs)[1].rows() > 0 ? (*rs)[1].text(0, 0) : "0");
  w.key("offset").integer(page.offset).key("limit").integer(page.limit);
  w.end_object();
  return json_response(200, std::move(out));
}

httpd::response studio_service::write(const httpd::request& req) {
  if (!config_.writable)
    return error_json(403, "read_only",
                      "writes are refused when ENVIRONMENT=production; restart `db studio` with --allow-writes to change data");
  const auto params = api::parse_query(api::split_target(req.target).second);
  const auto name = api::find_param(params, "table");
  const db::table_info* t = name ? find_table(*name) : nullptr;
  if (!t) return error_json(404, "not_found", "no such table in the schema");
  std::vector<key_value> key;
  if (req.method != "POST") {
    auto k = parse_key(*t, params);
    if (!k) return k.error();
    key = std::move(*k);
  }
  neon::query q;
  if (req.method == "DELETE") {
    auto d = delete_row(*t, key);
    if (!d) return error_json(400, "bad_request", d.error().message);
    q = std::move(*d);
  } else {
    // The core's body validation, as every route's: 413, 415, invalid JSON, one message per field.
    exchange::request body_req;
    body_req.headers = req.headers;
    body_req.body = padded_buffer(req.body);
    const api::body_def def{api::table_doc{t->name, t->columns},
                            req.method == "POST" ? db::body_mode::insert : db::body_mode::update, {}};
    auto read = api::read_body(body_req, def, k_max_body_bytes);
    if (!read) return from_core(std::move(read).error());
    if (!read->fields.empty()) return from_core(api::invalid_fields(read->fields));
    if (req.method == "POST") {
      q = insert_row(*t, read->cells);
    } else {
      auto u = update_row(*t, read->cells, key);
      if (!u) return error_json(400, "bad_request", u.error().message);
      q = std::move(*u);
    }
  }
  std::lock_guard lock(mu_);
  auto rs = native::execute(transport_, client_, q.text, q.params);
  if (!rs) return database_error(rs.error(), t);
  if (req.method != "POST" && rs->rows() == 0) return error_json(404, "not_found", "no row with that key (deleted meanwhile?)");
  std::string out;
  json::writer w(out);
  w.begin_object();
  write_rows(w, *rs, 1);
  w.end_object();
  return json_response(req.method == "POST" ? 201 : 200, std::move(out));
}

httpd::response studio_service::console(const httpd::request& req) {
  const std::string* ct = req.header("content-type");
  if (!ct || !api::is_json_media_type(*ct)) return error_json(415, "unsupported_media_type", "Content-Type must be application/json");
  if (req.body.size() > k_max_body_bytes) return error_json(413, "payload_too_large", "request body over 256 KiB");
  const padded_buffer body(req.body);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  std::string_view sql;
  if (parser.iterate(body.padded_view()).get(doc) || doc["sql"].get_string().get(sql))
    return error_json(400, "invalid_json", "the body must be {\"sql\": \"<one statement>\"}");
  if (sql.find_first_not_of(" \t\r\n;") == std::string_view::npos) return error_json(400, "bad_request", "the statement is empty");
  // Read-only mode: Postgres refuses any write inside a read-only transaction, whatever the text.
  std::lock_guard lock(mu_);
  neon::result<neon::result_set> rs = [&]() -> neon::result<neon::result_set> {
    if (config_.writable) return native::execute(transport_, client_, sql);
    const neon::query q{std::string(sql), {}};
    neon::batch_options options;
    options.read_only = true;
    auto batch = native::execute_batch(transport_, client_, std::span<const neon::query>(&q, 1), options);
    if (!batch) return std::move(batch).error();
    return std::move(batch->front());
  }();
  if (!rs) return database_error(rs.error(), nullptr);
  const neon::result_set& r = *rs;
  std::string out;
  json::writer w(out);
  w.begin_object().key("command").string(r.command());
  if (r.row_count()) w.key("rowCount").integer(*r.row_count());
  else w.key("rowCount").null();
  w.key("truncated").boolean(r.rows() > k_max_console_rows);
  w.key("readOnly").boolean(!config_.writable);
  write_rows(w, r, k_max_console_rows);
  w.end_object();
  return json_response(200, std::move(out));
}

}  // namespace edgefn::studio
