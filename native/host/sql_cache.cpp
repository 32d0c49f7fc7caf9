#include "host/sql_cache.h"

#include <algorithm>

namespace edgefn::host {
namespace {

/// Bookkeeping per entry beyond its strings: hash node, list node (with a second copy of the
/// key), vector and string headers. An estimate that keeps many tiny entries bounded too.
constexpr std::size_t k_entry_overhead = 192;

std::size_t charge_of(const std::string& key, const std::vector<std::string>& reads,
                      const std::string& body) {
  std::size_t n = k_entry_overhead + 2 * key.size() + body.size();
  for (const auto& r : reads) n += r.size() + sizeof(std::string);
  return n;
}

}  // namespace

sql_cache::entry_map::iterator sql_cache::erase(entry_map::iterator it) {
  bytes_ -= it->second.charge;
  lru_.erase(it->second.used);
  return entries_.erase(it);
}

sql_cache::hit sql_cache::lookup(const std::string& key, std::int64_t now_ms, std::uint64_t after_lsn) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  const std::int64_t age = now_ms - it->second.stored_ms;
  if (age >= options_.max_age_ms + options_.stale_while_revalidate_ms || age < 0) {
    erase(it);
    return {};
  }
  if (it->second.floor < after_lsn) return {};
  lru_.splice(lru_.begin(), lru_, it->second.used);
  const auto state = age < options_.max_age_ms ? freshness::fresh : freshness::stale;
  return {state, it->second.status, it->second.body};
}

std::uint64_t sql_cache::generation(const std::string& table) const {
  auto it = generations_.find(table);
  return it == generations_.end() ? 0 : it->second;
}

sql_cache::ticket sql_cache::begin(const std::vector<std::string>& reads) const {
  ticket t;
  for (const auto& r : reads) t.push_back(generation(r));
  return t;
}

void sql_cache::store(const std::string& key, const std::vector<std::string>& reads, const ticket& t,
                      int status, std::string body, std::int64_t now_ms, std::uint64_t floor) {
  if (status < 200 || status > 299 || body.size() > options_.max_entry_bytes) return;
  const std::size_t charge = charge_of(key, reads, body);
  if (charge > options_.max_bytes) return;
  if (t.size() != reads.size()) return;
  for (std::size_t i = 0; i < reads.size(); ++i)
    if (generation(reads[i]) != t[i]) return;
  if (auto old = entries_.find(key); old != entries_.end()) erase(old);
  while (bytes_ + charge > options_.max_bytes && !lru_.empty()) erase(entries_.find(lru_.back()));
  lru_.push_front(key);
  entries_.emplace(key, entry{status, std::move(body), now_ms, reads, charge, lru_.begin(), floor});
  bytes_ += charge;
}

void sql_cache::invalidate(const std::vector<std::string>& tables) {
  for (const auto& table : tables) ++generations_[table];
  for (auto it = entries_.begin(); it != entries_.end();) {
    const auto& reads = it->second.reads;
    const bool touched = std::any_of(tables.begin(), tables.end(), [&](const std::string& t) {
      return std::find(reads.begin(), reads.end(), t) != reads.end();
    });
    if (touched) it = erase(it);
    else ++it;
  }
}

}  // namespace edgefn::host
