#include "auth/verdicts.h"

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

std::size_t verdict_memo::digest_hash::operator()(const digest& d) const noexcept {
  std::size_t v = 0;
  std::memcpy(&v, d.data(), sizeof v);  // already uniformly distributed
  return v;
}

bool verdict_memo::verified(const digest& d) {
  const auto it = index_.find(d);
  if (it == index_.end()) return false;
  order_.splice(order_.begin(), order_, it->second);
  return true;
}

void verdict_memo::remember(const digest& d) {
  if (capacity_ == 0 || verified(d)) return;
  if (order_.size() >= capacity_) {
    index_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(d);
  index_.emplace(d, order_.begin());
}

}  // namespace edgefn::auth
