#pragma once
// The guide's seed: 3 authors and 7 books, inserted idempotently in one batch.

#include <vector>

#include "neon/request.h"

namespace edgefn::catalog {

/// The seed batch (one transaction): an advisory lock (concurrent seeds serialise), with `reset`
/// `truncate "books", "authors" restart identity`, then the authors missing by name and the
/// books missing by title (each pointing at its author by name).
[[nodiscard]] std::vector<neon::query> seed_batch(bool reset);

}  // namespace edgefn::catalog
