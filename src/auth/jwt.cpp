#include "auth/jwt.h"

#include <limits>

#include "auth/base64.h"
#include "simdjson.h"

namespace edgefn::auth {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

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

/// Reads an optional string member; false when present with another type.
bool read_string(const object& o, std::string_view key, std::optional<std::string>& out) {
  element e;
  if (o[key].get(e)) return true;
  std::string_view s;
  if (e.get_string().get(s)) return false;
  out = std::string(s);
  return true;
}

/// NumericDate: an integer (or a number with a fraction, truncated).
bool read_time(const object& o, std::string_view key, std::optional<std::int64_t>& out) {
  element e;
  if (o[key].get(e)) return true;
  std::int64_t i = 0;
  if (!e.get_int64().get(i)) {
    out = i;
    return true;
  }
  double d = 0;
  if (e.get_double().get(d) || !(d > -9.2e18 && d < 9.2e18)) return false;
  out = static_cast<std::int64_t>(d);
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

bool read_aud(const object& o, std::vector<std::string>& out) {
  element e;
  if (o["aud"].get(e)) return true;
  std::string_view s;
  if (!e.get_string().get(s)) {
    out.emplace_back(s);
    return true;
  }
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return false;
  for (element x : arr) {
    if (x.get_string().get(s)) return false;
    out.emplace_back(s);
  }
  return true;
}

status read_header(simdjson::dom::parser& p, std::string_view text, jwt& out) {
  element doc;
  object o;
  if (p.parse(text.data(), text.size()).get(doc) || doc.get_object().get(o))
    return invalid("malformed token");
  std::string_view alg;
  if (o["alg"].get_string().get(alg)) return invalid("unsupported algorithm");
  auto a = alg_of(alg);
  if (!a) return invalid("unsupported algorithm");
  out.alg = *a;
  // RFC 7515 §4.1.11: a recipient must reject a token whose "crit" names an extension it does
  // not understand; edgefn understands none (and an empty or malformed list is invalid anyway).
  element crit;
  if (!o["crit"].get(crit)) return invalid("unsupported critical header");
  if (!read_string(o, "kid", out.kid)) return invalid("malformed token");
  return {};
}

status read_claims(simdjson::dom::parser& p, std::string_view text, jwt& out) {
  element doc;
  object o;
  if (p.parse(text.data(), text.size()).get(doc) || doc.get_object().get(o))
    return invalid("malformed token");
  const bool ok = read_string(o, "sub", out.sub) && read_string(o, "iss", out.iss) &&
                  read_aud(o, out.aud) && read_time(o, "exp", out.exp) &&
                  read_time(o, "nbf", out.nbf) && read_time(o, "iat", out.iat);
  if (!ok) return invalid("malformed token");
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
  simdjson::dom::parser parser;
  if (auto s = read_header(parser, *header, out); !s) return s.error();
  if (auto s = read_claims(parser, *payload, out); !s) return s.error();
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

std::string invalid_token_challenge(std::string_view description) {
  std::string d;
  for (char c : description) d += (c == '"' || c == '\\' || std::uint8_t(c) < 0x20) ? '\'' : c;
  return "Bearer error=\"invalid_token\", error_description=\"" + d + "\"";
}

}  // namespace edgefn::auth
