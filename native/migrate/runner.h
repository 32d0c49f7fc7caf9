#pragma once
// Applying migrations over the native transport: one bootstrap batch (lock, create the
// tracking table, read it), a plan (src/migrate/plan.h), then one batch per pending migration.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "migrate/migration.h"
#include "transport/neon_exec.h"

namespace edgefn::native {

struct migrate_report {
  std::vector<std::string> applied;     ///< tags this run applied, in order
  std::vector<std::string> concurrent;  ///< tags a concurrent run applied while we waited
  std::vector<std::string> warnings;    ///< from the plan (rows matching no file)
  bool upgraded = false;                ///< added drizzle 1.0's name/applied_at columns
  std::size_t names_filled = 0;         ///< rows whose name this run back-filled
};

/// Called after each migration this run applied (for progress output).
using on_applied_fn = std::function<void(const migrate::migration&)>;

/// Applies the pending migrations in order, each all-or-nothing, after upgrading the tracking
/// table when the plan says so (plan_run in src/migrate/plan.h: `l` is the folder's layout).
/// Stops at the first failure. Errors (messages never contain the connection string): a plan error (edited file),
/// or "<tag>: <database message> (SQLSTATE x)" with detail/hint appended when present; a
/// failure in the bootstrap batch is reported as "reading the migration history: ...".
[[nodiscard]] result<migrate_report> run_migrations(curl_transport& transport, neon::client& client,
                                                    std::span<const migrate::migration> migrations,
                                                    const on_applied_fn& on_applied = {},
                                                    migrate::layout l = migrate::layout::journal);

/// A neon::error as one human line: message, (SQLSTATE), detail, hint.
[[nodiscard]] std::string describe(const neon::error& e);

}  // namespace edgefn::native
