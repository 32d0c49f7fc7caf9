#include "auth/jwks.h"

#include "base/json_small.h"

namespace edgefn::auth {
namespace {

/// Reads one key object; false when it has no string "kty" (skipped).
bool read_key(json::node o, jwk& k) {
  const auto text = [&](std::string_view key) -> std::optional<std::string> {
    if (const auto s = o.find(key).string()) return std::string(*s);
    return std::nullopt;
  };
  const auto kty = text("kty");
  if (!kty) return false;
  k.kty = *kty;
  k.crv = text("crv").value_or("");
  k.kid = text("kid");
  k.alg = text("alg");
  k.use = text("use");
  o.write(k.json);
  return true;
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
  json::small_doc doc;
  const auto o = doc.read(json);
  const json::node keys = o ? o->find("keys") : json::node{};
  if (keys.type() != json::kind::array) return fail(errc::parse_error, "JWKS is not {\"keys\":[...]}");
  std::vector<jwk> out;
  for (json::node e = keys.first(); e; e = e.next()) {
    jwk k;
    if (e.type() == json::kind::object && read_key(e, k)) out.push_back(std::move(k));
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
