#pragma once
// The project's migrations/ folder compiled into the binary (so a host without a filesystem,
// such as the wasm core, can migrate). Defined in a .cpp that CMake generates from migrations/
// (cmake/embed_migrations.cmake) in the `edgefn_migrations` library: link it to call this.

#include <span>

#include "migrate/migration.h"

namespace edgefn::migrate {

/// Every file of migrations/ that the runtime needs (0.x layout: "meta/_journal.json", the snapshots
/// "meta/NNNN_snapshot.json" and the "*.sql" files; 1.0 layout: every "<folder>/migration.sql"
/// and "<folder>/snapshot.json"), with static lifetime. Feed it to
/// load_migrations() (or latest_snapshot() in migrate/generate.h).
[[nodiscard]] std::span<const source_file> embedded_files() noexcept;

}  // namespace edgefn::migrate
