#include "auth/token_memo.h"

#include <algorithm>

namespace edgefn::auth {
namespace {

/// FNV-1a: a lookup key only (entries compare the whole token), not a digest anyone relies on.
std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

}  // namespace

const jwt* token_memo::find(std::string_view token) {
  if (entries_.empty()) return nullptr;
  const std::uint64_t h = fnv1a(token);
  for (entry& e : entries_) {
    if (e.hash != h || e.token != token) continue;
    e.used = ++uses_;
    return &e.claims;
  }
  return nullptr;
}

void token_memo::remember(std::string_view token, const jwt& parsed) {
  if (capacity_ == 0 || token.size() > k_max_token_bytes || find(token)) return;
  jwt claims = parsed;
  claims.signing_input.clear();
  claims.signing_input.shrink_to_fit();
  claims.signature.clear();
  claims.signature.shrink_to_fit();
  entry e{fnv1a(token), std::string(token), std::move(claims), ++uses_};
  if (entries_.size() < capacity_) {
    entries_.push_back(std::move(e));
    return;
  }
  *std::min_element(entries_.begin(), entries_.end(),
                    [](const entry& a, const entry& b) { return a.used < b.used; }) = std::move(e);
}

}  // namespace edgefn::auth
