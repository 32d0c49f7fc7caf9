#pragma once
// SHA-256 (FIPS 180-4), small and dependency-free so the wasm core can hash migration files
// (drizzle stores sha256(file text) as lowercase hex in __drizzle_migrations.hash).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace edgefn {

/// Incremental SHA-256. Feed bytes with update(), then call finish() once; the object must not
/// be updated after finish() (start a new one instead).
class sha256 {
 public:
  using digest = std::array<std::uint8_t, 32>;

  sha256() noexcept;
  /// Appends `data` to the message (any length, any number of calls).
  void update(std::span<const std::uint8_t> data) noexcept;
  void update(std::string_view data) noexcept;
  /// Pads the message and returns the 32-byte digest.
  [[nodiscard]] digest finish() noexcept;

 private:
  void compress(const std::uint8_t* block) noexcept;
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

/// The digest of `data`.
[[nodiscard]] sha256::digest sha256_digest(std::string_view data) noexcept;

/// The digest of `data` as 64 lowercase hex characters (what sha256sum prints).
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace edgefn
