#include "migrate/generate.h"

#include <algorithm>

#include "base/json_writer.h"
#include "db/diff.h"
#include "db/snapshot.h"
#include "migrate/journal.h"
#include "migrate/renames.h"
#include "migrate/snapshot9.h"
#include "migrate/snapshot9_write.h"

#include "simdjson.h"

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

bool has_migrations(std::span<const source_file> files) {
  if (find(files, "meta/_journal.json")) return true;
  return detect_layout(files) == layout::folders;
}

// The header of a folder-layout snapshot: its version, id and parents (prevId or prevIds).
struct snapshot_header {
  std::string name, version, id;
  std::vector<std::string> parents;
};

result<snapshot_header> read_header(const source_file& f) {
  namespace dom = simdjson::dom;
  dom::parser parser;
  dom::element doc;
  snapshot_header h;
  h.name = std::string(f.name);
  std::string_view s;
  if (parser.parse(f.text.data(), f.text.size()).get(doc) != simdjson::SUCCESS ||
      doc["id"].get_string().get(s) != simdjson::SUCCESS)
    return fail(errc::parse_error, h.name + ": not a drizzle-kit snapshot (no `id`)");
  h.id = std::string(s);
  if (doc["version"].get_string().get(s) == simdjson::SUCCESS) h.version = std::string(s);
  if (doc["prevId"].get_string().get(s) == simdjson::SUCCESS) h.parents.emplace_back(s);
  dom::array prev;
  if (doc["prevIds"].get_array().get(prev) == simdjson::SUCCESS)
    for (dom::element e : prev)
      if (e.get_string().get(s) == simdjson::SUCCESS) h.parents.emplace_back(s);
  return h;
}

// The folder layout's head: the snapshot that is no other snapshot's parent.
result<const source_file*> folder_head(std::span<const source_file> files) {
  std::vector<snapshot_header> headers;
  std::vector<const source_file*> sources;
  for (const auto& f : files) {
    if (!f.name.ends_with("/snapshot.json")) continue;
    auto h = read_header(f);
    if (!h) return std::move(h).error();
    headers.push_back(std::move(*h));
    sources.push_back(&f);
  }
  std::vector<std::size_t> leaves;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    bool parent = false;
    for (const auto& other : headers)
      for (const auto& p : other.parents) parent = parent || p == headers[i].id;
    if (!parent) leaves.push_back(i);
  }
  if (leaves.empty())
    return fail(errc::invalid_argument, headers.empty() ? "no snapshot.json in the migration folders"
                                                        : "no snapshot is the newest: the prevIds form a cycle");
  if (leaves.size() > 1)
    return fail(errc::invalid_argument, "the migration history has " + json::decimal(static_cast<std::int64_t>(leaves.size())) +
                                            " open branches (" + headers[leaves[0]].name + ", " + headers[leaves[1]].name +
                                            "...); merge them with drizzle-kit generate first");
  return sources[leaves.front()];
}

// Every folder's snapshot.json (the history a format 9 head is reconstructed from).
std::vector<source_file> folder_snapshots(std::span<const source_file> files) {
  std::vector<source_file> out;
  for (const auto& f : files)
    if (f.name.ends_with("/snapshot.json")) out.push_back(f);
  return out;
}

result<snapshot_head> parse_head(const source_file& f) {
  auto snap = db::parse_snapshot(padded_buffer(f.text));
  if (!snap) return fail(snap.error().code, std::string(f.name) + ": " + snap.error().message);
  return snapshot_head{std::move(snap->schema), std::move(snap->id)};
}

// drizzle-kit 1.0 writes format 9: a base snapshot for a folder's first migration, else a diff
// from the newest one. A history still in format 7 (edgefn before format 9, or drizzle-kit 0.x
// folders awaiting `drizzle-kit up`) keeps format 7, which `up` converts with the rest.
std::string snapshot_for_folder(std::span<const source_file> files, const db::schema_model& prev,
                                const db::schema_model& cur, std::string_view id, std::string_view prev_id,
                                const rename_plan& renames) {
  const auto snapshots = folder_snapshots(files);
  if (snapshots.empty()) return base_snapshot9_json(cur, id);
  const bool format9 = std::all_of(snapshots.begin(), snapshots.end(), [](const source_file& f) { return is_format9(f.text); });
  return format9 ? diff_snapshot9_json(prev, cur, id, prev_id, renames) : db::snapshot_json(cur, id, prev_id);
}

