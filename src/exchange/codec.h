#pragma once
// A compact JSON form of everything that crosses the host boundary, for the wasm C ABI (only
// integers and (pointer, length) pairs cross: these bytes are what the pointers point at).
//
//   request  {"method":"GET","target":"/api/notes?limit=2","headers":[["k","v"]],"body":"..."}
//   response {"status":200,"headers":[["k","v"]],"body":"..."}
//   action   {"id":7,"exchange":3,"kind":"sql","pool":"cached","cacheable":true,
//             "reads":["notes"],"writes":[],"headers":[["Neon-Array-Mode","true"]],"body":"{...}",
//             "timeout_ms":10000,"after_lsn":"0/16B3748"} (both only when non-zero)
//            {"id":8,"exchange":3,"kind":"verify_signature","alg":"RS256","key":"{jwk}",
//             "input":"aaa.bbb","signature_b64":"..."}
//            {"id":9,"exchange":3,"kind":"fetch_jwks","url":"https://...","refresh":false}
//            {"id":10,"exchange":3,"kind":"delete_object","key":"images/a.png"}
//            {"id":11,"exchange":3,"kind":"log","line":"{...}"}
//   result   {"id":7,"outcome":"ok","status":200,"body":"...","valid":false,"detail":"",
//             "cache":"hit"}                             (cache: optional, sql results only)
//            outcome: ok | dns | connect | tls | timeout | failed
//            cache: hit | miss | stale | bypass (absent: not reported)
//
// Byte strings that are not valid UTF-8 (request/response/result bodies) are written under the
// key with a "_b64" suffix in standard base64 instead ("body_b64"), so no byte is ever lost.
// Decoders accept both spellings, ignore unknown keys, and fail with errc::parse_error on
// malformed JSON or errc::invalid_argument on a missing or ill-typed required key.

#include <string>
#include <string_view>

#include "base/result.h"
#include "exchange/action.h"

namespace edgefn::exchange {

[[nodiscard]] std::string encode(const request& r);
[[nodiscard]] std::string encode(const response& r);
[[nodiscard]] std::string encode(const action& a);
[[nodiscard]] std::string encode(const action_result& r);

[[nodiscard]] result<request> decode_request(std::string_view json);
[[nodiscard]] result<response> decode_response(std::string_view json);
[[nodiscard]] result<action> decode_action(std::string_view json);
[[nodiscard]] result<action_result> decode_result(std::string_view json);

}  // namespace edgefn::exchange
