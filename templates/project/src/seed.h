#pragma once
// The {{name}} seed: a few notes, inserted idempotently (`seed` twice inserts nothing new).

#include <vector>

#include "neon/request.h"

namespace {{name}} {

/// The seed batch (one transaction): the migrations' advisory lock (concurrent seeds
/// serialise), with `reset` an emptied table (ids restart), then one insert of every seed note
/// whose title is not there yet.
[[nodiscard]] std::vector<edgefn::neon::query> seed_batch(bool reset);

}  // namespace {{name}}
