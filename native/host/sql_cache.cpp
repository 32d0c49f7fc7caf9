#include "host/sql_cache.h"

#include <algorithm>

namespace edgefn::host {

sql_cache::hit sql_cache::lookup(const std::string& key, std::int64_t now_ms, std::uint64_t after_lsn) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  const std::int64_t age = now_ms - it->second.stored_ms;
  if (age >= options_.max_age_ms + options_.stale_while_revalidate_ms || age < 0) {
    entries_.erase(it);
    return {};
  }
  if (it->second.floor < after_lsn) return {};
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
  if (status < 200 || status > 299 || body.size() > options_.max_body_bytes) return;
  if (t.size() != reads.size()) return;
  for (std::size_t i = 0; i < reads.size(); ++i)
    if (generation(reads[i]) != t[i]) return;
  if (entries_.size() >= options_.max_entries) entries_.erase(entries_.begin());
  entries_[key] = entry{status, std::move(body), now_ms, reads, floor};
}

void sql_cache::invalidate(const std::vector<std::string>& tables) {
  for (const auto& table : tables) ++generations_[table];
  for (auto it = entries_.begin(); it != entries_.end();) {
    const auto& reads = it->second.reads;
    const bool touched = std::any_of(tables.begin(), tables.end(), [&](const std::string& t) {
      return std::find(reads.begin(), reads.end(), t) != reads.end();
    });
    if (touched) it = entries_.erase(it);
    else ++it;
  }
}

}  // namespace edgefn::host
