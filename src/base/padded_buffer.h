#pragma once
// A growable byte buffer that always keeps SIMDJSON_PADDING spare bytes after its contents, so
// a host (libcurl's write callback, JS writing into wasm memory) can write a response body
// straight into memory that simdjson's on-demand parser accepts without a copy.

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

#include "simdjson.h"

namespace edgefn {

class padded_buffer {
 public:
  padded_buffer() = default;
  explicit padded_buffer(std::string_view initial) { append(initial); }
  padded_buffer(padded_buffer&&) noexcept = default;
  padded_buffer& operator=(padded_buffer&&) noexcept = default;
  padded_buffer(const padded_buffer& other) { append(other.view()); }
  padded_buffer& operator=(const padded_buffer& other) {
    if (this != &other) { clear(); append(other.view()); }
    return *this;
  }

  /// Returns writable space for at least `n` more bytes, valid until the next non-const call.
  /// Write into it, then call commit(k) with the number of bytes written (k <= n).
  [[nodiscard]] std::span<char> prepare(std::size_t n) {
    reserve(size_ + n);
    return {data_.get() + size_, n};
  }
  /// Marks `n` bytes written through prepare() as part of the contents.
  void commit(std::size_t n) noexcept { size_ += n; zero_padding(); }

  void append(std::string_view bytes) {
    auto dst = prepare(bytes.size());
    if (!bytes.empty()) std::memcpy(dst.data(), bytes.data(), bytes.size());
    commit(bytes.size());
  }
  void clear() noexcept { size_ = 0; zero_padding(); }
  void reserve(std::size_t n) {
    if (n <= capacity_ && data_) return;
    std::size_t cap = capacity_ ? capacity_ : 256;
    while (cap < n) cap *= 2;
    auto fresh = std::make_unique<char[]>(cap + simdjson::SIMDJSON_PADDING);
    if (size_) std::memcpy(fresh.get(), data_.get(), size_);
    data_ = std::move(fresh);
    capacity_ = cap;
    zero_padding();
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const char* data() const noexcept { return data_ ? data_.get() : ""; }
  [[nodiscard]] std::string_view view() const noexcept { return {data(), size_}; }
  /// A view simdjson can iterate directly (the padding is guaranteed).
  [[nodiscard]] simdjson::padded_string_view padded_view() const noexcept {
    if (!data_) return simdjson::padded_string_view(k_empty_, 0, sizeof k_empty_);
    return simdjson::padded_string_view(data_.get(), size_, capacity_ + simdjson::SIMDJSON_PADDING);
  }

 private:
  void zero_padding() noexcept {
    if (data_) std::memset(data_.get() + size_, 0, simdjson::SIMDJSON_PADDING);
  }
  static constexpr char k_empty_[simdjson::SIMDJSON_PADDING + 1] = {};
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace edgefn
