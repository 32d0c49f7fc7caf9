#include "host/jws_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

#include <memory>
#include <optional>

#include "auth/base64.h"
#include "simdjson.h"

namespace edgefn::host {
namespace {

template <class T, void (*F)(T*)>
struct deleter {
  void operator()(T* p) const { F(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using bn_ptr = std::unique_ptr<BIGNUM, deleter<BIGNUM, BN_free>>;

std::optional<std::string> member_b64(simdjson::dom::element& key, const char* name) {
  std::string_view s;
  if (key[name].get_string().get(s)) return std::nullopt;
  return auth::base64url_decode(s);
}

bn_ptr to_bn(const std::string& bytes) {
  return bn_ptr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
}

pkey_ptr from_params(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  if (ctx && params && EVP_PKEY_fromdata_init(ctx) == 1)
    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return pkey_ptr(key);
}

pkey_ptr rsa_key(simdjson::dom::element& jwk) {
  auto n = member_b64(jwk, "n");
  auto e = member_b64(jwk, "e");
  if (!n || !e || n->size() < 256) return nullptr;  // RSA keys under 2048 bits are refused
  bn_ptr bn_n = to_bn(*n), bn_e = to_bn(*e);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return nullptr;
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  auto key = from_params("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

pkey_ptr ec_key(simdjson::dom::element& jwk) {
  std::string_view crv;
  if (jwk["crv"].get_string().get(crv) || crv != "P-256") return nullptr;
  auto x = member_b64(jwk, "x");
  auto y = member_b64(jwk, "y");
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return nullptr;
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  auto key = from_params("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

/// An Ed25519 public key from an OKP JWK (RFC 8037 §2: crv "Ed25519", x = the raw 32 bytes).
pkey_ptr ed25519_key(simdjson::dom::element& jwk) {
  std::string_view crv;
  if (jwk["crv"].get_string().get(crv) || crv != "Ed25519") return nullptr;
  auto x = member_b64(jwk, "x");
  if (!x || x->size() != 32) return nullptr;
  const auto* raw = reinterpret_cast<const unsigned char*>(x->data());
  return pkey_ptr(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw, x->size()));
}

/// The DER ECDSA-Sig-Value for a raw r||s JWS signature.
std::optional<std::string> ecdsa_der(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data() + 32), 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

/// One-shot verification; `digest` is null for Ed25519 (PureEdDSA hashes internally).
bool verify_digest(EVP_PKEY* key, std::string_view input, std::string_view sig,
                   const EVP_MD* digest = EVP_sha256()) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, nullptr, digest, nullptr, key) == 1 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

bool verify_with_jwk(std::string_view alg, std::string_view jwk_json, std::string_view input,
                     std::string_view signature) {
  simdjson::dom::parser parser;
  simdjson::dom::element jwk;
  if (parser.parse(jwk_json.data(), jwk_json.size()).get(jwk)) return false;
  std::string_view kty;
  if (jwk["kty"].get_string().get(kty)) return false;
  if (alg == "RS256" && kty == "RSA") {
    auto key = rsa_key(jwk);
    return key && verify_digest(key.get(), input, signature);
  }
  if (alg == "ES256" && kty == "EC") {
    auto key = ec_key(jwk);
    auto der = ecdsa_der(signature);
    return key && der && verify_digest(key.get(), input, *der);
  }
  if (alg == "EdDSA" && kty == "OKP") {
    auto key = ed25519_key(jwk);
    return key && signature.size() == 64 && verify_digest(key.get(), input, signature, nullptr);
  }
  return false;
}

}  // namespace

std::string hmac_sha256(std::string_view secret, std::string_view input) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

bool verify_jws(std::string_view alg, std::string_view jwk_json, std::string_view input,
                std::string_view signature, std::string_view dev_secret) {
  if (jwk_json.empty()) {
    if (alg != "HS256" || dev_secret.empty()) return false;
    const std::string mac = hmac_sha256(dev_secret, input);
    return signature.size() == mac.size() &&
           CRYPTO_memcmp(signature.data(), mac.data(), mac.size()) == 0;
  }
  return verify_with_jwk(alg, jwk_json, input, signature);
}

}  // namespace edgefn::host
