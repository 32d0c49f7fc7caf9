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
#include <string_view>
#include <vector>

namespace edgefn::auth {

/// A bounded LRU set of verified (alg, key, signing input, signature) tuples. Not thread-safe:
/// an engine is driven from one thread.
class verdict_memo {
 public:
  using digest = std::array<std::uint8_t, 32>;

  /// Remembers at most `capacity` verdicts (0 remembers nothing).
  explicit verdict_memo(std::size_t capacity) : capacity_(capacity) {}

  /// The entry a check is remembered under.
  [[nodiscard]] static digest key_of(std::string_view alg, std::string_view key, std::string_view signing_input,
                                     std::string_view signature) noexcept;

  /// Whether `d` verified before (and is still remembered); marks it most recently used.
  [[nodiscard]] bool verified(const digest& d);

  /// Remembers that `d` verified, dropping the least recently used entry when full.
  void remember(const digest& d);

  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct entry {
    digest d;
    std::uint64_t used;  ///< the use counter's value at its last use
  };
  // Sorted by digest: a lookup is a binary search (10 steps at 1024 entries). Inserting and
  // evicting (a scan for the oldest) are linear, but they follow a signature check, a host
  // round trip. Not std::unordered_map + std::list: their code (hashing, rehash primes, nodes)
  // is ~4 KB of the Worker's module (issue 9).
  std::size_t capacity_;
  std::uint64_t uses_ = 0;
  std::vector<entry> entries_;
};

}  // namespace edgefn::auth
