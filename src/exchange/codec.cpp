#include "exchange/codec.h"

#include <optional>

#include "auth/base64.h"
#include "base/json_small.h"
#include "base/json_writer.h"
#include "base/text.h"
#include "neon/lsn.h"

namespace edgefn::exchange {
namespace {

void put_headers(json::writer& w, const http::header_list& headers) {
  w.key("headers").begin_array();
  for (const auto& [k, v] : headers) w.begin_array().string(k).string(v).end_array();
  w.end_array();
}

void put_strings(json::writer& w, std::string_view key, const std::vector<std::string>& v) {
  w.key(key).begin_array();
  for (const auto& s : v) w.string(s);
  w.end_array();
}

error bad(std::string_view what) { return fail(errc::invalid_argument, std::string(what)); }

/// The fields of line-form metadata (see codec.h), read in order.
class lines {
 public:
  explicit lines(std::string_view text) : rest_(text) {}

  /// The next field; nullopt past the last.
  std::optional<std::string_view> next() {
    if (done_) return std::nullopt;
    const std::size_t nl = rest_.find('\n');
    if (nl == std::string_view::npos) {
      done_ = true;
      return rest_;
    }
    const std::string_view field = rest_.substr(0, nl);
    rest_.remove_prefix(nl + 1);
    return field;
  }

  /// Everything not read yet, line breaks included ("" past the last field).
  std::string_view rest() {
    const std::string_view r = done_ ? std::string_view() : rest_;
    done_ = true;
    return r;
  }

