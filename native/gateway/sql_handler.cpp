#include "gateway/sql_handler.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "gateway/conn_string.h"
#include "gateway/pg_exec.h"
#include "gateway/request_body.h"

namespace edgefn::gateway {
namespace {

/// The per-request options read from headers.
struct request_flags {
  bool raw = false;
  bool array_mode = false;
  std::string isolation;  ///< the header value as given ("" when absent)
  const char* isolation_sql = nullptr;
  bool read_only = false;
  bool deferrable = false;
};

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = (rng() & 0xFFFFFFFFFFFF0FFFull) | 0x4000ull;
  const std::uint64_t lo = (rng() & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

http_response json_response(int status, std::string body) {
  http_response r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"},
               {"Access-Control-Allow-Origin", "*"},
               {"neon-request-id", new_request_id()}};
  r.body = std::move(body);
  return r;
}

http_response error_response(const sql_error& e) {
  http_response r = json_response(e.status, e.body);
  if (e.retry_after_s > 0) r.headers.emplace_back("Retry-After", std::to_string(e.retry_after_s));
  return r;
}

http_response options_response() {
  http_response r = json_response(200, "");
  r.headers.emplace_back("Allow", "OPTIONS, POST");
  r.headers.emplace_back("Access-Control-Allow-Headers",
                         "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, "
                         "Neon-Array-Mode, Neon-Pool-Opt-In, Neon-Batch-Read-Only, "
                         "Neon-Batch-Isolation-Level");
  r.headers.emplace_back("Access-Control-Max-Age", "86400");
  return r;
}

bool header_true(const http_request& req, std::string_view name) {
  const std::string* v = req.header(name);
  return v != nullptr && *v == "true";
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

/// Reads the output and batch headers; false when the isolation level is invalid.
bool read_flags(const http_request& req, request_flags& flags) {
  flags.raw = header_true(req, "neon-raw-text-output");
  flags.array_mode = header_true(req, "neon-array-mode");
  flags.read_only = header_true(req, "neon-batch-read-only");
  flags.deferrable = header_true(req, "neon-batch-deferrable");
  const std::string* iso = req.header("neon-batch-isolation-level");
  if (iso == nullptr) return true;
  flags.isolation = *iso;
  if (*iso == "Serializable") flags.isolation_sql = "SERIALIZABLE";
  else if (*iso == "ReadUncommitted") flags.isolation_sql = "READ UNCOMMITTED";
  else if (*iso == "ReadCommitted") flags.isolation_sql = "READ COMMITTED";
  else if (*iso == "RepeatableRead") flags.isolation_sql = "REPEATABLE READ";
  return flags.isolation_sql != nullptr;
}

std::string start_transaction_sql(const request_flags& flags) {
  std::string sql = "START TRANSACTION";
  bool first = true;
  auto clause = [&](std::string_view c) {
    sql += first ? " " : ", ";
    sql += c;
    first = false;
  };
  if (flags.isolation_sql != nullptr) clause(std::string("ISOLATION LEVEL ") + flags.isolation_sql);
  if (flags.read_only) clause("READ ONLY");
  if (flags.deferrable) clause("DEFERRABLE");
  return sql;
}

/// Everything one request needs while it runs.
struct request_context {
  const request_flags& flags;
  const conn_info& info;
  type_registry& types;
  const client_link& client;
  std::size_t max_response_bytes;
  bool pipelined_reset;  ///< a single query: the pool's reset goes right behind it
};

/// Looks up OIDs in pg_type on `conn`, the request's own connection (idle between queries):
/// a second connection could be refused when the key or Postgres is at its limit.
bool lookup_types(PGconn* conn, const std::vector<Oid>& oids, std::vector<pg_type_row>& rows) {
  std::string list = "{";
  for (std::size_t i = 0; i < oids.size(); ++i) {
    if (i != 0) list += ',';
    list += std::to_string(oids[i]);
  }
  list += '}';
  const char* params[] = {list.c_str()};
  PGresult* r = PQexecParams(
      conn,
      "select t.oid, t.typelem, coalesce(e.typdelim, ','), t.typcategory from pg_type t "
      "left join pg_type e on e.oid = t.typelem where t.oid = any($1::oid[])",
      1, nullptr, params, nullptr, nullptr, 0);
  const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  for (int i = 0; ok && i < PQntuples(r); ++i) {
    pg_type_row row;
    row.oid = static_cast<Oid>(std::stoul(PQgetvalue(r, i, 0)));
    row.element = static_cast<Oid>(std::stoul(PQgetvalue(r, i, 1)));
    row.delimiter = PQgetvalue(r, i, 2)[0];
    row.category = PQgetvalue(r, i, 3)[0];
    rows.push_back(row);
  }
  PQclear(r);
  return ok;
}

exec_outcome run_one(const request_context& ctx, PGconn* conn, const query_spec& spec,
                     std::string& out) {
  exec_options options;
  options.raw = ctx.flags.raw;
  options.array_mode = spec.array_mode.value_or(ctx.flags.array_mode);
  options.max_response_bytes = ctx.max_response_bytes;
  options.pipelined_reset = ctx.pipelined_reset;
  const std::string db = database_key(ctx.info);
  const column_resolver resolve = [&](const std::vector<Oid>& oids,
                                      std::vector<type_conv>& convs, PGconn* lookup_on) {
    return ctx.types.resolve(db, oids,
                             [&](const std::vector<Oid>& missing, std::vector<pg_type_row>& rows) {
                               return lookup_on != nullptr && lookup_types(lookup_on, missing, rows);
                             },
                             convs);
  };
  return run_query(conn, spec, options, resolve, ctx.client, out);
}

/// Runs a batch as one transaction; on the first error rolls back and returns it.
exec_outcome run_batch(const request_context& ctx, PGconn* conn, const payload& body,
                       std::string& out) {
  if (auto begin = run_control(conn, start_transaction_sql(ctx.flags).c_str());
      begin.status != exec_status::ok) {
    return begin;
  }
  out += "{\"results\":[";
  for (std::size_t i = 0; i < body.queries.size(); ++i) {
    if (i != 0) out += ',';
    exec_outcome r = run_one(ctx, conn, body.queries[i], out);
    if (r.status != exec_status::ok) {
      if (r.status == exec_status::failed) (void)run_control(conn, "ROLLBACK");
      return r;
    }
  }
  out += "]}";
  // The reset rides behind the COMMIT: the connection needs no separate round trip to be reused.
  return run_control_with_reset(conn, "COMMIT");
}

void add_batch_headers(http_response& r, const request_flags& flags) {
  if (!flags.isolation.empty()) r.headers.emplace_back("Neon-Batch-Isolation-Level", flags.isolation);
  if (flags.read_only) r.headers.emplace_back("Neon-Batch-Read-Only", "true");
  if (flags.deferrable) r.headers.emplace_back("Neon-Batch-Deferrable", "true");
}

}  // namespace

sql_handler::sql_handler(sql_config config, pg_pool& pool)
    : config_(std::move(config)), pool_(pool) {}

http_response sql_handler::reject(int status) const {
  if (status == 413) {
    return error_response(proxy_error(413, "request is too large (max is 10485760 bytes)"));
  }
  if (status == 431) return error_response(proxy_error(431, "request headers are too large"));
  return error_response(proxy_error(400, "malformed HTTP request"));
}

http_response sql_handler::handle(const http_request& request, const client_link& client) {
  const auto started = std::chrono::steady_clock::now();
  http_response r;
  // Only the path routes; only the path is logged (a query string may carry anything).
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (path != "/sql") {
    r = json_response(400, "\"query is not supported\"");
  } else if (request.method == "OPTIONS") {
    r = options_response();
  } else if (request.method != "POST") {
    r = json_response(400, "\"query is not supported\"");
  } else {
    r = handle_sql(request, client);
  }
  if (config_.log_requests) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    std::fprintf(stderr, "%s %s %d %lldus\n", request.method.c_str(), path.c_str(),
                 r.status, static_cast<long long>(us.count()));
  }
  return r;
}

http_response sql_handler::handle_sql(const http_request& request, const client_link& client) {
  const std::string* cs = request.header("neon-connection-string");
  if (cs == nullptr || !is_ascii(*cs)) {
    return error_response(proxy_error(400, "invalid header: neon-connection-string"));
  }
  auto info = parse_conn_string(*cs);
  if (!info) return error_response(proxy_error(400, info.error().message));
  if (request.header("authorization") != nullptr) {
    return error_response(
        proxy_error(400, "missing authentication credentials: required password"));
  }
  request_flags flags;
  if (!read_flags(request, flags)) {
    return error_response(proxy_error(400, "invalid isolation level"));
  }
  if (request.body.size() > config_.max_request_bytes) return reject(413);
  auto body = parse_payload(request.body);
  if (!body) {
    return error_response(
        proxy_error(400, "could not parse the HTTP request body: " + body.error().message));
  }
  if (!config_.pg_host.empty()) info->host = config_.pg_host;
  if (!config_.pg_port.empty()) info->port = config_.pg_port;

  auto lease = std::make_shared<pg_lease>();
  sql_error connect_failure;
  if (!pool_.acquire(*info, *lease, connect_failure)) return error_response(connect_failure);
  // A single query has the pool's reset pipelined right behind it; a batch runs its statements
  // one by one and has the reset behind its COMMIT (the transaction must end before it).
  const request_context ctx{flags,  *info, types_, client, config_.max_response_bytes,
                            !body->batch};
  std::string out;
  const exec_outcome outcome = body->batch ? run_batch(ctx, lease->conn, *body, out)
                                           : run_one(ctx, lease->conn, body->queries[0], out);
  const bool ok = outcome.status == exec_status::ok;
  lease->reset_pending = outcome.reset_pending;
  http_response r = ok ? json_response(200, std::move(out)) : error_response(outcome.error);
  if (ok && body->batch) add_batch_headers(r, flags);
  pg_pool& pool = pool_;
  r.after_send = [&pool, lease, ok] { pool.release(*lease, ok); };
  return r;
}

}  // namespace edgefn::gateway
