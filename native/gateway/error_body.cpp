#include "gateway/error_body.h"

#include <array>
#include <optional>

#include "base/json_writer.h"
#include "gateway/pg_errors.h"

namespace edgefn::gateway {
namespace {

constexpr std::array<std::string_view, 17> k_keys = {
    "message", "code",   "detail", "hint",   "position", "internalPosition",
    "internalQuery", "severity", "where", "table", "column", "schema",
    "dataType", "constraint", "file", "line", "routine"};

using field_values = std::array<std::optional<std::string>, 17>;

sql_error render(int status, const field_values& values) {
  sql_error e;
  e.status = status;
  json::writer w(e.body);
  w.begin_object();
  for (std::size_t i = 0; i < k_keys.size(); ++i) {
    w.key(k_keys[i]);
    if (values[i]) w.string(*values[i]);
    else w.null();
  }
  w.end_object();
  return e;
}

std::optional<std::string> field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace

sql_error proxy_error(int status, std::string_view message) {
  field_values v;
  v[0] = std::string(message);
  v[1] = std::string();
  v[7] = std::string();
  return render(status, v);
}

sql_error postgres_error(int status, const PGresult* r) {
  field_values v;
  v[0] = field(r, PG_DIAG_MESSAGE_PRIMARY);
  if (!v[0]) v[0] = std::string(PQresultErrorMessage(r));
  v[1] = field(r, PG_DIAG_SQLSTATE);
  v[2] = field(r, PG_DIAG_MESSAGE_DETAIL);
  v[3] = field(r, PG_DIAG_MESSAGE_HINT);
  v[4] = field(r, PG_DIAG_STATEMENT_POSITION);
  v[5] = field(r, PG_DIAG_INTERNAL_POSITION);
  v[6] = field(r, PG_DIAG_INTERNAL_QUERY);
  v[7] = field(r, PG_DIAG_SEVERITY);
  v[8] = field(r, PG_DIAG_CONTEXT);
  v[9] = field(r, PG_DIAG_TABLE_NAME);
  v[10] = field(r, PG_DIAG_COLUMN_NAME);
  v[11] = field(r, PG_DIAG_SCHEMA_NAME);
  v[12] = field(r, PG_DIAG_DATATYPE_NAME);
  v[13] = field(r, PG_DIAG_CONSTRAINT_NAME);
  v[14] = field(r, PG_DIAG_SOURCE_FILE);
  v[15] = field(r, PG_DIAG_SOURCE_LINE);
  v[16] = field(r, PG_DIAG_SOURCE_FUNCTION);
  return render(status, v);
}

sql_error unavailable_error(std::string_view message, std::string_view code,
                            std::string_view severity) {
  sql_error e = postgres_error_fields(503, message, code, severity);
  e.retry_after_s = k_retry_after_s;
  return e;
}

sql_error query_error(const PGresult* r, const PGconn* conn) {
  const char* code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const bool lost = code == nullptr && PQstatus(conn) != CONNECTION_OK;
  if (!lost && (code == nullptr || !sqlstate_unavailable(code))) return postgres_error(400, r);
  sql_error e = postgres_error(503, r);
  e.retry_after_s = k_retry_after_s;
  return e;
}

sql_error postgres_error_fields(int status, std::string_view message, std::string_view code,
                                std::string_view severity) {
  field_values v;
  v[0] = std::string(message);
  v[1] = std::string(code);
  v[7] = std::string(severity);
  return render(status, v);
}

}  // namespace edgefn::gateway
