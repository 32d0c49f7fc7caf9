#include "migrate/runner.h"

#include "migrate/plan.h"

namespace edgefn::native {

std::string describe(const neon::error& e) {
  std::string out = e.message;
  if (!e.sqlstate().empty()) out += " (SQLSTATE " + std::string(e.sqlstate()) + ")";
  if (e.fields.detail) out += "; detail: " + *e.fields.detail;
  if (e.fields.hint) out += "; hint: " + *e.fields.hint;
  return out;
}

result<migrate_report> run_migrations(curl_transport& transport, neon::client& client,
                                      std::span<const migrate::migration> migrations,
                                      const on_applied_fn& on_applied, migrate::layout l) {
  const auto options = migrate::migration_batch_options();
  const auto boot = migrate::bootstrap_batch(l);
  auto history = execute_batch(transport, client, boot, options);
  if (!history || history->size() < 2)
    return fail(errc::invalid_argument,
                "reading the migration history: " + (history ? std::string("no result") : describe(history.error())));
  auto state = migrate::read_tracking_state((*history)[history->size() - 2], history->back());
  if (!state) return std::move(state).error();
  auto plan = migrate::plan_run(migrations, *state, l);
  if (!plan) return std::move(plan).error();

  migrate_report report;
  report.warnings = plan->warnings;
  if (const auto upgrade = migrate::upgrade_batch(*plan, l); !upgrade.empty()) {
    auto r = execute_batch(transport, client, upgrade, options);
    if (!r) return fail(errc::invalid_argument, "upgrading the migration table: " + describe(r.error()));
    report.upgraded = plan->add_columns;
    report.names_filled = plan->fills.size();
  }
  for (std::size_t i : plan->pending) {
    const migrate::migration& m = migrations[i];
    const auto batch = plan->by_name ? migrate::named_migration_batch(m, l)
                                     : migrate::migration_batch(m, migrate::hash_is_shared(migrations, i));
    auto r = execute_batch(transport, client, batch, options);
    if (r) {
      report.applied.push_back(m.tag);
      if (on_applied) on_applied(m);
    } else if (r.error().sqlstate() == migrate::k_already_applied_state) {
      report.concurrent.push_back(m.tag);
    } else {
      return fail(errc::invalid_argument, m.tag + ": " + describe(r.error()));
    }
  }
  return report;
}

}  // namespace edgefn::native
