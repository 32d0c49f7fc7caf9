#pragma once
// What crosses between the core and a host during an exchange: the incoming request, the
// actions the core asks the host to perform, the results the host feeds back, and the final
// response. Plain values only (no pointers into the engine), so that each has a byte encoding
// (exchange/codec.h) for the wasm C ABI.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/padded_buffer.h"
#include "http/message.h"

namespace edgefn::exchange {

using exchange_id = std::uint32_t;
using action_id = std::uint32_t;

/// An incoming HTTP request. `target` is the request-target in origin form
/// ("/api/notes?limit=5"); header names are compared case-insensitively.
struct request {
  std::string method;
  std::string target;
  http::header_list headers;
  padded_buffer body;
};

/// The HTTP response the core yields at the end of an exchange.
struct response {
  int status = 200;
  http::header_list headers;
  std::string body;
  /// When non-zero: until this host time (ms since the Unix epoch, exclusive) the response is
  /// a pure function of the request (metadata and body) and the results of the exchange's
  /// actions, except for its X-Request-Id (the request's own): a host may answer a request
  /// equal in all of those with these bytes (worker-shim/response_cache.js). 0: never.
  std::int64_t reuse_until_ms = 0;
};

/// Which database pool an SQL action goes to (see DESIGN.md "Pools").
enum class pool : std::uint8_t {
  cached,  ///< may be answered from the host's cache when `cacheable` is set
  direct,  ///< always goes to Neon
};

/// One POST /sql call. The host adds the URL and Neon-Connection-String (credentials never
/// enter the core) and sends `headers` + `body` as given.
struct sql_call {
  pool target_pool = pool::direct;
  /// The core's verdict: a read-only single statement without volatile/stable functions.
  /// Hosts cache only when target_pool == cached and cacheable.
  bool cacheable = false;
  std::vector<std::string> reads;   ///< tables the statement reads
  std::vector<std::string> writes;  ///< tables it writes: hosts drop cached reads of these
  http::header_list headers;        ///< Neon-Array-Mode, Neon-Raw-Text-Output, Neon-Batch-*
  std::string body;                 ///< the /sql JSON body
  /// The deadline: the host aborts the /sql request after this many milliseconds and reports
  /// outcome::failed_timeout. 0 = the host's own limit.
  std::uint32_t timeout_ms = 0;
  /// A read for a request that carried a bookmark (a write's WAL position): the host may answer
  /// it from its cache only with an entry fetched for a bookmark at or beyond this one, and
  /// stores what it fetches with this floor. 0 = no bookmark (any fresh entry will do).
  std::uint64_t after_lsn = 0;
  /// A read the host may send to its read replica (DATABASE_URL_READ) instead of the primary;
  /// a host without one sends it to the primary. The core sets it only for reads that may be
  /// stale (see api/route.h route_def::replica); never for writes.
  bool replica = false;
};

/// Verify a JWS signature. `key` is the JWK (JSON object text) to verify with, or empty for
/// HS256 with the host's development secret (AUTH_DEV_SECRET: a credential, kept in the host).
struct signature_check {
  std::string alg;            ///< "RS256", "ES256", "EdDSA" (Ed25519) or "HS256"
  std::string key;            ///< JWK JSON, or "" (host dev secret)
  std::string signing_input;  ///< base64url(header) "." base64url(payload)
  std::string signature;      ///< raw signature bytes (ES256: r||s, 64 bytes; EdDSA: 64 bytes)
};

/// Fetch a JWKS document (hosts cache it; the core keeps no state between exchanges).
struct jwks_fetch {
  std::string url;
  /// Set when a token named a kid the cached document lacks (key rotation): the host should
  /// refetch unless its copy is very recent (hosts throttle, e.g. once per 30 s).
  bool refresh = false;
};

/// Delete one object from the image bucket (key without a leading '/').
struct object_delete {
  std::string key;
};

/// A structured log line (one JSON object). Fire and forget: hosts never report a result.
struct log_line {
  std::string line;
};

using action_body = std::variant<sql_call, signature_check, jwks_fetch, object_delete, log_line>;

enum class action_kind : std::uint8_t { sql, verify_signature, fetch_jwks, delete_object, log };

/// An action with the ids the host hands back in its result.
struct action {
  action_id id = 0;
  exchange_id exchange = 0;
  action_body body;
  [[nodiscard]] action_kind kind() const noexcept { return static_cast<action_kind>(body.index()); }
};

/// How an action ended, as the host reports it.
enum class outcome : std::uint8_t {
  ok,                ///< performed: see http_status/body (sql, jwks) or valid (signature)
  failed_dns,        ///< no response: name resolution failed
  failed_connect,    ///< no response: connect refused/failed
  failed_tls,        ///< no response: TLS failure
  failed_timeout,    ///< no response: timed out
  failed,            ///< any other failure (object store error, unusable key, ...)
};

/// How the host's `cached` pool answered an SQL action (Hyperdrive's cache-status words).
/// Ordered by cost: an exchange reports the greatest of its actions' statuses.
enum class cache_status : std::uint8_t {
  none,    ///< not reported (not an SQL action, or an older host)
  bypass,  ///< not served through the cache: a write, an uncacheable read, the direct pool, cache off
  hit,     ///< a fresh cached result
  stale,   ///< a cached result past max_age, served while the host refreshes it
  miss,    ///< a cacheable read that went to the database (and may now be stored)
};

/// Which database answered an SQL action, as the host reports it (a bit set: an exchange
/// reports the union of its actions').
enum class db_target : std::uint8_t {
  none = 0,     ///< not reported, or no database was asked (a cache hit)
  primary = 1,  ///< DATABASE_URL
  replica = 2,  ///< DATABASE_URL_READ
};

/// The host's report for one action.
struct action_result {
  action_id id = 0;
  outcome status = outcome::ok;
  int http_status = 0;   ///< sql / jwks: the HTTP status; object delete: informative
  padded_buffer body;    ///< sql / jwks: the response body
  bool valid = false;    ///< signature: the verdict
  std::string detail;    ///< failures: a human message (never credentials)
  cache_status cache = cache_status::none;  ///< sql: how the pool answered
  db_target target = db_target::none;       ///< sql: the database that answered
};

[[nodiscard]] std::string_view to_string(action_kind k) noexcept;
[[nodiscard]] std::string_view to_string(outcome o) noexcept;
[[nodiscard]] std::string_view to_string(pool p) noexcept;
/// "hit", "miss", "stale", "bypass" ("" for none).
[[nodiscard]] std::string_view to_string(cache_status c) noexcept;
/// "primary", "replica" ("" for none).
[[nodiscard]] std::string_view to_string(db_target t) noexcept;

}  // namespace edgefn::exchange
