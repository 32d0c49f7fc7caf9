#include "auth/jwks.h"

#include <memory>

#include "base/json_read.h"

namespace edgefn::auth {
namespace {

namespace od = simdjson::ondemand;

/// `json` (one valid JSON value) without insignificant whitespace.
std::string minified(std::string_view json) {
  auto buf = std::make_unique<char[]>(json.size() + 1);
  std::size_t len = 0;
  if (simdjson::minify(json.data(), json.size(), buf.get(), len)) return std::string(json);
  return std::string(buf.get(), len);
}

/// Reads one key object; false when it is not an object or has no string "kty" (skipped).
bool read_key(od::value v, jwk& k) {
  std::string_view raw;
  if (v.raw_json().get(raw)) return false;
  k.json = minified(raw);
  json::document doc(k.json);
  od::object o;
  if (doc.object().get(o)) return false;
  std::optional<std::string> kty, crv;
  const bool ok = json::for_each_member(o, [&](std::string_view key, od::value m) {
    std::optional<std::string>* out = key == "kty" ? &kty : key == "crv" ? &crv : key == "kid" ? &k.kid
                                    : key == "alg" ? &k.alg : key == "use" ? &k.use : nullptr;
    std::string_view s;
    if (out != nullptr && !m.get_string().get(s)) *out = std::string(s);
    return true;
  });
  if (!ok || !kty) return false;
  k.kty = std::move(*kty);
  k.crv = crv.value_or("");
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
  const auto not_jwks = [] { return fail(errc::parse_error, "JWKS is not {\"keys\":[...]}"); };
  json::document doc(json);
  od::object o;
  if (doc.object().get(o)) return not_jwks();
  std::vector<jwk> out;
  bool found = false;
  const bool ok = json::for_each_member(o, [&](std::string_view key, od::value v) {
    if (key != "keys") return true;
    od::array keys;
    if (v.get_array().get(keys)) return false;
    found = true;
    for (auto e : keys) {
      od::value kv;
      if (e.get(kv)) return false;
      od::json_type t;
      if (kv.type().get(t)) return false;
      if (t != od::json_type::object) continue;
      jwk k;
      if (read_key(kv, k)) out.push_back(std::move(k));
    }
    return true;
  });
  if (!ok || !found || !doc.at_end()) return not_jwks();
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
