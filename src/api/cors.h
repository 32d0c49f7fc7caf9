#pragma once
// CORS (Fetch standard §3.2): preflight answers and response decoration. Origins come from
// configuration (CORS_ORIGINS); "*" allows any origin. Bearer tokens are not credentials in the
// CORS sense (no cookies), so Access-Control-Allow-Credentials is never sent.

#include <string>
#include <string_view>
#include <vector>

#include "exchange/action.h"

namespace edgefn::api {

/// True for OPTIONS with both Origin and Access-Control-Request-Method.
[[nodiscard]] bool is_preflight(const exchange::request& req);

/// True when `origin` is allowed by `allowed`.
[[nodiscard]] bool origin_allowed(const std::vector<std::string>& allowed, std::string_view origin);

/// The 204 preflight answer: with Access-Control-Allow-{Origin,Methods,Headers} and Max-Age
/// when the origin is allowed, bare 204 (the browser then refuses) when not. Touches neither the
/// database nor auth.
[[nodiscard]] exchange::response preflight(const exchange::request& req,
                                           const std::vector<std::string>& allowed);

/// Adds Access-Control-Allow-Origin, Expose-Headers and Vary: Origin to `resp` when the request
/// carries an allowed Origin.
void decorate(exchange::response& resp, const exchange::request& req,
              const std::vector<std::string>& allowed);

}  // namespace edgefn::api
