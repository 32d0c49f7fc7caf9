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

/// Names the project cannot take: it becomes a C++ namespace and CMake targets (`NAME`,
/// `NAME_app`, `NAME_wasm`) next to edgefn's own (`edgefn`, `edgefn_*`) and CMake's reserved ones.
constexpr std::string_view k_reserved[] = {
    "all", "clean", "help", "install", "package", "test", "edit_cache", "rebuild_cache",
    "std", "api", "db", "neon", "exchange", "auth", "migrate", "cli", "native", "gateway",
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case",
    "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const",
    "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await", "co_return",
    "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
};

/// A C identifier made of lower-case letters, digits and '_', starting with a letter, that is
/// not reserved (see k_reserved).
bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 40 || n.front() < 'a' || n.front() > 'z') return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  if (n == "edgefn" || n.starts_with("edgefn_")) return false;
  for (auto r : k_reserved)
    if (n == r) return false;
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
    {
      std::ofstream out(dst, std::ios::binary);
      out << substitute(buf.str(), a);
      if (!in || !out) {
        error = "cannot write " + dst.string();
        return false;
      }
    }
    // Keeps the executable bit of scripts (tests/run.sh).
    fs::permissions(dst, it->status().permissions(), ec);
    if (ec) break;
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
    std::fprintf(stderr, "edgefn new: the project name must match [a-z][a-z0-9_]*, not be a C++ keyword "
                         "or a name edgefn or CMake uses (use --name)\n");
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
  std::printf("created %s (app `%s`, edgefn at %s)\nnext:\n  cd %s\n  make dev    # build (the first build writes migrations/0000_init.sql), migrate, seed, serve in workerd at http://localhost:8787\n  make test   # build and run the smoke test\n",
              args.dir.c_str(), args.name.c_str(), args.edgefn_dir.c_str(), args.dir.c_str());
  return 0;
}

}  // namespace edgefn::cli
