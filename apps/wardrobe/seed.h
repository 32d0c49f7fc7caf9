#pragma once
// Deterministic wardrobe seed data (several users with Kinde-style ids, dozens of items) and the
// single Neon batch that inserts it idempotently.

#include <string>
#include <vector>

#include "neon/request.h"

namespace edgefn::wardrobe {

/// One seed item.
struct seed_item {
  std::string user_id;  ///< "kp_…" like Kinde user ids
  std::string name;
  std::string size;
  std::string type;
  std::string color;
  std::string image_url;  ///< unique per item: the idempotency key with user_id
};

/// The fixed seed set, always the same items in the same order.
[[nodiscard]] std::vector<seed_item> seed_items();

/// The seed batch (one transaction): an advisory lock (concurrent seeds serialise), with `reset`
/// `truncate table "items" restart identity`, then ONE insert of every seed item that is not
/// there yet (matched on user_id + image_url), created_at spread over the past days before a
/// fixed instant so "newest first" has a stable order. The last result's row_count is the number
/// of rows inserted.
[[nodiscard]] std::vector<neon::query> seed_batch(bool reset);

}  // namespace edgefn::wardrobe
