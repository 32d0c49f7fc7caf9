#include "auth/test_keys.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <utility>

#include "auth/base64.h"
#include "host/jws_crypto.h"

namespace edgefn::testing {
namespace {

EVP_PKEY* key_of(void* p) { return static_cast<EVP_PKEY*>(p); }

std::string bn_bytes(EVP_PKEY* k, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &bn) != 1) std::abort();
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

std::string der_to_raw(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) std::abort();
  std::string out(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(out.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(out.data() + 32), 32);
  ECDSA_SIG_free(sig);
  return out;
}

}  // namespace

test_key test_key::generate(const std::string& alg, const std::string& kid) {
  test_key k;
  k.alg_ = alg;
  k.kid_ = kid;
  if (alg == "RS256")
    k.pkey_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  else if (alg == "ES256")
    k.pkey_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  else if (alg == "EdDSA")
    k.pkey_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!k.pkey_) std::abort();
  return k;
}

test_key::test_key(test_key&& o) noexcept
    : alg_(std::move(o.alg_)), kid_(std::move(o.kid_)), pkey_(std::exchange(o.pkey_, nullptr)) {}

test_key::~test_key() { EVP_PKEY_free(key_of(pkey_)); }

std::string test_key::jwk() const {
  using auth::base64url_encode;
  EVP_PKEY* k = key_of(pkey_);
  std::string head = "{\"kid\":\"" + kid_ + "\",\"alg\":\"" + alg_ + "\",\"use\":\"sig\",";
  if (alg_ == "RS256")
    return head + "\"kty\":\"RSA\",\"n\":\"" + base64url_encode(bn_bytes(k, OSSL_PKEY_PARAM_RSA_N)) +
           "\",\"e\":\"" + base64url_encode(bn_bytes(k, OSSL_PKEY_PARAM_RSA_E)) + "\"}";
  if (alg_ == "EdDSA") {
    unsigned char x[32];
    size_t len = sizeof x;
    if (EVP_PKEY_get_raw_public_key(k, x, &len) != 1 || len != 32) std::abort();
    return head + "\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" +
           base64url_encode(std::string(reinterpret_cast<char*>(x), len)) + "\"}";
  }
  unsigned char pub[65];
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub, &len) != 1 || len != 65)
    std::abort();
  const std::string raw(reinterpret_cast<char*>(pub), len);
  return head + "\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + base64url_encode(raw.substr(1, 32)) +
         "\",\"y\":\"" + base64url_encode(raw.substr(33, 32)) + "\"}";
}

std::string test_key::sign(const std::string& input) const {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t len = 0;
  // Ed25519 hashes internally (PureEdDSA): no digest, one-shot signing only.
  const EVP_MD* digest = alg_ == "EdDSA" ? nullptr : EVP_sha256();
  if (EVP_DigestSignInit(md, nullptr, digest, nullptr, key_of(pkey_)) != 1 ||
      EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    std::abort();
  std::string sig(len, '\0');
  if (EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    std::abort();
  sig.resize(len);
  EVP_MD_CTX_free(md);
  return alg_ == "ES256" ? der_to_raw(sig) : sig;
}

std::string test_key::token(const std::string& claims_json, const std::string& kid) const {
  const std::string use_kid = kid.empty() ? kid_ : kid;
  std::string header = "{\"alg\":\"" + alg_ + "\",\"typ\":\"JWT\"";
  if (use_kid != "-") header += ",\"kid\":\"" + use_kid + "\"";
  header += "}";
  return token_with_header(header, claims_json);
}

std::string test_key::token_with_header(const std::string& header_json, const std::string& claims_json) const {
  const std::string input = auth::base64url_encode(header_json) + "." + auth::base64url_encode(claims_json);
  return input + "." + auth::base64url_encode(sign(input));
}

std::string hs256_token(const std::string& secret, const std::string& claims_json) {
  const std::string input = auth::base64url_encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." +
                            auth::base64url_encode(claims_json);
  return input + "." + auth::base64url_encode(host::hmac_sha256(secret, input));
}

}  // namespace edgefn::testing
