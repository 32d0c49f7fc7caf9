#include "auth/jwt.h"

#include <limits>

#include "auth/base64.h"
#include "base/json_number.h"
#include "base/json_small.h"

namespace edgefn::auth {
namespace {

error invalid(std::string_view message) { return fail(errc::invalid_argument, std::string(message)); }

bool is_b64url(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<jws_alg> alg_of(std::string_view s) {
  if (s == "RS256") return jws_alg::rs256;
  if (s == "ES256") return jws_alg::es256;
  if (s == "HS256") return jws_alg::hs256;
  // "EdDSA" (RFC 8037) is paired with an Ed25519 key by key selection; "Ed25519" is the
  // fully-specified name (draft-ietf-jose-fully-specified-algorithms). Ed448 is not accepted.
  if (s == "EdDSA" || s == "Ed25519") return jws_alg::eddsa;
  return std::nullopt;
}

/// Reads a string member; false for another type.
bool read_string(json::node v, std::optional<std::string>& out) {
  const auto s = v.string();
  if (!s) return false;
  out = std::string(*s);
  return true;
}

/// NumericDate: an integer (or a number with a fraction, truncated).
bool read_time(json::node v, std::optional<std::int64_t>& out) {
  if (v.type() != json::kind::number) return false;
  // The number's text, not simdjson's get_number: see base/json_number.h.
  const auto n = json::read_integer(v.number_text());
  if (!n) return false;
  out = n->value;
  return true;
}

/// a + b, clamped to the int64 range (claims are attacker-chosen: exp may be INT64_MAX).
std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

/// True when `s` holds a C0 control (NUL included), DEL, or a C1 control (U+0080..U+009F, UTF-8
/// C2 80..C2 9F): such a user id would break SQL text parameters, logs and object keys.
bool has_control_character(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c != 0xc2 || i + 1 == s.size()) continue;
    const auto next = static_cast<std::uint8_t>(s[i + 1]);
    if (next >= 0x80 && next <= 0x9f) return true;
  }
  return false;
}

bool read_aud(json::node v, std::vector<std::string>& out) {
  if (const auto s = v.string()) {
    out.emplace_back(*s);
    return true;
  }
  if (v.type() != json::kind::array) return false;
  for (json::node x = v.first(); x; x = x.next()) {
    const auto s = x.string();
    if (!s) return false;
    out.emplace_back(*s);
  }
  return true;
}

status read_header(std::string_view text, jwt& out) {
  json::small_doc doc;
  const auto o = doc.read(text);
  // RFC 7515 §4 / RFC 7519 §4: a duplicate member must be refused or the last one used; another
  // reader of the same token may take the other one ({"alg":"HS256","alg":"none"}).
  if (!o || doc.had_duplicate_keys()) return invalid("malformed token");
  std::optional<std::string> alg;
  const json::node a_member = o->find("alg"), kid = o->find("kid");
  if (!a_member || !read_string(a_member, alg)) return invalid("unsupported algorithm");
  auto a = alg_of(*alg);
  if (!a) return invalid("unsupported algorithm");
  out.alg = *a;
  // RFC 7515 §4.1.11: a recipient must reject a token whose "crit" names an extension it does
  // not understand; edgefn understands none (and an empty or malformed list is invalid anyway).
  if (o->find("crit")) return invalid("unsupported critical header");
  if (kid && !read_string(kid, out.kid)) return invalid("malformed token");
  return {};
}

status read_claims(std::string_view text, jwt& out) {
  json::small_doc doc;
  const auto o = doc.read(text);
  if (!o || doc.had_duplicate_keys()) return invalid("malformed token");  // as in read_header
  const auto ok = [&](std::string_view key, auto read, auto& slot) {
    const json::node v = o->find(key);
    return !v || read(v, slot);
  };
  if (!ok("sub", read_string, out.sub) || !ok("iss", read_string, out.iss) || !ok("aud", read_aud, out.aud) ||
      !ok("exp", read_time, out.exp) || !ok("nbf", read_time, out.nbf) || !ok("iat", read_time, out.iat))
    return invalid("malformed token");
  return {};
}

}  // namespace

std::string_view to_string(jws_alg a) noexcept {
  switch (a) {
    case jws_alg::rs256: return "RS256";
    case jws_alg::es256: return "ES256";
    case jws_alg::hs256: return "HS256";
    case jws_alg::eddsa: return "EdDSA";
  }
  return "";
}

result<jwt> parse_jwt(std::string_view token) {
  const auto d1 = token.find('.');
  if (d1 == std::string_view::npos) return invalid("malformed token");
  const auto d2 = token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return invalid("malformed token");
  const auto h64 = token.substr(0, d1), p64 = token.substr(d1 + 1, d2 - d1 - 1),
             s64 = token.substr(d2 + 1);
  if (h64.empty() || p64.empty() || !is_b64url(h64) || !is_b64url(p64) || !is_b64url(s64))
    return invalid("malformed token");
  auto header = base64url_decode(h64);
  auto payload = base64url_decode(p64);
  auto sig = base64url_decode(s64);
  if (!header || !payload || !sig) return invalid("malformed token");
  jwt out;
  if (auto s = read_header(*header, out); !s) return s.error();
  if (auto s = read_claims(*payload, out); !s) return s.error();
  if (sig->empty()) return invalid("bad signature length");
  const bool fixed_64 = out.alg == jws_alg::es256 || out.alg == jws_alg::eddsa;
  if (fixed_64 && sig->size() != 64) return invalid("bad signature length");
  out.signing_input = std::string(token.substr(0, d2));
  out.signature = std::move(*sig);
  return out;
}

status check_claims(const jwt& t, const claim_rules& rules, std::int64_t now_s) {
  if (!t.sub || t.sub->empty() || t.sub->size() > 256) return invalid("missing sub claim");
  if (has_control_character(*t.sub)) return invalid("invalid sub claim");
  if (!t.exp) return invalid("missing exp claim");
  if (now_s >= saturating_add(*t.exp, rules.leeway_s)) return invalid("token expired");
  if (t.nbf && now_s < saturating_add(*t.nbf, -rules.leeway_s)) return invalid("token not yet valid");
  if (!rules.issuer.empty() && (!t.iss || *t.iss != rules.issuer)) return invalid("invalid issuer");
  if (!rules.audience.empty()) {
    bool found = false;
    for (const auto& a : t.aud) found = found || a == rules.audience;
    if (!found) return invalid("invalid audience");
  }
  return {};
}

std::int64_t expiry_ms(const jwt& t, const claim_rules& rules) noexcept {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  if (!t.exp) return max;
  const std::int64_t s = saturating_add(*t.exp, rules.leeway_s);
  if (s > max / 1000) return max;
  if (s < min / 1000) return min;
  return s * 1000;
}

std::string invalid_token_challenge(std::string_view description) {
  std::string d;
  for (char c : description) d += (c == '"' || c == '\\' || std::uint8_t(c) < 0x20) ? '\'' : c;
  return "Bearer error=\"invalid_token\", error_description=\"" + d + "\"";
}

}  // namespace edgefn::auth
