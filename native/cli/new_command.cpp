#include "cli/new_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/options.h"

namespace edgefn::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_usage = "usage: edgefn new DIR [--name NAME] [--edgefn-dir PATH]\n";

struct new_args {
  std::string dir;
  std::string name;
  std::string edgefn_dir = EDGEFN_SOURCE_DIR;
};

/// A C identifier made of lower-case letters, digits and '_', starting with a letter.
bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 40 || n.front() < 'a' || n.front() > 'z') return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

std::string substitute(std::string text, const new_args& a) {
  text = replace_all(std::move(text), "{{name}}", a.name);
  return replace_all(std::move(text), "{{edgefn_dir}}", a.edgefn_dir);
}

bool copy_template(const fs::path& from, const fs::path& to, const new_args& a, std::string& error) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path rel = fs::relative(it->path(), from);
    const fs::path dst = to / substitute(rel.string(), a);
    if (it->is_directory()) {
      fs::create_directories(dst, ec);
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    fs::create_directories(dst.parent_path(), ec);
    std::ofstream out(dst, std::ios::binary);
    out << substitute(buf.str(), a);
    if (!in || !out) {
      error = "cannot write " + dst.string();
      return false;
    }
  }
  if (ec) error = ec.message();
  return !ec;
}

}  // namespace

int run_new_command(int argc, char** argv) {
  new_args args;
  if (argc < 2) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  args.dir = argv[1];
  if (!parse_options(argc, argv, 2, [&](std::string_view n, const std::string& v) {
        if (n == "--name") args.name = v;
        else if (n == "--edgefn-dir") args.edgefn_dir = v;
        else return false;
        return true;
      })) {
    std::fputs(k_usage, stderr);
    return 2;
  }
  std::error_code ec;
  if (args.name.empty()) args.name = fs::absolute(args.dir, ec).filename().string();
  if (!valid_name(args.name)) {
    std::fprintf(stderr, "edgefn new: the project name must match [a-z][a-z0-9_]* (use --name)\n");
    return 2;
  }
  if (fs::exists(args.dir, ec) && !fs::is_empty(args.dir, ec)) {
    std::fprintf(stderr, "edgefn new: %s exists and is not empty\n", args.dir.c_str());
    return 2;
  }
  args.edgefn_dir = fs::absolute(args.edgefn_dir, ec).lexically_normal().string();
  while (args.edgefn_dir.size() > 1 && args.edgefn_dir.back() == '/') args.edgefn_dir.pop_back();
  const fs::path templates = fs::path(args.edgefn_dir) / "templates" / "project";
  if (!fs::is_directory(templates, ec)) {
    std::fprintf(stderr, "edgefn new: no templates in %s (use --edgefn-dir)\n", templates.c_str());
    return 2;
  }
  std::string error;
  if (!copy_template(templates, args.dir, args, error)) {
    std::fprintf(stderr, "edgefn new: %s\n", error.c_str());
    return 1;
  }
  std::printf("created %s (app `%s`, edgefn at %s)\nnext:\n  cd %s\n  make dev    # build, migrate, seed, serve in workerd at http://localhost:8787\n  make test   # build and run the smoke test\n",
              args.dir.c_str(), args.name.c_str(), args.edgefn_dir.c_str(), args.dir.c_str());
  return 0;
}

}  // namespace edgefn::cli
