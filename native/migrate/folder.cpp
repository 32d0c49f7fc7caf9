#include "migrate/folder.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace edgefn::native {
namespace {

bool read_file(const std::filesystem::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

status add_file(migration_folder& out, const std::filesystem::path& p, std::string name) {
  std::string text;
  if (!read_file(p, text)) return fail(errc::invalid_argument, p.string() + " cannot be read");
  out.names.push_back(std::move(name));
  out.texts.push_back(std::move(text));
  return {};
}

// drizzle-kit 1.0's layout: every `<folder>/migration.sql` with its `snapshot.json`.
result<migration_folder> read_folder_layout(const std::string& dir) {
  namespace fs = std::filesystem;
  migration_folder out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string folder = e.path().filename().string();
    std::error_code fec;
    if (!e.is_directory(fec) || folder.starts_with('.') || !fs::is_regular_file(e.path() / "migration.sql", fec))
      continue;
    for (const char* file : {"migration.sql", "snapshot.json"}) {
      if (!fs::is_regular_file(e.path() / file, fec)) continue;
      if (auto st = add_file(out, e.path() / file, folder + "/" + file); !st) return st.error();
    }
  }
  if (ec) return fail(errc::invalid_argument, dir + " cannot be listed: " + ec.message());
  if (out.names.empty())
    return fail(errc::invalid_argument,
                dir + " has neither meta/_journal.json nor <YYYYMMDDHHmmss>_<name>/migration.sql folders");
  return out;
}

}  // namespace

std::vector<migrate::source_file> migration_folder::files() const {
  std::vector<migrate::source_file> out;
  for (std::size_t i = 0; i < names.size(); ++i) out.push_back({names[i], texts[i]});
  return out;
}

result<migration_folder> read_migration_folder(const std::string& dir) {
  namespace fs = std::filesystem;
  migration_folder out;
  std::string journal;
  std::error_code jec;
  if (!fs::exists(fs::path(dir) / "meta" / "_journal.json", jec) && fs::is_directory(dir, jec))
    return read_folder_layout(dir);
  if (!read_file(fs::path(dir) / "meta" / "_journal.json", journal))
    return fail(errc::invalid_argument, dir + "/meta/_journal.json cannot be read");
  out.names.emplace_back("meta/_journal.json");
  out.texts.push_back(std::move(journal));
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "meta", ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || e.path().extension() != ".json" || name == "_journal.json") continue;
    std::string text;
    if (!read_file(e.path(), text))
      return fail(errc::invalid_argument, e.path().string() + " cannot be read");
    out.names.push_back("meta/" + name);
    out.texts.push_back(std::move(text));
  }
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".sql") continue;
    std::string text;
    if (!read_file(e.path(), text))
      return fail(errc::invalid_argument, e.path().string() + " cannot be read");
    out.names.push_back(e.path().filename().string());
    out.texts.push_back(std::move(text));
  }
  if (ec) return fail(errc::invalid_argument, dir + " cannot be listed: " + ec.message());
  return out;
}

status write_text_file(const std::string& path, std::string_view text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) return fail(errc::invalid_argument, path + " cannot be written");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return fail(errc::invalid_argument, path + " cannot be written");
  return {};
}

namespace {

bool same_files(std::span<const migrate::source_file> a, std::span<const migrate::source_file> b) {
  if (a.size() != b.size()) return false;
  for (const auto& f : a) {
    bool found = false;
    for (const auto& g : b)
      if (g.name == f.name) found = g.text == f.text;
    if (!found) return false;
  }
  return true;
}

}  // namespace

result<migration_source> choose_migrations(const std::string& flag_dir, std::string_view app_dir,
                                           std::span<const migrate::source_file> embedded) {
  migration_source out;
  std::string dir = flag_dir;
  std::error_code ec;
  if (dir.empty() && !app_dir.empty() && std::filesystem::is_directory(std::string(app_dir), ec))
    dir = std::string(app_dir);
  if (dir.empty()) {
    out.files.assign(embedded.begin(), embedded.end());
    out.origin = "embedded";
    return out;
  }
  auto folder = read_migration_folder(dir);
  if (!folder) return std::move(folder).error();
  out.folder = std::move(*folder);
  out.files = out.folder.files();
  out.origin = dir;
  if (!same_files(out.files, embedded))
    out.note = "using the migrations in " + dir + " (they differ from the ones built into this binary: rebuild to embed them)";
  return out;
}

}  // namespace edgefn::native
