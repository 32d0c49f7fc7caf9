#include "api/idempotency.h"

#include "api/errors.h"
#include "base/json_small.h"
#include "base/json_writer.h"
#include "base/sha256.h"
#include "base/text.h"
#include "db/expr.h"
#include "neon/request.h"

namespace edgefn::api {
namespace {

using exchange::task;

constexpr std::size_t k_max_key_chars = 255;

// Schema-qualified: outside `public`, where the schema tools (db check, pull, generate) look.
constexpr std::string_view k_create_schema = "create schema if not exists edgefn";
constexpr std::string_view k_create_table =
    "create table if not exists edgefn.idempotency_keys (scope text not null, idem_key text not null, "
    "seq integer not null, request_hash text not null, result json, "
    "created_at timestamptz not null default now(), primary key (scope, idem_key, seq))";
constexpr std::string_view k_create_index =
    "create index if not exists idempotency_keys_created_at_idx on edgefn.idempotency_keys (created_at)";
constexpr std::string_view k_primary_key = "idempotency_keys_pkey";

// $1 ttl (s), $2 scope, $3 key. Skips rows another transaction holds (its purge or its retry).
constexpr std::string_view k_purge =
    "delete from edgefn.idempotency_keys where created_at < now() - make_interval(secs => $1) and "
    "((scope = $2 and idem_key = $3) or ctid = any(array(select ctid from edgefn.idempotency_keys "
    "where created_at < now() - make_interval(secs => $1) limit 16 for update skip locked)))";
constexpr std::string_view k_reserve =
    "insert into edgefn.idempotency_keys (scope, idem_key, seq, request_hash) values ($1, $2, $3, $4)";
constexpr std::string_view k_lookup =
    "select request_hash, result::text from edgefn.idempotency_keys where scope = $1 and idem_key = $2 "
    "and seq = $3 and created_at >= now() - make_interval(secs => $4)";

bool visible_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

/// The key of a bare value or of an sf-string ("..." with \" and \\ escapes); "" when invalid.
std::string key_text(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    char c = v[i];
    if (c == '\\') {
      if (i + 2 >= v.size() || (v[i + 1] != '"' && v[i + 1] != '\\')) return {};
      c = v[++i];
    } else if (c == '"') {
      return {};
    }
    out += c;
  }
  return out;
}

exchange::response invalid_key() {
  return error_response(error_code::validation_failed, "invalid Idempotency-Key",
                        {{"Idempotency-Key", "must be 1 to 255 visible ASCII characters"}});
}

exchange::sql_call plain_call(std::string body, std::uint32_t timeout_ms) {
  exchange::sql_call call;
  call.target_pool = exchange::pool::direct;  // a replay never comes from a cache
  call.timeout_ms = timeout_ms;
  neon::add_row_format_headers(call.headers);
  call.body = std::move(body);
  return call;
}

/// True when RETURNING rows can be captured with a CTE: the statement returns rows and is not
/// itself a WITH query (a data-modifying WITH must be at the top level).
bool capturable(std::string_view sql) {
  const std::string lower = text::ascii_lower(sql);
  return lower.find(" returning ") != std::string::npos && !lower.starts_with("with ");
}

/// The app's statement, storing its rows in the record; params $n+1.. are scope, key, seq.
neon::query recording(const db::statement& s, const idempotency_key& k, std::int32_t seq) {
  neon::query q{s.text, s.params};
  if (!capturable(s.text)) return q;
  const std::size_t n = s.params.size();
  q.text = "with edgefn_w as (" + s.text +
           "), edgefn_r as (update edgefn.idempotency_keys set result = (select coalesce(json_agg(edgefn_w), "
           "'[]'::json) from edgefn_w) where scope = $" + json::unsigned_decimal(n + 1) + " and idem_key = $" +
           json::unsigned_decimal(n + 2) + " and seq = $" + json::unsigned_decimal(n + 3) + ") select * from edgefn_w";
  q.params.emplace_back(std::string_view(k.scope));
  q.params.emplace_back(std::string_view(k.key));
  q.params.emplace_back(seq);
  return q;
}

bool missing_table(const neon::error& e) {
  const auto state = e.sqlstate();
  return (state == "42P01" && e.message.find("idempotency_keys") != std::string::npos) ||
         (state == "3F000" && e.message.find("\"edgefn\"") != std::string::npos);
}

bool key_taken(const neon::error& e) {
  return e.sqlstate() == "23505" && e.fields.constraint.value_or("") == k_primary_key;
}

/// The keys of the first object of a JSON array, in order; nullopt when `rows` is not an array
/// of objects.
std::optional<std::vector<std::string>> first_row_keys(const std::string& rows) {
  json::small_doc doc;
  const auto arr = doc.read_value(rows);
  if (!arr || arr->type() != json::kind::array) return std::nullopt;
  const json::node first = arr->first();
  if (first && first.type() != json::kind::object) return std::nullopt;
  std::vector<std::string> keys;
  for (json::node m = first.first(); m; m = m.next()) keys.emplace_back(m.key());
  return keys;
}

task<bool> create_table(exchange::context& ctx, std::uint32_t timeout_ms) {
  const neon::query ddl[] = {{std::string(k_create_schema), {}}, {std::string(k_create_table), {}},
                             {std::string(k_create_index), {}}};
  exchange::action_result r = co_await ctx.perform(plain_call(neon::batch_body(ddl), timeout_ms));
  // A concurrent creator may win the race (a unique violation in pg_namespace or pg_type): the retry sees its
  // table. Only a database that cannot be reached makes the retry pointless.
  co_return r.status == exchange::outcome::ok;
}

}  // namespace

