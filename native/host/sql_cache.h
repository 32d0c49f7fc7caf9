#pragma once
// The native `cached` pool: an in-memory cache of /sql results in the style of Hyperdrive
// (max_age 60 s, stale_while_revalidate 15 s), plus what Hyperdrive lacks: writes made through
// this function invalidate the cached reads of the tables they touch.
//
// Keys are built by the caller from the request body, the action's headers and the database
// identity (user@host/database: never the password). Only 2xx results up to max_entry_bytes
// (CACHE_MAX_ENTRY_BYTES, 1 MiB) are stored. Memory is bounded in bytes, not entries: each
// entry is charged its key, body and table names plus a fixed overhead, and storing past
// max_bytes (CACHE_MAX_BYTES, 32 MiB) evicts the least recently used entries first.
// A per-table generation counter keeps a fetch that started before a write from storing its
// (pre-write) result after the write. Single-threaded (the host loop's thread).
//
// Bookmarks: each entry keeps the floor it was fetched for (the bookmark of the request that
// fetched it, 0 for none). A lookup for a bookmark (`after_lsn`) finds only entries whose floor
// is at or beyond it: the fetch of such an entry started after that bookmark's write had
// committed, so the entry reflects it.

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

namespace edgefn::host {

struct cache_options {
  std::int64_t max_age_ms = 60'000;
  std::int64_t stale_while_revalidate_ms = 15'000;
  std::size_t max_bytes = 32u << 20;       ///< all entries together (CACHE_MAX_BYTES)
  std::size_t max_entry_bytes = 1u << 20;  ///< one result body (CACHE_MAX_ENTRY_BYTES)
};

class sql_cache {
 public:
  explicit sql_cache(cache_options options = {}) : options_(options) {}

  enum class freshness : std::uint8_t { miss, fresh, stale };
  struct hit {
    freshness state = freshness::miss;
    int status = 0;
    std::string body;
  };
  /// Looks `key` up at `now_ms` (a hit becomes the most recently used); entries past
  /// max_age + swr are dropped. With `after_lsn`, an entry fetched for an older bookmark (or
  /// none) is a miss (and stays for other readers).
  [[nodiscard]] hit lookup(const std::string& key, std::int64_t now_ms, std::uint64_t after_lsn = 0);

  /// A token taken before fetching: store() refuses results whose tables were written since.
  using ticket = std::vector<std::uint64_t>;
  [[nodiscard]] ticket begin(const std::vector<std::string>& reads) const;
  /// Stores a result (2xx, body at most max_entry_bytes) unless a read table changed since
  /// `t`; evicts least recently used entries to stay within max_bytes. `floor`: the bookmark
  /// it was fetched for (0 = none).
  void store(const std::string& key, const std::vector<std::string>& reads, const ticket& t,
             int status, std::string body, std::int64_t now_ms, std::uint64_t floor = 0);
  /// Drops every entry that reads one of `tables` and bumps their generations.
  void invalidate(const std::vector<std::string>& tables);

  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  /// The bytes charged for all entries (never more than max_bytes).
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }

 private:
  struct entry {
    int status;
    std::string body;
    std::int64_t stored_ms;
    std::vector<std::string> reads;
    std::size_t charge;                     ///< bytes counted against max_bytes
    std::list<std::string>::iterator used;  ///< its place in lru_
    std::uint64_t floor = 0;
  };
  using entry_map = std::unordered_map<std::string, entry>;
  [[nodiscard]] std::uint64_t generation(const std::string& table) const;
  entry_map::iterator erase(entry_map::iterator it);
  cache_options options_;
  entry_map entries_;
  std::list<std::string> lru_;  ///< keys, most recently used first
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, std::uint64_t> generations_;
};

}  // namespace edgefn::host
