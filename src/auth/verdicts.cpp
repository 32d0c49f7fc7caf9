#include "auth/verdicts.h"

#include <algorithm>
#include <cstring>

#include "base/sha256.h"

namespace edgefn::auth {
namespace {

void length_prefixed(sha256& h, std::string_view field) noexcept {
  const std::uint64_t n = field.size();
  std::uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(n >> (8 * i));
  h.update(std::span<const std::uint8_t>(len, sizeof len));
  h.update(field);
}

}  // namespace

verdict_memo::digest verdict_memo::key_of(std::string_view alg, std::string_view key, std::string_view signing_input,
                                          std::string_view signature) noexcept {
  sha256 h;
  length_prefixed(h, alg);
  length_prefixed(h, key);
  length_prefixed(h, signing_input);
  length_prefixed(h, signature);
  return h.finish();
}

namespace {

bool digest_less(const verdict_memo::digest& a, const verdict_memo::digest& b) noexcept {
  return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

}  // namespace

bool verdict_memo::verified(const digest& d) {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), d,
                                   [](const entry& e, const digest& k) { return digest_less(e.d, k); });
  if (it == entries_.end() || it->d != d) return false;
  it->used = ++uses_;
  return true;
}

void verdict_memo::remember(const digest& d) {
  if (capacity_ == 0 || verified(d)) return;
  if (entries_.size() >= capacity_)
    entries_.erase(std::min_element(entries_.begin(), entries_.end(),
                                    [](const entry& a, const entry& b) { return a.used < b.used; }));
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), d,
                                   [](const entry& e, const digest& k) { return digest_less(e.d, k); });
  entries_.insert(at, entry{d, ++uses_});
}

}  // namespace edgefn::auth
