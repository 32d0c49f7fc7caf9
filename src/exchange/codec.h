#pragma once
// The wire form of everything that crosses the host boundary, for the wasm C ABI (only
// integers and (pointer, length) pairs cross). A message is two byte strings:
//
//   meta  a compact JSON object: everything but the body
//   body  the body bytes, raw (any bytes, never escaped, never base64): they cross as their
//         own (pointer, length) pair, so a /sql response body is written by the host straight
//         into module memory and parsed once, by the code that needs it
//
//   request  {"method":"GET","target":"/api/notes?limit=2","headers":[["k","v"]]}
//            body: the request body
//   response {"status":200,"headers":[["k","v"]],"reuse_until_ms":1767225600000}
//                                                             body: the response body
//            (reuse_until_ms only when non-zero: see response::reuse_until_ms)
//   action   {"id":7,"exchange":3,"kind":"sql","pool":"cached","cacheable":true,
//             "reads":["notes"],"writes":[],"headers":[["Neon-Array-Mode","true"]],
//             "timeout_ms":10000,"after_lsn":"0/16B3748","replica":true}
//                                                             body: the /sql JSON body
//             (timeout_ms and after_lsn only when non-zero, replica only when true)
//            {"id":8,"exchange":3,"kind":"verify_signature","alg":"RS256","key":"{jwk}",
//             "input":"aaa.bbb","signature_b64":"..."}            body: empty
//            {"id":9,"exchange":3,"kind":"fetch_jwks","url":"https://...","refresh":false}
//            {"id":10,"exchange":3,"kind":"delete_object","key":"images/a.png"}
//            {"id":11,"exchange":3,"kind":"log"}                  body: the log line
//   result   {"id":7,"outcome":"ok","status":200,"valid":false,"detail":"","cache":"hit",
//             "db":"replica"}
//            outcome: ok | dns | connect | tls | timeout | failed  body: the sql/jwks body
//            cache: hit | miss | stale | bypass (optional, sql results only)
//            db: primary | replica (optional, sql results only: the database that answered)
//
// Optional metadata is one key: decoders ignore unknown keys and default absent optional ones,
// so adding a field is one line in the encoder and one in the decoder. Decoders fail with
// errc::parse_error on malformed JSON and errc::invalid_argument on a missing or ill-typed
// required key.

#include <string>
#include <string_view>

#include "base/padded_buffer.h"
#include "base/result.h"
#include "exchange/action.h"

namespace edgefn::exchange {

/// A message in wire form. Encoders move the body out of the value they consume (no copy).
struct wire {
  std::string meta;
  std::string body;
};

[[nodiscard]] wire encode(const request& r);
[[nodiscard]] wire encode(response r);
[[nodiscard]] wire encode(action a);
[[nodiscard]] wire encode(const action_result& r);

/// Decoders take the body by value: a padded_buffer the host wrote into is adopted, not copied.
[[nodiscard]] result<request> decode_request(std::string_view meta, padded_buffer body);
[[nodiscard]] result<response> decode_response(std::string_view meta, std::string body);
[[nodiscard]] result<action> decode_action(std::string_view meta, std::string body);
[[nodiscard]] result<action_result> decode_result(std::string_view meta, padded_buffer body);

}  // namespace edgefn::exchange
