#pragma once
// Who may use the studio: whoever holds the random token printed with its URL. The token
// comes from OpenSSL's CSPRNG; a request carries it as `?token=` (the URL the user opens) or
// as the `edgefn_studio` cookie the page then uses (HttpOnly, SameSite=Strict, so no other
// site's page can send it). Comparisons take constant time.

#include <optional>
#include <string>
#include <string_view>

#include "http/server.h"

namespace edgefn::studio {

/// The cookie that carries the token.
inline constexpr std::string_view k_cookie_name = "edgefn_studio";

/// 32 random bytes as 64 lowercase hex digits, or std::nullopt when the CSPRNG fails.
[[nodiscard]] std::optional<std::string> new_token();

/// The token `req` carries: the `token` query parameter, else the cookie; "" when neither.
[[nodiscard]] std::string presented_token(const httpd::request& req);

/// True when `presented` equals `expected` (constant time in their common length).
[[nodiscard]] bool token_equals(std::string_view presented, std::string_view expected) noexcept;

/// True when the Host header names this loopback server (127.0.0.1 or localhost on `port`):
/// a page on another name that resolves here (DNS rebinding) is refused.
[[nodiscard]] bool host_allowed(const httpd::request& req, unsigned port);

/// The Set-Cookie value that stores `token` for this origin's pages and API.
[[nodiscard]] std::string token_cookie(std::string_view token);

}  // namespace edgefn::studio
