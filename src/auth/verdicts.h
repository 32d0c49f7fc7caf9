#pragma once
// Positive signature verdicts remembered by the core, so that a client sending the same token
// on every request costs one verify_signature action (one host round trip) per engine, not one
// per request. A verification is a pure function of (alg, key, signing input, signature): a
// remembered verdict is exactly the one the host would give again. Claims (exp, nbf, iss, aud,
// sub) are NOT part of it: callers still check them on every request.
//
// Entries are SHA-256 digests of the four fields, each length-prefixed (so no two field splits
// share a digest): 32 bytes each, however long the key or token. Only successful verifications
// are remembered (a failing token cannot fill the memo, and a key the host stops accepting is
// asked again the next time). HS256 checks carry an empty key (the host's development secret):
// their verdicts hold for that secret, which is fixed for the life of an engine (a new
// AUTH_DEV_SECRET means a new deployment: new isolates, a restarted server).

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <string_view>
#include <unordered_map>

namespace edgefn::auth {

/// A bounded LRU set of verified (alg, key, signing input, signature) tuples. Not thread-safe:
/// an engine is driven from one thread.
class verdict_memo {
 public:
  using digest = std::array<std::uint8_t, 32>;

  /// Remembers at most `capacity` verdicts (0 remembers nothing).
  explicit verdict_memo(std::size_t capacity) : capacity_(capacity) {}
  // The index holds iterators into the list: a copy would point into the original.
  verdict_memo(const verdict_memo&) = delete;
  verdict_memo& operator=(const verdict_memo&) = delete;
  verdict_memo(verdict_memo&&) noexcept = default;
  verdict_memo& operator=(verdict_memo&&) noexcept = default;

  /// The entry a check is remembered under.
  [[nodiscard]] static digest key_of(std::string_view alg, std::string_view key, std::string_view signing_input,
                                     std::string_view signature) noexcept;

  /// Whether `d` verified before (and is still remembered); marks it most recently used.
  [[nodiscard]] bool verified(const digest& d);

  /// Remembers that `d` verified, dropping the least recently used entry when full.
  void remember(const digest& d);

  [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }

 private:
  struct digest_hash {
    std::size_t operator()(const digest& d) const noexcept;
  };
  std::size_t capacity_;
  std::list<digest> order_;  ///< most recently used first
  std::unordered_map<digest, std::list<digest>::iterator, digest_hash> index_;
};

}  // namespace edgefn::auth