generated_migration folder_migration(std::string_view name, std::int64_t when) {
  generated_migration g;
  g.tag = folder_stamp(when) + "_" + std::string(name);
  g.sql_name = g.tag + "/migration.sql";
  g.snapshot_name = g.tag + "/snapshot.json";
  return g;
}

// The 0.x layout's files: NNNN_name.sql, its format 7 snapshot, the journal with one more entry.
// drizzle-kit 0.31 leaves the snapshot's _meta renames empty for postgres (it never hands them
// to writeResult), so a rename leaves no trace in the snapshot either.
std::optional<generated_migration> journal_migration(journal j, const db::schema_model& schema,
                                                     std::span<const std::string> statements, std::string_view name,
                                                     std::int64_t when, std::string_view new_id, std::string_view prev_id) {
  const std::int64_t idx = j.entries.empty() ? 0 : j.entries.back().idx + 1;
  generated_migration g;
  const std::string prefix = pad4(idx);
  g.tag = prefix + "_" + std::string(name);
  g.sql_name = g.tag + ".sql";
  g.sql = db::migration_sql(statements);
  g.snapshot_name = "meta/" + prefix + "_snapshot.json";
  g.snapshot = db::snapshot_json(schema, new_id, prev_id);
  j.entries.push_back(journal_entry{idx, "7", when, g.tag, true});
  g.journal = journal_json(j);
  return g;
}

}  // namespace

std::optional<std::string> last_snapshot_name(std::span<const source_file> files) {
  auto j = journal_or_empty(files);
  if (!j || j->entries.empty()) return std::nullopt;
  const std::string& tag = j->entries.back().tag;
  return "meta/" + tag.substr(0, tag.find('_')) + "_snapshot.json";
}

result<snapshot_head> latest_snapshot(std::span<const source_file> files) {
  if (!find(files, "meta/_journal.json") && detect_layout(files) == layout::folders) {
    auto head = folder_head(files);
    if (!head) return std::move(head).error();
    if (!is_format9((*head)->text)) return parse_head(**head);
    auto h = read_header(**head);
    if (!h) return std::move(h).error();
    auto schema = reconstruct_format9(folder_snapshots(files), h->id);
    if (!schema) return std::move(schema).error();
    return snapshot_head{std::move(*schema), h->id};
  }
  auto j = journal_or_empty(files);
  if (!j) return std::move(j).error();
  if (j->entries.empty()) return snapshot_head{{}, std::string(db::origin_uuid)};
  const std::string name = *last_snapshot_name(files);
  const source_file* f = find(files, name);
  if (!f) return fail(errc::invalid_argument, name + " not found (the newest snapshot)");
  return parse_head(*f);
}

result<std::optional<generated_migration>> generate_migration(std::span<const source_file> files,
                                                              const db::schema_model& schema,
                                                              std::string_view name,
                                                              std::int64_t when,
                                                              std::string_view new_id,
                                                              layout new_folder_layout,
                                                              std::span<const rename_hint> renames) {
  if (!valid_name(name))
    return fail(errc::invalid_argument, "migration name must be letters, digits, '_' or '-'");
  const layout l = has_migrations(files) ? detect_layout(files) : new_folder_layout;
  auto j = l == layout::folders ? result<journal>(journal{}) : journal_or_empty(files);
  if (!j) return std::move(j).error();
  auto head = latest_snapshot(files);
  if (!head) return std::move(head).error();
  const rename_style style = l == layout::folders ? rename_style::kit1 : rename_style::kit0;
  auto plan = plan_renames(renames, head->schema, schema, style);
  if (!plan) return std::move(plan).error();
  const db::schema_model prev = apply_renames(head->schema, *plan, style);
  const auto statements = db::diff(prev, schema, rename_statements(*plan));
  if (statements.empty()) return std::optional<generated_migration>();
  if (l == layout::folders) {
    generated_migration g = folder_migration(name, when);
    if (find(files, g.sql_name))
      return fail(errc::invalid_argument, g.tag + " already exists; wait a second or choose another name");
    g.sql = db::migration_sql(statements);
    g.snapshot = snapshot_for_folder(files, prev, schema, new_id, head->id, *plan);
    return std::optional<generated_migration>(std::move(g));
  }
  return journal_migration(std::move(*j), schema, statements, name, when, new_id, head->id);
}

}  // namespace edgefn::migrate
