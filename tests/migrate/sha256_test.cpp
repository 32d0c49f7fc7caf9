// SHA-256 against the FIPS 180-4 / NIST vectors and against OpenSSL on many lengths and
// chunkings (block boundaries 55/56/63/64 are where padding bugs live).

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <string>

#include "base/sha256.h"

namespace {

std::string openssl_hex(const std::string& s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : d) {
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out;
}

TEST(sha256, known_vectors) {
  EXPECT_EQ(edgefn::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(edgefn::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(edgefn::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(edgefn::sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(sha256, matches_openssl_on_every_length_up_to_300) {
  std::string s;
  for (int n = 0; n <= 300; ++n) {
    ASSERT_EQ(edgefn::sha256_hex(s), openssl_hex(s)) << "length " << n;
    s.push_back(static_cast<char>((n * 131 + 7) & 0xff));
  }
}

TEST(sha256, incremental_updates_equal_one_shot) {
  std::string s;
  for (int n = 0; n < 1000; ++n) s.push_back(static_cast<char>(n * 17));
  for (std::size_t chunk : {1u, 3u, 55u, 63u, 64u, 65u, 200u}) {
    edgefn::sha256 h;
    for (std::size_t i = 0; i < s.size(); i += chunk) h.update(std::string_view(s).substr(i, chunk));
    const auto d = h.finish();
    EXPECT_EQ(d, edgefn::sha256_digest(s)) << "chunk " << chunk;
  }
}

}  // namespace
