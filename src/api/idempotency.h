#pragma once
// Idempotency-Key on POST (IETF httpapi draft "The Idempotency-Key HTTP Header Field"), for
// every app, in the framework: a client that retries a POST with the same key gets the first
// attempt's response instead of a second write.
//
// How: each write a keyed request runs (route_call::run of a statement that writes) is sent as
// one Neon batch, one transaction, one round trip:
//   1. purge: delete this key's record when expired, and up to 16 other expired records
//      (bounded storage, no background job);
//   2. reserve: insert (scope, key, seq, fingerprint) into edgefn.idempotency_keys; its primary
//      key makes a second attempt fail here, before the app's statement runs;
//   3. the app's statement, wrapped in a CTE that stores its RETURNING rows (json_agg) in the
//      record: the write and its record commit together or not at all;
//   4. select pg_current_wal_insert_lsn() (the bookmark, as for any write).
// `scope` is the authenticated user (`sub`; "" for anonymous callers), `seq` the write's ordinal
// in the request, the fingerprint a SHA-256 of the method, the target and the body.
//
// A retry fails at step 2 (23505 on idempotency_keys_pkey, so the transaction, the app's write
// included, rolls back) and the framework reads the record (pool direct, never the cache):
//   - same fingerprint: the recorded rows are typed again by Postgres
//     (json_populate_recordset over the written table) and handed to the handler as the write's
//     result, so it builds the same response; it carries `Idempotent-Replayed: true`. (The
//     rows, not the response, are recorded: the response exists only once the rows are back,
//     after the batch's transaction. A handler's response is a function of the request and its
//     SQL results; reads made before the write run again.)
//   - another fingerprint: 422 `idempotency_key_reused`;
//   - no live record (the first attempt's transaction is still open and rolled back meanwhile):
//     409 `conflict` with Retry-After: 1.
// A concurrent duplicate waits at step 2 on the first attempt's uncommitted row (Postgres'
// unique index), then replays it when it commits, or proceeds when it rolls back: wait and
// replay, never two writes.
// The table is created on demand: when step 1 reports it (or its schema) missing, the
// framework creates schema `edgefn` and the table in one batch and retries once. It lives
// outside `public`, so `db check`, `db pull` and `db generate` never see it.
// Records older than k_idempotency_ttl_s are ignored and purged lazily.
//
// Limits: a write without RETURNING replays an empty result; RETURNING items must be columns
// of the written table (what db::insert/update/delete().returning() produce). Failed writes
// (constraint errors, 503) record nothing: a retry runs again.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/sql.h"
#include "base/result.h"
#include "db/statement.h"
#include "exchange/context.h"
#include "exchange/task.h"

namespace edgefn::api {

/// How long a record answers retries.
inline constexpr std::int64_t k_idempotency_ttl_s = 24 * 60 * 60;

/// The response header of a replayed response.
inline constexpr std::string_view k_replayed_header = "Idempotent-Replayed";

/// A keyed request's identity.
struct idempotency_key {
  std::string scope;        ///< the authenticated user's `sub`; "" for anonymous callers
  std::string key;          ///< the header's value (quotes of an sf-string removed)
  std::string fingerprint;  ///< SHA-256 hex of method, target and body
};

/// The request's Idempotency-Key: nullopt for a method other than POST or without the header;
/// a 400 `validation_failed` response when it is not 1..255 visible ASCII characters (bare,
/// or as a quoted sf-string).
[[nodiscard]] basic_result<std::optional<idempotency_key>, exchange::response> read_idempotency_key(
    const exchange::request& req, const std::optional<std::string>& user);

/// The batch of a keyed write (see the file comment): the action route_call::run sends.
/// `seq`: the write's ordinal in the request.
[[nodiscard]] exchange::sql_call make_keyed_write_call(const db::statement& s, const idempotency_key& k,
                                                       std::int32_t seq, const sql_options& options);

/// The writes of one keyed request. Lives in the framework's coroutine for the request.
class idempotent_writes {
 public:
  explicit idempotent_writes(idempotency_key key) : key_(std::move(key)) {}

  /// Runs write `s` under the key (or replays its recorded result). `s` must write a table.
  [[nodiscard]] exchange::task<sql_outcome> run(exchange::context& ctx, db::statement s, sql_options options);

  /// True once a write was replayed: the response gets Idempotent-Replayed: true.
  [[nodiscard]] bool replayed() const noexcept { return replayed_; }
  /// The response the request must get whatever the handler did with the error (422 for a
  /// reused key, 409 for one in flight); nullopt otherwise.
  [[nodiscard]] const std::optional<exchange::response>& verdict() const noexcept { return verdict_; }

 private:
  exchange::task<sql_outcome> replay(exchange::context& ctx, db::statement s, std::int32_t seq,
                                     sql_options options);
  exchange::task<sql_outcome> typed_rows(exchange::context& ctx, std::string_view table, std::string rows,
                                         sql_options options);

  idempotency_key key_;
  std::int32_t next_seq_ = 0;
  bool replayed_ = false;
  std::optional<exchange::response> verdict_;
};

}  // namespace edgefn::api
