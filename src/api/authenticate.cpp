#include "api/authenticate.h"

#include "api/errors.h"
#include "auth/jwt.h"

namespace edgefn::api {
namespace {

/// The token of "Authorization: Bearer <token>"; nullopt when there is no bearer credential.
std::optional<std::string> bearer_token(const exchange::request& req) {
  const std::string* h = http::find_header(req.headers, "authorization");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  if (v.size() < 7 || !http::iequals(v.substr(0, 7), "bearer ")) return std::nullopt;
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return std::string(v);
}

using key_result = basic_result<std::string, exchange::response>;

/// The JWK text to verify `t` with ("" = the host's HS256 development secret).
exchange::task<key_result> find_key(exchange::context& ctx, const auth_state& state, auth::jwt t) {
  if (t.alg == auth::jws_alg::hs256) {
    if (!state.cfg.auth_dev_hs256) co_return invalid_token("algorithm not allowed");
    co_return std::string();
  }
  if (!state.cfg.auth_jwks.empty()) {
    auto key = auth::select_key(state.inline_keys, t);
    if (!key) co_return invalid_token(key.error().message);
    co_return std::move(key->json);
  }
  if (state.cfg.auth_jwks_url.empty()) co_return invalid_token("no keys configured");
  // The host's cached JWKS first; an unknown kid asks once for a refreshed document (rotation).
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool refresh = attempt == 1;
    exchange::action_body fetch = exchange::jwks_fetch{state.cfg.auth_jwks_url, refresh};
    exchange::action_result r = co_await ctx.perform(std::move(fetch));
    auto parsed = r.status == exchange::outcome::ok && r.http_status == 200
                      ? auth::parse_jwks(r.body.view())
                      : result<std::vector<auth::jwk>>(fail(errc::unsupported, "fetch failed"));
    if (!parsed)
      co_return error_response(error_code::service_unavailable, "signing keys unavailable, retry later");
    auto key = auth::select_key(*parsed, t);
    if (key) co_return std::move(key->json);
    if (refresh || key.error().message != "unknown kid") co_return invalid_token(key.error().message);
  }
  co_return invalid_token("unknown kid");
}

/// The outcome for a token whose signature verified: its claims checked against the time; a
/// response reusing it lives no longer than the token.
auth_result checked(exchange::context& ctx, const auth_state& state, const auth::jwt& t) {
  const auth::claim_rules rules{state.cfg.auth_issuer, state.cfg.auth_audience, 60};
  if (auto s = auth::check_claims(t, rules, ctx.now_ms() / 1000); !s) return invalid_token(s.error().message);
  ctx.limit_reuse(auth::expiry_ms(t, rules));  // the verdict holds until the token expires
  return *t.sub;
}

}  // namespace

exchange::task<auth_result> authenticate(exchange::context& ctx, const auth_state& state) {
  auto token = bearer_token(ctx.req());
  if (!token) co_return missing_token();
  if (const auth::jwt* known = state.tokens.find(*token)) co_return checked(ctx, state, *known);
  auto parsed = auth::parse_jwt(*token);
  if (!parsed) co_return invalid_token(parsed.error().message);
  exchange::task<key_result> finding = find_key(ctx, state, *parsed);
  key_result key = co_await std::move(finding);
  if (!key) co_return std::move(key).error();
  const std::string_view alg = auth::to_string(parsed->alg);
  const auto memo_key = auth::verdict_memo::key_of(alg, *key, parsed->signing_input, parsed->signature);
  if (!state.verified.verified(memo_key)) {
    exchange::action_body check =
        exchange::signature_check{std::string(alg), std::move(*key), parsed->signing_input, parsed->signature};
    exchange::action_result verdict = co_await ctx.perform(std::move(check));
    if (verdict.status != exchange::outcome::ok || !verdict.valid) co_return invalid_token("invalid signature");
    state.verified.remember(memo_key);
  }
  // The key of an HS256 token (the development secret) or of AUTH_JWKS never changes; a
  // JWKS_URL key may rotate away, so such a token takes the whole path every time.
  if (parsed->alg == auth::jws_alg::hs256 || !state.cfg.auth_jwks.empty()) state.tokens.remember(*token, *parsed);
  // Claims only after the signature verdict: an unsigned token's claims are attacker-chosen.
  co_return checked(ctx, state, *parsed);
}

}  // namespace edgefn::api