 private:
  std::string_view rest_;
  bool done_ = false;
};

/// Appends "\n" and `field`, any CR, LF or NUL in it written as a space (see codec.h).
void put_line(std::string& out, std::string_view field) {
  out += '\n';
  const std::size_t at = out.size();
  out += field;
  for (std::size_t i = at; i < out.size(); ++i)
    if (out[i] == '\n' || out[i] == '\r' || out[i] == '\0') out[i] = ' ';
}

void put_line_headers(std::string& out, const http::header_list& headers) {
  for (const auto& [k, v] : headers) {
    put_line(out, k);
    put_line(out, v);
  }
}

/// The NAME/VALUE lines that follow the fixed fields.
result<http::header_list> get_line_headers(lines& in) {
  http::header_list out;
  while (const auto name = in.next()) {
    const auto value = in.next();
    if (!value) return bad("a header name without a value");
    out.emplace_back(std::string(*name), std::string(*value));
  }
  return out;
}

/// A field holding a signed decimal integer of at most `max`.
result<std::int64_t> get_number(std::optional<std::string_view> field, std::string_view what, std::int64_t max) {
  if (!field) return bad(std::string(what) + " is missing");
  const auto n = text::parse_signed_decimal(*field, max);
  if (!n) return bad(std::string(what) + " is not a number");
  return *n;
}

/// Parses the metadata object `json` into `doc` and returns it; its decoders read every key as
/// optional, a key of another type counting as absent (metadata comes from the shim, a few
/// hundred bytes). Errors: parse_error (malformed), invalid_argument (not an object).
result<json::node> parse(std::string_view json, json::small_doc& doc) {
  auto o = doc.read(json);
  if (!o && o.error() == json::read_error::not_object) return bad("expected a JSON object");
  if (!o) return fail(errc::parse_error, "malformed JSON");
  return *o;
}

std::optional<std::string> get_string(json::node o, std::string_view key) {
  const auto s = o.find(key).string();
  if (!s) return std::nullopt;
  return std::string(*s);
}

std::int64_t get_int(json::node o, std::string_view key, std::int64_t fallback) {
  return o.find(key).int64().value_or(fallback);
}

bool get_bool(json::node o, std::string_view key) { return o.find(key).boolean().value_or(false); }

/// "headers": [[name, value], ...]; another type counts as none.
result<http::header_list> get_headers(json::node o) {
  http::header_list out;
  const json::node h = o.find("headers");
  if (h.type() != json::kind::array) return out;
  for (json::node pair = h.first(); pair; pair = pair.next()) {
    const json::node name = pair.first(), value = name.next();
    if (pair.type() != json::kind::array || !name.string() || !value.string() || value.next()) return bad("headers must be [name, value] pairs");
    out.emplace_back(std::string(*name.string()), std::string(*value.string()));
  }
  return out;
}

/// An array of strings (other items skipped); another type counts as none.
std::vector<std::string> get_strings(json::node o, std::string_view key) {
  std::vector<std::string> out;
  const json::node a = o.find(key);
  if (a.type() != json::kind::array) return out;
  for (json::node x = a.first(); x; x = x.next())
    if (const auto s = x.string()) out.emplace_back(*s);
  return out;
}

outcome outcome_of(std::string_view s) {
  for (auto o : {outcome::ok, outcome::failed_dns, outcome::failed_connect, outcome::failed_tls,
                 outcome::failed_timeout, outcome::failed})
    if (to_string(o) == s) return o;
  return outcome::failed;
}

cache_status cache_of(std::string_view s) {
  for (auto c : {cache_status::bypass, cache_status::hit, cache_status::stale, cache_status::miss})
    if (to_string(c) == s) return c;
  return cache_status::none;
}

void put_body(json::writer& w, const action_body& body) {
  if (auto* s = std::get_if<sql_call>(&body)) {
    w.key("pool").string(to_string(s->target_pool)).key("cacheable").boolean(s->cacheable);
    put_strings(w, "reads", s->reads);
    put_strings(w, "writes", s->writes);
    put_headers(w, s->headers);
    if (s->timeout_ms != 0) w.key("timeout_ms").integer(s->timeout_ms);
    if (s->after_lsn != 0) w.key("after_lsn").string(neon::format_lsn(s->after_lsn));
    if (s->replica) w.key("replica").boolean(true);
  } else if (auto* v = std::get_if<signature_check>(&body)) {
    w.key("alg").string(v->alg).key("key").string(v->key).key("input").string(v->signing_input);
    w.key("signature_b64").string(auth::base64_encode(v->signature));
  } else if (auto* j = std::get_if<jwks_fetch>(&body)) {
    w.key("url").string(j->url).key("refresh").boolean(j->refresh);
  } else if (auto* d = std::get_if<object_delete>(&body)) {
    w.key("key").string(d->key);
  }
}

/// Moves the payload that travels as the body out of an action (sql body, log line).
std::string take_payload(action_body& body) {
  if (auto* s = std::get_if<sql_call>(&body)) return std::move(s->body);
  if (auto* l = std::get_if<log_line>(&body)) return std::move(l->line);
  return {};
}

result<action_body> body_of(json::node o, std::string_view kind, std::string payload) {
  if (kind == "sql") {
    sql_call s;
    s.target_pool = get_string(o, "pool").value_or("direct") == "cached" ? pool::cached : pool::direct;
    s.cacheable = get_bool(o, "cacheable");
    s.reads = get_strings(o, "reads");
    s.writes = get_strings(o, "writes");
    auto h = get_headers(o);
    if (!h) return std::move(h).error();
    s.headers = std::move(*h);
    s.body = std::move(payload);
    const std::int64_t timeout = get_int(o, "timeout_ms", 0);
    s.timeout_ms = timeout > 0 && timeout <= UINT32_MAX ? static_cast<std::uint32_t>(timeout) : 0;
    s.after_lsn = neon::parse_lsn(get_string(o, "after_lsn").value_or("")).value_or(0);
    s.replica = get_bool(o, "replica");
    return action_body(std::move(s));
  }
  if (kind == "verify_signature") {
    signature_check v;
    v.alg = get_string(o, "alg").value_or("");
    v.key = get_string(o, "key").value_or("");
    v.signing_input = get_string(o, "input").value_or("");
    auto sig = auth::base64_decode(get_string(o, "signature_b64").value_or(""));
    if (!sig) return bad("signature_b64 is not base64");
    v.signature = std::move(*sig);
    return action_body(std::move(v));
  }
  if (kind == "fetch_jwks")
    return action_body(jwks_fetch{get_string(o, "url").value_or(""), get_bool(o, "refresh")});
  if (kind == "delete_object") return action_body(object_delete{get_string(o, "key").value_or("")});
  if (kind == "log") return action_body(log_line{std::move(payload)});
  return bad("unknown action kind");
}

}  // namespace

wire encode(const request& r) {
  wire out;
  out.meta = r.method;
  put_line(out.meta, r.target);
  put_line_headers(out.meta, r.headers);
  out.body = std::string(r.body.view());
  return out;
}

wire encode(response r) {
  wire out;
  json::append_int(out.meta, r.status);
  out.meta += '\n';
  json::append_int(out.meta, r.reuse_until_ms);
  put_line_headers(out.meta, r.headers);
  out.body = std::move(r.body);
  return out;
}

wire encode(action a) {
  wire out;
  json::writer w(out.meta);
  w.begin_object().key("id").integer(a.id).key("exchange").integer(a.exchange);
  w.key("kind").string(to_string(a.kind()));
  put_body(w, a.body);
  w.end_object();
  out.body = take_payload(a.body);
  return out;
}

wire encode(const action_result& r) {
  wire out;
  json::append_int(out.meta, r.id);
  put_line(out.meta, to_string(r.status));
  out.meta += '\n';
  json::append_int(out.meta, r.http_status);
  put_line(out.meta, r.valid ? "1" : "0");
  put_line(out.meta, to_string(r.cache));
  put_line(out.meta, to_string(r.target));
  out.meta += '\n';
  out.meta += r.detail;
  out.body = std::string(r.body.view());
  return out;
}

result<request> decode_request(std::string_view meta, padded_buffer body) {
  lines in(meta);
  const auto method = in.next();
  const auto target = in.next();
  if (!method || !target) return bad("request needs method and target");
  request r;
  r.method = std::string(*method);
  r.target = std::string(*target);
  auto h = get_line_headers(in);
  if (!h) return std::move(h).error();
  r.headers = std::move(*h);
  r.body = std::move(body);
  return r;
}

result<response> decode_response(std::string_view meta, std::string body) {
  lines in(meta);
  auto status = get_number(in.next(), "response status", INT32_MAX);
  if (!status) return std::move(status).error();
  auto reuse = get_number(in.next(), "reuse_until_ms", INT64_MAX);
  if (!reuse) return std::move(reuse).error();
  auto h = get_line_headers(in);
  if (!h) return std::move(h).error();
  response r;
  r.status = static_cast<int>(*status);
  r.reuse_until_ms = *reuse;
  r.headers = std::move(*h);
  r.body = std::move(body);
  return r;
}

result<action> decode_action(std::string_view meta, std::string body) {
  json::small_doc doc;
  auto parsed = parse(meta, doc);
  if (!parsed) return std::move(parsed).error();
  const json::node o = *parsed;
  auto kind = get_string(o, "kind");
  if (!kind) return bad("action needs a kind");
  auto decoded = body_of(o, *kind, std::move(body));
  if (!decoded) return std::move(decoded).error();
  action a;
  a.id = static_cast<action_id>(get_int(o, "id", 0));
  a.exchange = static_cast<exchange_id>(get_int(o, "exchange", 0));
  a.body = std::move(*decoded);
  return a;
}

result<action_result> decode_result(std::string_view meta, padded_buffer body) {
  lines in(meta);
  auto id = get_number(in.next(), "result id", UINT32_MAX);
  if (!id || *id < 0) return bad("result needs an id");
  const auto outcome = in.next();
  auto status = get_number(in.next(), "result status", INT32_MAX);
  if (!status) return std::move(status).error();
  const auto valid = in.next(), cache = in.next(), db = in.next();
  if (!outcome || !valid || !cache || !db) return bad("result needs id, outcome, status, valid, cache and db lines");
  action_result r;
  r.id = static_cast<action_id>(*id);
  r.status = outcome_of(*outcome);
  r.http_status = static_cast<int>(*status);
  r.body = std::move(body);
  r.valid = *valid == "1";
  r.detail = std::string(in.rest());
  r.cache = cache_of(*cache);
  r.target = *db == "replica" ? db_target::replica : *db == "primary" ? db_target::primary : db_target::none;
  return r;
}

}  // namespace edgefn::exchange
