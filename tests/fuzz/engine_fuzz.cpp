// The engine's request entry (src/exchange/engine + the framework, src/api) serving the wardrobe
// app, with every action answered by canned results the input chooses: any method, target,
// headers and body; signature verdicts; /sql answers that are well-formed wardrobe rows with
// arbitrary cell text, arbitrary bodies, error statuses or transport failures; JWKS documents;
// object-store outcomes. Every exchange must end with one response once its actions are done.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "api/app.h"
#include "auth/base64.h"
#include "exchange/engine.h"
#include "wardrobe/app.h"

namespace {

using namespace edgefn;
constexpr std::int64_t k_now_ms = 1'800'000'000'000;

const exchange::handler& wardrobe_handler() {
  static const exchange::handler h = [] {
    api::config cfg;
    cfg.auth_dev_hs256 = true;
    cfg.auth_jwks_url = "https://auth.example/.well-known/jwks.json";
    cfg.auth_issuer = "https://auth.example";
    cfg.cors_origins = {"https://app.example"};
    auto made = api::make_handler(wardrobe::app(), cfg);
    if (!made) std::abort();
    return std::move(*made);
  }();
  return h;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string token(FuzzedDataProvider& in) {
  const std::string alg = in.PickValueInArray({"HS256", "RS256", "ES256", "none"});
  std::string claims = "{\"sub\":" + json_string(in.ConsumeRandomLengthString(40)) +
                       ",\"exp\":" + std::to_string(k_now_ms / 1000 + in.ConsumeIntegralInRange(-120, 3600)) +
                       ",\"iss\":\"https://auth.example\"}";
  if (in.ConsumeBool()) claims = in.ConsumeRandomLengthString(200);
  const std::string header = "{\"alg\":\"" + alg + "\",\"kid\":\"k1\",\"typ\":\"JWT\"}";
  return auth::base64url_encode(header) + "." + auth::base64url_encode(claims) + "." +
         auth::base64url_encode(alg == "ES256" ? std::string(64, 's') : std::string("sig"));
}

exchange::request request(FuzzedDataProvider& in) {
  exchange::request req;
  req.method = in.PickValueInArray({"GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"});
  switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0: req.target = "/api/wardrobe"; break;
    case 1: req.target = "/api/wardrobe/" + in.ConsumeRandomLengthString(24); break;
    case 2: req.target = "/api/wardrobe?" + in.ConsumeRandomLengthString(80); break;
    case 3: req.target = "/api/wardrobe/total-items"; break;
    case 4: req.target = in.PickValueInArray({"/openapi.json", "/health", "/"}); break;
    default: req.target = in.ConsumeRandomLengthString(64); break;
  }
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0: req.headers.emplace_back("Authorization", "Bearer " + token(in)); break;
    case 1: req.headers.emplace_back("Authorization", in.ConsumeRandomLengthString(64)); break;
    default: break;
  }
  if (in.ConsumeBool()) req.headers.emplace_back("Content-Type", "application/json");
  if (in.ConsumeBool()) req.headers.emplace_back("Origin", in.ConsumeRandomLengthString(32));
  if (in.ConsumeBool()) req.headers.emplace_back("X-Request-Id", in.ConsumeRandomLengthString(70));
  if (in.ConsumeBool()) req.headers.emplace_back("Idempotency-Key", in.ConsumeRandomLengthString(300));
  if (in.ConsumeBool()) {
    req.headers.emplace_back(in.ConsumeRandomLengthString(16), in.ConsumeRandomLengthString(32));
  }
  req.body.append(in.ConsumeRandomLengthString(2048));
  return req;
}

std::string field(const char* name, int oid) {
  return std::string(R"({"name":")") + name + R"(","dataTypeID":)" + std::to_string(oid) +
         R"(,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"})";
}

std::string cell(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: return "null";
    case 1: return json_string(std::to_string(in.ConsumeIntegral<std::int64_t>()));
    case 2: return in.ConsumeBool() ? "\"2026-11-22 05:04:03.123456\"" : "\"kp_abc123\"";
    default: return json_string(in.ConsumeRandomLengthString(40));
  }
}

/// A /sql answer: the wardrobe's `items` shape or a count, with arbitrary cells, or any body.
std::string sql_body(FuzzedDataProvider& in) {
  const int shape = in.ConsumeIntegralInRange(0, 2);
  if (shape == 2) return in.ConsumeRandomLengthString(512);
  const int columns = shape == 0 ? 8 : 1;
  std::string fields = shape == 0
      ? field("id", 23) + "," + field("user_id", 25) + "," + field("name", 1043) + "," +
            field("size", 1043) + "," + field("type", 1043) + "," + field("color", 1043) + "," +
            field("created_at", 1114) + "," + field("image_url", 25)
      : field("count", 20);
  const int rows = in.ConsumeIntegralInRange(0, 4);
  std::string body = "{\"command\":\"" + std::string(in.PickValueInArray({"SELECT", "INSERT", "UPDATE", "DELETE"})) +
                     "\",\"rowCount\":" + std::to_string(rows) + ",\"fields\":[" + fields + "],\"rows\":[";
  for (int r = 0; r < rows; ++r) {
    body += r ? ",[" : "[";
    for (int c = 0; c < columns; ++c) body += (c ? "," : "") + cell(in);
    body += "]";
  }
  return body + "],\"rowAsArray\":true}";
}

exchange::action_result answer(const exchange::action& a, FuzzedDataProvider& in) {
  exchange::action_result r;
  r.id = a.id;
  r.status = in.ConsumeIntegralInRange(0, 7) == 0
                 ? static_cast<exchange::outcome>(in.ConsumeIntegralInRange(1, 5))
                 : exchange::outcome::ok;
  if (r.status != exchange::outcome::ok) {
    r.detail = "canned failure";
    return r;
  }
  switch (a.kind()) {
    case exchange::action_kind::sql:
      r.http_status = in.PickValueInArray({200, 200, 200, 400, 404, 500, 503, 507});
      r.body.append(sql_body(in));
      break;
    case exchange::action_kind::verify_signature: r.valid = in.ConsumeBool(); break;
    case exchange::action_kind::fetch_jwks:
      r.http_status = in.PickValueInArray({200, 200, 404, 500});
      r.body.append(in.ConsumeBool()
                        ? R"({"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"},{"kty":"EC","crv":"P-256","kid":"k1","x":"AA","y":"AA"}]})"
                        : in.ConsumeRandomLengthString(256));
      break;
    case exchange::action_kind::delete_object: r.http_status = in.PickValueInArray({204, 404, 500}); break;
    case exchange::action_kind::log: break;
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  exchange::engine engine(wardrobe_handler());
  engine.start(request(in), "req-fuzz", k_now_ms);
  for (int round = 0; round < 64; ++round) {
    std::vector<exchange::action_result> results;
    while (auto a = engine.next_action()) {
      if (a->kind() == exchange::action_kind::log) continue;
      results.push_back(answer(*a, in));
    }
    if (auto f = engine.next_response()) {
      if (f->resp.status < 100 || f->resp.status > 599) std::abort();
      return 0;
    }
    if (results.empty()) std::abort();  // stuck: nothing to wait for and no response
    for (auto& r : results) engine.complete(std::move(r), k_now_ms + round);
  }
  return 0;
}
