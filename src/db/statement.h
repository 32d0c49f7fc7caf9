#pragma once
// A built statement: the SQL and its parameters (a neon::query) plus what the builder knows
// about it, so that nobody lists tables by hand: the tables it reads and writes (hosts drop
// cached reads of written tables) and whether its result may be cached.

#include <string_view>
#include <vector>

#include "neon/request.h"

namespace edgefn::db {

struct statement : neon::query {
  /// Tables the statement reads (static storage: the tables' `name`s).
  std::vector<std::string_view> reads;
  /// Tables it writes (insert/update/delete target).
  std::vector<std::string_view> writes;
  /// A single read-only statement made only of the builder's parts (no volatile functions):
  /// a `cached` pool may serve it from its cache.
  bool cacheable = false;
};

}  // namespace edgefn::db
