#include <gtest/gtest.h>

#include "auth/base64.h"

namespace edgefn::auth {
namespace {

TEST(base64_test, rfc4648_vectors) {
  const std::pair<const char*, const char*> v[] = {{"", ""},         {"f", "Zg"},         {"fo", "Zm8"},
                                                   {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"},
                                                   {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : v) {
    EXPECT_EQ(base64url_encode(plain), enc);
    EXPECT_EQ(base64url_decode(enc), std::string(plain));
  }
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_decode("Zm8="), std::string("fo"));
}

TEST(base64_test, url_alphabet_and_errors) {
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_FALSE(base64url_decode("+/8"));
  EXPECT_FALSE(base64url_decode("Z"));       // 4n+1
  EXPECT_FALSE(base64url_decode("Zh"));      // non-zero trailing bits
  EXPECT_FALSE(base64url_decode("Zm 9v"));
}

}  // namespace
}  // namespace edgefn::auth
