#include "auth/jwks.h"

#include "simdjson.h"

namespace edgefn::auth {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::optional<std::string> member(const object& o, std::string_view key) {
  std::string_view s;
  if (o[key].get_string().get(s)) return std::nullopt;
  return std::string(s);
}

/// The key's own "alg", when present, names the token's algorithm (an Ed25519 key may say
/// "EdDSA" or the fully-specified "Ed25519").
bool alg_matches(const std::string& key_alg, jws_alg a) {
  return key_alg == to_string(a) || (a == jws_alg::eddsa && key_alg == "Ed25519");
}

bool fits(const jwk& k, const jwt& t) {
  if (t.alg == jws_alg::rs256 && k.kty != "RSA") return false;
  if (t.alg == jws_alg::es256 && (k.kty != "EC" || k.crv != "P-256")) return false;
  if (t.alg == jws_alg::eddsa && (k.kty != "OKP" || k.crv != "Ed25519")) return false;
  if (k.alg && !alg_matches(*k.alg, t.alg)) return false;
  if (k.use && *k.use != "sig") return false;
  return true;
}

}  // namespace

result<std::vector<jwk>> parse_jwks(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  simdjson::dom::array keys;
  if (parser.parse(json.data(), json.size()).get(doc) || doc["keys"].get_array().get(keys))
    return fail(errc::parse_error, "JWKS is not {\"keys\":[...]}");
  std::vector<jwk> out;
  for (element e : keys) {
    object o;
    if (e.get_object().get(o)) continue;
    auto kty = member(o, "kty");
    if (!kty) continue;
    jwk k;
    k.kty = std::move(*kty);
    k.crv = member(o, "crv").value_or("");
    k.kid = member(o, "kid");
    k.alg = member(o, "alg");
    k.use = member(o, "use");
    k.json = simdjson::minify(e);
    out.push_back(std::move(k));
  }
  return out;
}

result<jwk> select_key(const std::vector<jwk>& keys, const jwt& token) {
  if (token.alg == jws_alg::hs256) return fail(errc::invalid_argument, "algorithm not allowed for JWKS keys");
  if (!token.kid) return fail(errc::invalid_argument, "missing kid");
  for (const auto& k : keys) {
    if (k.kid != token.kid) continue;
    if (!fits(k, token)) return fail(errc::invalid_argument, "key does not match algorithm");
    return k;
  }
  return fail(errc::invalid_argument, "unknown kid");
}

}  // namespace edgefn::auth
