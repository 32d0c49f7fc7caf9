#include "migrate/db_tools.h"

#include <chrono>
#include <random>

#include "db/diff.h"
#include "migrate/folder.h"
#include "migrate/introspect.h"
#include "migrate/plan.h"
#include "migrate/runner.h"

namespace edgefn::native {
namespace {

neon::batch_options read_only() {
  neon::batch_options o;
  o.read_only = true;
  return o;
}

result<migrate::tracking_state> read_history(curl_transport& transport, neon::client& client) {
  auto exists = execute(transport, client, "select to_regclass('\"drizzle\".\"__drizzle_migrations\"') is not null");
  if (!exists) return fail(errc::invalid_argument, "reading the migration history: " + describe(exists.error()));
  if (exists->text(0, 0) != "t") return migrate::tracking_state{};
  auto rs = execute_batch(transport, client, migrate::tracking_queries(), read_only());
  if (!rs || rs->size() != 2)
    return fail(errc::invalid_argument,
                "reading the migration history: " + (rs ? std::string("no result") : describe(rs.error())));
  return migrate::read_tracking_state((*rs)[0], (*rs)[1]);
}

status check_history(curl_transport& transport, neon::client& client,
                     std::span<const migrate::source_file> files, check_report& out) {
  auto migrations = migrate::load_migrations(files);
  if (!migrations) return migrations.error();
  auto state = read_history(transport, client);
  if (!state) return state.error();
  auto plan = migrate::plan_run(*migrations, *state, migrate::detect_layout(files));
  if (!plan) {
    out.drift.push_back(plan.error().message);
    return {};
  }
  for (std::size_t i : plan->pending)
    out.drift.push_back("migration " + (*migrations)[i].tag + " is not applied (run `edgefn migrate`)");
  out.warnings = plan->warnings;
  if (plan->add_columns || !plan->fills.empty())
    out.warnings.push_back("the migration table lacks drizzle 1.0's names; `migrate` upgrades it");
  return {};
}

status check_snapshot(const db::schema_model& schema, std::span<const migrate::source_file> files,
                      check_report& out) {
  auto head = migrate::latest_snapshot(files);
  if (!head && head.error().code == errc::unsupported) {  // a format 9 merge or rename: not compared
    out.warnings.push_back("the schema was not compared with the newest snapshot: " + head.error().message);
    return {};
  }
  if (!head) return head.error();
  for (const auto& s : db::diff(head->schema, schema))
    out.drift.push_back("the schema has a change that no migration records (run `edgefn db generate`): " + s);
  return {};
}

}  // namespace

result<db::schema_model> read_live_schema(curl_transport& transport, neon::client& client) {
  const auto batch = migrate::introspect_batch();
  auto rs = execute_batch(transport, client, batch, read_only());
  if (!rs) return fail(errc::invalid_argument, "reading the database schema: " + describe(rs.error()));
  return migrate::live_model(*rs);
}

std::string random_uuid() {
  std::random_device rd;
  std::uint8_t b[16];
  for (auto& x : b) x = static_cast<std::uint8_t>(rd() & 0xff);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  constexpr const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 15]);
  }
  return out;
}

std::int64_t now_millis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

result<std::optional<migrate::generated_migration>> generate_to_folder(
    const std::string& dir, const db::schema_model& schema, const std::string& name,
    std::int64_t when, const std::string& uuid, migrate::layout new_folder_layout,
    std::span<const migrate::rename_hint> renames) {
  migration_folder folder;
  if (auto f = read_migration_folder(dir)) folder = std::move(*f);  // no folder yet: first migration
  const auto files = folder.files();
  auto g = migrate::generate_migration(files, schema, name, when, uuid, new_folder_layout, renames);
  if (!g || !*g) return g;
  const auto& m = **g;
  for (const auto& [path, text] : {std::pair{m.sql_name, &m.sql}, std::pair{m.snapshot_name, &m.snapshot},
                                   std::pair{std::string("meta/_journal.json"), &m.journal}}) {
    if (text->empty()) continue;  // the folder layout has no journal
    auto st = write_text_file(dir + "/" + path, *text);
    if (!st) return st.error();
  }
  return g;
}

result<check_report> check_database(curl_transport& transport, neon::client& client,
                                    const db::schema_model& schema,
                                    std::span<const migrate::source_file> files) {
  check_report out;
  if (auto st = check_history(transport, client, files, out); !st) return st.error();
  if (auto st = check_snapshot(schema, files, out); !st) return st.error();
  auto live = read_live_schema(transport, client);
  if (!live) return std::move(live).error();
  for (auto& d : migrate::describe_drift(schema, *live)) out.drift.push_back(std::move(d));
  return out;
}

result<std::vector<std::string>> push_schema(curl_transport& transport, neon::client& client,
                                             const db::schema_model& schema) {
  auto live = read_live_schema(transport, client);
  if (!live) return std::move(live).error();
  auto statements = db::diff(*live, schema);
  if (statements.empty()) return statements;
  std::vector<neon::query> batch = {{migrate::bootstrap_batch().front().text, {}}};  // the lock
  for (const auto& s : statements) batch.push_back({s, {}});
  auto r = execute_batch(transport, client, batch, migrate::migration_batch_options());
  if (!r) return fail(errc::invalid_argument, describe(r.error()));
  return statements;
}

}  // namespace edgefn::native
