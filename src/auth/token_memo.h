#pragma once
// Tokens the core verified against a key that is fixed for the engine's life (HS256 with the
// development secret, AUTH_JWKS). For such a token, parsing, choosing the key and the signature
// verdict are pure functions of the token's text: the same text again gets exactly the same
// outcome, so authenticate() takes the remembered parse and only checks the claims (they depend
// on the time). Per request that skips two base64url decodes, two JSON parses and a SHA-256 of
// the token (issue 9: the Worker's CPU per request). Tokens checked against AUTH_JWKS_URL keys
// are never remembered here: those keys rotate (auth::verdict_memo still spares their host
// round trip).
//
// Bounded: at most `capacity` tokens, each at most k_max_token_bytes long (a longer token is
// simply not remembered); the least recently used is dropped first. Only the claims are kept of
// a parse (no signing input, no signature).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt.h"

namespace edgefn::auth {

/// A bounded LRU map from a token's exact text to its claims. Not thread-safe: an engine is
/// driven from one thread.
class token_memo {
 public:
  /// The longest token remembered, in bytes.
  static constexpr std::size_t k_max_token_bytes = 2048;

  /// Remembers at most `capacity` tokens (0 remembers nothing).
  explicit token_memo(std::size_t capacity) : capacity_(capacity) {}

  /// The claims remembered for exactly `token` (marked most recently used), or nullptr. The
  /// pointer is valid until the next remember().
  [[nodiscard]] const jwt* find(std::string_view token);

  /// Remembers that `token`, parsed as `parsed`, verified against a fixed key. A token over
  /// k_max_token_bytes is not remembered; when full, the least recently used entry is dropped.
  void remember(std::string_view token, const jwt& parsed);

  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct entry {
    std::uint64_t hash;
    std::string token;
    jwt claims;
    std::uint64_t used;  ///< the use counter's value at its last use
  };
  // A linear scan of hashes: a few hundred 8-byte compares cost less than one JSON parse, and
  // no hash map's code joins the Worker's module.
  std::size_t capacity_;
  std::uint64_t uses_ = 0;
  std::vector<entry> entries_;
};

}  // namespace edgefn::auth
