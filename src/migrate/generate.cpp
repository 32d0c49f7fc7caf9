#include "migrate/generate.h"

#include "base/json_writer.h"
#include "db/diff.h"
#include "db/snapshot.h"
#include "migrate/journal.h"

namespace edgefn::migrate {
namespace {

const source_file* find(std::span<const source_file> files, std::string_view name) {
  for (const auto& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string pad4(std::int64_t idx) {
  std::string s = json::decimal(idx);
  while (s.size() < 4) s.insert(s.begin(), '0');
  return s;
}

result<journal> journal_or_empty(std::span<const source_file> files) {
  const source_file* f = find(files, "meta/_journal.json");
  if (!f) return journal{"7", "postgresql", {}};
  return parse_journal(f->text);
}

}  // namespace

std::optional<std::string> last_snapshot_name(std::span<const source_file> files) {
  auto j = journal_or_empty(files);
  if (!j || j->entries.empty()) return std::nullopt;
  const std::string& tag = j->entries.back().tag;
  return "meta/" + tag.substr(0, tag.find('_')) + "_snapshot.json";
}

result<snapshot_head> latest_snapshot(std::span<const source_file> files) {
  auto j = journal_or_empty(files);
  if (!j) return std::move(j).error();
  if (j->entries.empty()) return snapshot_head{{}, std::string(db::origin_uuid)};
  const std::string name = *last_snapshot_name(files);
  const source_file* f = find(files, name);
  if (!f) return fail(errc::invalid_argument, name + " not found (the newest snapshot)");
  auto snap = db::parse_snapshot(padded_buffer(f->text));
  if (!snap) return fail(snap.error().code, name + ": " + snap.error().message);
  return snapshot_head{std::move(snap->schema), std::move(snap->id)};
}

result<std::optional<generated_migration>> generate_migration(std::span<const source_file> files,
                                                              const db::schema_model& schema,
                                                              std::string_view name,
                                                              std::int64_t when,
                                                              std::string_view new_id) {
  if (!valid_name(name))
    return fail(errc::invalid_argument, "migration name must be letters, digits, '_' or '-'");
  auto j = journal_or_empty(files);
  if (!j) return std::move(j).error();
  auto head = latest_snapshot(files);
  if (!head) return std::move(head).error();
  const auto statements = db::diff(head->schema, schema);
  if (statements.empty()) return std::optional<generated_migration>();

  const std::int64_t idx = j->entries.empty() ? 0 : j->entries.back().idx + 1;
  generated_migration g;
  const std::string prefix = pad4(idx);
  g.tag = prefix + "_" + std::string(name);
  g.sql_name = g.tag + ".sql";
  g.sql = db::migration_sql(statements);
  g.snapshot_name = "meta/" + prefix + "_snapshot.json";
  g.snapshot = db::snapshot_json(schema, new_id, head->id);
  j->entries.push_back(journal_entry{idx, "7", when, g.tag, true});
  g.journal = journal_json(*j);
  return std::optional<generated_migration>(std::move(g));
}

}  // namespace edgefn::migrate
