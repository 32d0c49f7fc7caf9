#include "migrate/migration.h"

#include <algorithm>

#include "base/sha256.h"
#include "neon/values.h"

namespace edgefn::migrate {
namespace {

const source_file* find_file(std::span<const source_file> files, std::string_view name) {
  for (const auto& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

constexpr std::string_view k_folder_sql = "/migration.sql";

std::string two(unsigned v) { return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }

// "<folder>/migration.sql" with a plain folder name (no further '/', not hidden).
std::optional<std::string_view> folder_of(std::string_view file) {
  if (!file.ends_with(k_folder_sql)) return std::nullopt;
  file.remove_suffix(k_folder_sql.size());
  if (file.empty() || file.front() == '.' || file.find_first_of("/\\") != std::string_view::npos)
    return std::nullopt;
  return file;
}

std::optional<unsigned> digits(std::string_view s) {
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

result<std::vector<migration>> load_folders(std::span<const source_file> files) {
  std::vector<const source_file*> sql;
  for (const auto& f : files)
    if (folder_of(f.name)) sql.push_back(&f);
  // drizzle sorts with localeCompare; the names start with 14 digits, so byte order agrees
  // except between two migrations of the same second.
  std::sort(sql.begin(), sql.end(), [](const source_file* a, const source_file* b) { return a->name < b->name; });
  std::vector<migration> out;
  out.reserve(sql.size());
  for (const source_file* f : sql) {
    auto m = make_folder_migration(std::string(*folder_of(f->name)), std::string(f->text));
    if (!m) return std::move(m).error();
    out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace

layout detect_layout(std::span<const source_file> files) {
  if (find_file(files, "meta/_journal.json")) return layout::journal;
  for (const auto& f : files)
    if (folder_of(f.name)) return layout::folders;
  return layout::journal;
}

std::string folder_stamp(std::int64_t millis) {
  constexpr std::int64_t ms_per_day = 86'400'000;
  std::int64_t days = millis / ms_per_day, in_day = millis % ms_per_day;
  if (in_day < 0) {
    in_day += ms_per_day;
    --days;
  }
  const auto ymd = neon::date{static_cast<std::int32_t>(days)}.to_ymd();
  const auto secs = static_cast<unsigned>(in_day / 1000);
  return std::to_string(ymd.year) + two(static_cast<unsigned>(ymd.month)) + two(static_cast<unsigned>(ymd.day)) +
         two(secs / 3600) + two(secs / 60 % 60) + two(secs % 60);
}

std::optional<std::int64_t> folder_millis(std::string_view folder) {
  if (folder.size() < 14) return std::nullopt;
  const auto y = digits(folder.substr(0, 4)), mo = digits(folder.substr(4, 2)), d = digits(folder.substr(6, 2));
  const auto h = digits(folder.substr(8, 2)), mi = digits(folder.substr(10, 2)), s = digits(folder.substr(12, 2));
  if (!y || !mo || !d || !h || !mi || !s || *mo < 1 || *mo > 12 || *d < 1 || *h > 23 || *mi > 59 || *s > 59)
    return std::nullopt;
  const auto date = neon::date::from_ymd(*y, static_cast<int>(*mo), static_cast<int>(*d));
  const auto back = date.to_ymd();
  if (back.year != *y || back.month != static_cast<int>(*mo) || back.day != static_cast<int>(*d))
    return std::nullopt;  // e.g. 29 February of a common year
  return ((static_cast<std::int64_t>(date.days) * 24 + *h) * 60 + *mi) * 60'000 + std::int64_t{*s} * 1000;
}

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
  const auto rest = tag.find('_');
  m.name = folder_stamp(when) + "_" + (rest == std::string::npos ? std::string() : tag.substr(rest + 1));
  m.tag = std::move(tag);
  m.when = when;
  m.hash = sha256_hex(sql);
  m.statements = split_statements(sql);
  m.sql = std::move(sql);
  return m;
}

result<migration> make_folder_migration(std::string folder, std::string sql) {
  const auto when = folder_millis(folder);
  if (!when)
    return fail(errc::invalid_argument,
                folder + "/migration.sql: the folder name must start with a UTC time YYYYMMDDHHmmss");
  migration m = make_migration(folder, *when, std::move(sql));
  m.name = m.tag;
  return m;
}

result<std::vector<migration>> load_migrations(std::span<const source_file> files) {
  if (detect_layout(files) == layout::folders) return load_folders(files);
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
