#include "migrate/migration.h"

#include "base/sha256.h"

namespace edgefn::migrate {
namespace {

const source_file* find_file(std::span<const source_file> files, std::string_view name) {
  for (const auto& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

std::vector<std::string> split_statements(std::string_view text) {
  std::vector<std::string> out;
  for (;;) {
    const auto at = text.find(k_breakpoint);
    if (at == std::string_view::npos) break;
    out.emplace_back(text.substr(0, at));
    text.remove_prefix(at + k_breakpoint.size());
  }
  out.emplace_back(text);
  return out;
}

migration make_migration(std::string tag, std::int64_t when, std::string sql) {
  migration m;
  m.tag = std::move(tag);
  m.when = when;
  m.hash = sha256_hex(sql);
  m.statements = split_statements(sql);
  m.sql = std::move(sql);
  return m;
}

result<std::vector<migration>> load_migrations(std::span<const source_file> files) {
  const source_file* journal_file = find_file(files, "meta/_journal.json");
  if (!journal_file) return fail(errc::invalid_argument, "meta/_journal.json not found");
  auto j = parse_journal(journal_file->text);
  if (!j) return std::move(j).error();
  std::vector<migration> out;
  out.reserve(j->entries.size());
  for (auto& e : j->entries) {
    const std::string name = e.tag + ".sql";
    const source_file* f = find_file(files, name);
    if (!f) return fail(errc::invalid_argument, name + " is listed in the journal but missing");
    out.push_back(make_migration(std::move(e.tag), e.when, std::string(f->text)));
  }
  return out;
}

}  // namespace edgefn::migrate
