#pragma once
// Base64 (RFC 4648 §4) and base64url (§5) without padding on output. Decoders accept input
// with or without '=' padding; anything else outside the alphabet is an error.

#include <optional>
#include <string>
#include <string_view>

namespace edgefn::auth {

/// base64url without padding ("-" and "_"), as JWS uses.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
/// Decodes base64url (padding optional). std::nullopt on a character outside the alphabet, a
/// bad length (4n+1) or non-zero trailing bits.
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

/// Standard base64 with '=' padding.
[[nodiscard]] std::string base64_encode(std::string_view bytes);
/// Decodes standard base64 (padding optional); std::nullopt as base64url_decode.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace edgefn::auth
