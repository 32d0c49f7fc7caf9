// JWT and JWKS parsing (src/auth): the input is a token, or (first byte odd) a JWKS document
// and a token separated by the first NUL. Parsed tokens go through the claim checks at several
// clocks and through key selection, as the framework's authentication does.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "auth/jwks.h"
#include "auth/jwt.h"

namespace {

using namespace edgefn::auth;
constexpr std::string_view k_jwks =
    R"({"keys":[{"kty":"RSA","kid":"r1","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"},)"
    R"({"kty":"EC","crv":"P-256","kid":"e1","x":"AA","y":"AA"},{"kty":"oct","kid":"h1","k":"AA"}]})";

void check(const jwt& t) {
  constexpr std::int64_t k_clocks[] = {0, 1'800'000'000, std::numeric_limits<std::int64_t>::min(),
                                       std::numeric_limits<std::int64_t>::max()};
  claim_rules rules;
  for (const std::int64_t now : k_clocks) (void)check_claims(t, rules, now);
  rules.issuer = "https://issuer.example";
  rules.audience = "edgefn";
  (void)check_claims(t, rules, 1'800'000'000);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string_view jwks_text = k_jwks;
  if (data[0] & 1) {
    const auto nul = in.find('\0');
    jwks_text = in.substr(0, nul);
    in = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  }
  auto keys = parse_jwks(jwks_text);
  auto token = parse_jwt(in);
  (void)invalid_token_challenge(in);
  if (!token) return 0;
  (void)to_string(token->alg);
  check(*token);
  if (keys) (void)select_key(*keys, *token);
  return 0;
}