basic_result<std::optional<idempotency_key>, exchange::response> read_idempotency_key(
    const exchange::request& req, const std::optional<std::string>& user) {
  if (req.method != "POST") return std::optional<idempotency_key>();
  const std::string* h = http::find_header(req.headers, "idempotency-key");
  if (!h) return std::optional<idempotency_key>();
  std::string key = key_text(*h);
  if (key.empty() || key.size() > k_max_key_chars || !visible_ascii(key)) return invalid_key();
  std::string material = req.method;
  material += '\n';
  material += req.target;
  material += '\n';
  material += req.body.view();
  return std::optional<idempotency_key>(
      idempotency_key{user.value_or(""), std::move(key), sha256_hex(material)});
}

exchange::sql_call make_keyed_write_call(const db::statement& s, const idempotency_key& k, std::int32_t seq,
                                         const sql_options& options) {
  exchange::sql_call call = make_sql_call(s, exchange::pool::direct, options);
  const std::string ttl = json::decimal(k_idempotency_ttl_s);
  const neon::query queries[] = {
      {std::string(k_purge), {neon::param(std::string_view(ttl)), std::string_view(k.scope), std::string_view(k.key)}},
      {std::string(k_reserve),
       {std::string_view(k.scope), std::string_view(k.key), seq, std::string_view(k.fingerprint)}},
      recording(s, k, seq),
      {std::string(k_lsn_query), {}},
  };
  call.body = neon::batch_body(queries);
  return call;
}

task<sql_outcome> idempotent_writes::run(exchange::context& ctx, db::statement s, sql_options options) {
  // After a 422/409 nothing more is written for this request, whatever the handler tries.
  if (verdict_) co_return sql_outcome{*verdict_};
  const std::int32_t seq = next_seq_++;
  bool created = false;
  for (;;) {
    exchange::action_result r = co_await ctx.perform(make_keyed_write_call(s, key_, seq, options));
    bookmark written;
    auto rs = decode_raw_result(std::move(r), true, written);
    if (rs) co_return sql_outcome{std::move(*rs), written.lsn, written.xid};
    if (!created && missing_table(rs.error())) {
      created = true;
      task<bool> creating = create_table(ctx, options.timeout_ms);
      if (co_await std::move(creating)) continue;
    }
    if (!key_taken(rs.error())) co_return sql_outcome{failure_response(ctx, rs.error(), options.columns)};
    task<sql_outcome> replaying = replay(ctx, std::move(s), seq, options);
    co_return co_await std::move(replaying);
  }
}

task<sql_outcome> idempotent_writes::replay(exchange::context& ctx, db::statement s, std::int32_t seq,
                                            sql_options options) {
  const std::string ttl = json::decimal(k_idempotency_ttl_s);
  const neon::param params[] = {std::string_view(key_.scope), std::string_view(key_.key), seq,
                                std::string_view(ttl)};
  exchange::action_result r = co_await ctx.perform(plain_call(neon::query_body(k_lookup, params), options.timeout_ms));
  bookmark unused;
  auto rs = decode_raw_result(std::move(r), false, unused);
  if (!rs) co_return sql_outcome{failure_response(ctx, rs.error())};
  if (rs->rows() == 0) {
    // The attempt that held the key rolled back, or its record expired, between our insert and
    // this read: nothing to replay, and running the write now could race a third attempt.
    auto busy = error_response(error_code::conflict, "a request with this Idempotency-Key is in progress; retry");
    http::add_header(busy.headers, "Retry-After", "1");
    verdict_ = busy;
    co_return sql_outcome{std::move(busy)};
  }
  if (rs->text(0, 0) != key_.fingerprint) {
    auto reused = error_response(error_code::idempotency_key_reused,
                                 "this Idempotency-Key was used for a different request");
    verdict_ = reused;
    co_return sql_outcome{std::move(reused)};
  }
  replayed_ = true;
  if (rs->is_null(0, 1) || s.writes.empty()) co_return sql_outcome{neon::result_set{}};
  task<sql_outcome> typing = typed_rows(ctx, s.writes.front(), std::string(rs->text(0, 1)), options);
  co_return co_await std::move(typing);
}

task<sql_outcome> idempotent_writes::typed_rows(exchange::context& ctx, std::string_view table, std::string rows,
                                                sql_options options) {
  auto keys = first_row_keys(rows);
  if (!keys) co_return sql_outcome{internal_error(ctx.request_id())};
  std::string select = "select ";
  if (keys->empty()) select += "r.*";
  for (std::size_t i = 0; i < keys->size(); ++i) {
    if (i != 0) select += ", ";
    select += "r." + db::quote_ident((*keys)[i]);
  }
  select += " from json_populate_recordset(null::" + db::quote_ident(table) + ", $1::json) r";
  // With the WAL position, so the replay carries a bookmark covering the recorded write.
  const neon::query queries[] = {{std::move(select), {neon::param(std::string_view(rows))}},
                                 {std::string(k_lsn_query), {}}};
  exchange::action_result r = co_await ctx.perform(plain_call(neon::batch_body(queries), options.timeout_ms));
  bookmark written;
  auto rs = decode_raw_result(std::move(r), true, written);
  if (!rs) co_return sql_outcome{failure_response(ctx, rs.error(), options.columns)};
  co_return sql_outcome{std::move(*rs), written.lsn, written.xid};
}

}  // namespace edgefn::api
