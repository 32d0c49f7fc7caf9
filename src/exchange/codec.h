#pragma once
// The wire form of everything that crosses the host boundary, for the wasm C ABI (only
// integers and (pointer, length) pairs cross). A message is two byte strings:
//
//   meta  everything but the body: fields, one per line, for the three messages of every
//         request (request, result, response: a line split costs a fraction of a JSON parse
//         on each side, issue 9); compact JSON for actions (varied, nested)
//   body  the body bytes, raw (any bytes, never escaped, never base64): they cross as their
//         own (pointer, length) pair, so a /sql response body is written by the host straight
//         into module memory and parsed once, by the code that needs it
//
//   request  METHOD \n TARGET {\n NAME \n VALUE}             body: the request body
//            e.g. "GET\n/api/notes?limit=2\naccept\napplication/json"
//   response STATUS \n REUSE_UNTIL_MS {\n NAME \n VALUE}      body: the response body
//            REUSE_UNTIL_MS: 0 for none (see response::reuse_until_ms)
//   result   ID \n OUTCOME \n STATUS \n VALID \n CACHE \n DB \n DETAIL
//            OUTCOME: ok | dns | connect | tls | timeout | failed; STATUS: the HTTP status (0
//            for none); VALID: 1 or 0; CACHE: hit | miss | stale | bypass or empty (sql only);
//            DB: primary | replica or empty (sql only: the database that answered); DETAIL:
//            the rest of the text, newlines included                body: the sql/jwks body
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
//
// Lines: header names and values never hold a line break (the Fetch standard forbids CR, LF
// and NUL in both; an HTTP message cannot carry them), so a field per line is unambiguous. The
// response encoder writes any CR, LF or NUL of a value as a space, as Go's net/http does, so
// that no value of the core's can add a line (a header) of its own.
// Errors: line decoders fail with errc::invalid_argument on a missing field, a header name
// without a value or a number that is not one; action decoders ignore unknown keys and default
// absent optional ones (adding a field is one line in the encoder and one in the decoder) and
// fail with errc::parse_error on malformed JSON, errc::invalid_argument on a missing or
// ill-typed required key.

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
