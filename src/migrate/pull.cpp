#include "migrate/pull.h"

#include <algorithm>
#include <array>

namespace edgefn::migrate {
namespace {

constexpr std::array<std::string_view, 97> k_keywords = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
    "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
    "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
    "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
    "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
    "switch", "template", "this", "thread_local",
    "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "db",
    "neon", "std", "schema"};

// Names a table struct already uses for its own members.
constexpr std::array<std::string_view, 8> k_table_members = {"name",    "row",    "columns", "indexes",
                                                             "primary_keys", "uniques", "checks", "enums"};

bool is_word(std::string_view s, std::span<const std::string_view> words) {
  return std::find(words.begin(), words.end(), s) != words.end();
}

/// A C++ identifier for an SQL name: other characters become '_', a leading digit gets '_'.
std::string identifier(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out.insert(out.begin(), '_');
  if (is_word(out, k_keywords)) out += '_';
  return out;
}

std::string cpp_string(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out += {'\\', c};
    else if (u < 0x20 || u == 0x7f) out += std::string("\\x") + hex[u >> 4] + hex[u & 15] + "\"\"";
    else out += c;
  }
  return out + "\"";
}

struct type_spec {
  std::string factory;     ///< "varchar": the db:: column factory
  std::string value_type;  ///< the row member's type when NOT NULL
  std::string args{};      ///< after the column name: ", 256", ", 10, 2", ", ::ns::mood"
};

/// The column factory and C++ value type for `c`, or empty when the schema layer lacks it.
/// Enums are named with `ns` (a column constant may have the enum's name).
std::optional<type_spec> type_of(const db::column_model& c, const db::schema_model& s, std::string_view ns) {
  const std::string_view t = c.type;
  auto sized = [&](std::string_view prefix) -> std::optional<std::string> {
    if (t == prefix) return std::string();
    if (t.starts_with(std::string(prefix) + "(") && t.ends_with(")"))
      return std::string(t.substr(prefix.size() + 1, t.size() - prefix.size() - 2));
    return std::nullopt;
  };
  if (t == "serial") return type_spec{"serial", "std::int32_t"};
  if (t == "integer") return type_spec{"integer", "std::int32_t"};
  if (t == "bigint") return type_spec{"bigint", "std::int64_t"};
  if (t == "text") return type_spec{"text", "std::string"};
  if (t == "boolean") return type_spec{"boolean", "bool"};
  if (t == "real") return type_spec{"real", "float"};
  if (t == "double precision") return type_spec{"double_precision", "double"};
  if (t == "timestamp") return type_spec{"timestamp", "neon::timestamp"};
  if (t == "timestamp with time zone") return type_spec{"timestamptz", "neon::timestamptz"};
  if (t == "date") return type_spec{"date", "neon::date"};
  if (t == "uuid") return type_spec{"uuid", "neon::uuid"};
  if (t == "jsonb") return type_spec{"jsonb", "neon::json_text"};
  if (auto n = sized("varchar")) return type_spec{"varchar", "std::string", n->empty() ? "" : ", " + *n};
  if (auto n = sized("numeric")) return type_spec{"numeric", "neon::numeric", n->empty() ? "" : ", " + *n};
  if (!c.type_schema.empty() && s.find_enum(c.type))
    return type_spec{"enumeration", "std::string", ", ::" + std::string(ns) + "::" + identifier(c.type)};
  return std::nullopt;
}

struct column_out {
  const db::column_model* model;
  std::string member;     ///< row struct member
  std::string constant;   ///< table struct constant
  type_spec type;
};

struct table_out {
  const db::table_model* model;
  std::string ident;
  std::vector<column_out> columns;
  const column_out* find(std::string_view sql) const {
    for (const auto& c : columns)
      if (c.model->name == sql) return &c;
    return nullptr;
  }
};

std::string fk_action_name(std::string_view a) {
  if (a == "cascade") return "cascade";
  if (a == "set null") return "set_null";
  if (a == "set default") return "set_default";
  if (a == "restrict") return "restrict";
  return "no_action";
}

class writer {
 public:
  writer(const db::schema_model& s, std::string_view ns, std::vector<std::string>& notes)
      : s_(s), ns_(ns), notes_(notes) {}

  std::vector<table_out> prepare() {
    std::vector<table_out> out;
    std::vector<std::string> used;
    for (const auto& t : s_.tables) {
      table_out o{&t, unique_ident(identifier(t.name), used), {}};
      std::vector<std::string> members, constants;
      for (const auto& c : t.columns) {
        auto type = type_of(c, s_, ns_);
        if (!type) {
          notes_.push_back("column " + t.name + "." + c.name + " has type " + c.type +
                           ", which the C++ schema layer cannot declare: left out");
          continue;
        }
        std::string member = unique_ident(identifier(c.name), members);
        std::string constant = is_word(member, k_table_members) ? member + "_col" : member;
        o.columns.push_back({&c, std::move(member), unique_ident(std::move(constant), constants), std::move(*type)});
      }
      out.push_back(std::move(o));
    }
    return order_by_references(std::move(out));
  }

  std::string enums() const {
    std::string out;
    for (const auto& e : s_.enums) {
      const std::string id = identifier(e.name);
      out += "inline constexpr std::string_view " + id + "_values[] = {";
      for (std::size_t i = 0; i < e.values.size(); ++i) out += (i ? ", " : "") + cpp_string(e.values[i]);
      out += "};\ninline constexpr db::enum_def " + id + "{" + cpp_string(e.name) + ", " + id + "_values};\n";
    }
    return out.empty() ? out : out + "\n";
  }

  std::string table(const table_out& t, const std::vector<table_out>& all) {
    const std::string row = t.ident + "_row";
    std::string out = "struct " + row + " {\n";
    for (const auto& c : t.columns) {
      const std::string& vt = c.type.value_type;
      out += "  " + (c.model->not_null ? vt : "std::optional<" + vt + ">") + " " + c.member + "{};\n";
    }
    out += "};\n\nstruct " + t.ident + "_table {\n  using row = " + row + ";\n";
    out += "  static constexpr std::string_view name = " + cpp_string(t.model->name) + ";\n";
    for (const auto& c : t.columns) out += "  static constexpr auto " + c.constant + " = " + column(t, c, row, all) + ";\n";
    out += "  static constexpr auto columns = std::tuple{";
    for (std::size_t i = 0; i < t.columns.size(); ++i) out += (i ? ", " : "") + t.columns[i].constant;
    out += "};\n";
    out += indexes(t);  // before constraints(t): both append notes, in this order
    out += constraints(t);
    out += "};\n\n";
    return out;
  }

 private:
  static std::string unique_ident(std::string id, std::vector<std::string>& used) {
    std::string out = id;
    for (int n = 2; std::find(used.begin(), used.end(), out) != used.end(); ++n) out = id + "_" + std::to_string(n);
    used.push_back(out);
    return out;
  }

  // Tables whose foreign keys point at earlier tables come later (a column can only reference
  // a declared one). A cycle keeps the remaining tables in name order; their keys get notes.
  std::vector<table_out> order_by_references(std::vector<table_out> in) {
    std::vector<table_out> out;
    while (!in.empty()) {
      auto ready = std::find_if(in.begin(), in.end(), [&](const table_out& t) {
        return std::all_of(t.model->foreign_keys.begin(), t.model->foreign_keys.end(), [&](const auto& fk) {
          return fk.table_to == t.model->name ||
                 std::none_of(in.begin(), in.end(), [&](const table_out& o) { return o.model->name == fk.table_to; });
        });
      });
      if (ready == in.end()) ready = in.begin();
      out.push_back(std::move(*ready));
      in.erase(ready);
    }
    return out;
  }

  std::string column(const table_out& t, const column_out& c, const std::string& row,
                     const std::vector<table_out>& all) {
    const db::column_model& m = *c.model;
    std::string out = "db::" + c.type.factory + "<&" + row + "::" + c.member + ">(name, " + cpp_string(m.name) +
                      c.type.args + ")";
    if (m.primary_key) out += ".primary_key()";
    if (m.default_value) {
      if (m.default_value == "now()") out += ".default_now()";
      else if (m.default_value == "gen_random_uuid()") out += ".default_random()";
      else out += (m.default_is_literal ? ".default_literal(" : ".default_sql(") + cpp_string(*m.default_value) + ")";
    }
    if (auto ref = reference(t, c, all)) out += *ref;
    return out;
  }

  std::optional<std::string> reference(const table_out& t, const column_out& c, const std::vector<table_out>& all) {
    for (const auto& fk : t.model->foreign_keys) {
      if (fk.columns_from.size() != 1 || fk.columns_from[0] != c.model->name) continue;
      const std::string expected = t.model->name + "_" + c.model->name + "_" + fk.table_to + "_" + fk.columns_to[0] + "_fk";
      const std::string what = "foreign key " + fk.name + " on " + t.model->name;
      if (fk.name != expected) {
        notes_.push_back(what + " is not named " + expected + " (drizzle's name for it): left out");
        return std::nullopt;
      }
      const table_out* target = nullptr;
      for (const auto& o : all) {
        if (o.model->name == fk.table_to) { target = &o; break; }
        if (&o == &t) break;  // declared after this table (a cycle)
      }
      const column_out* col = target ? target->find(fk.columns_to[0]) : nullptr;
      if (target == &t && col && col >= &c) col = nullptr;  // self reference to a later column
      if (!col) {
        notes_.push_back(what + " references a column not declared before it: left out");
        return std::nullopt;
      }
      const std::string ref = target == &t ? col->constant : target->ident + "_table::" + col->constant;
      std::string out = ".references(" + ref;
      if (fk.on_delete != "no action" || fk.on_update != "no action")
        out += ", db::fk_action::" + fk_action_name(fk.on_delete) + ", db::fk_action::" + fk_action_name(fk.on_update);
      return out + ")";
    }
    return std::nullopt;
  }

  std::string column_list(const table_out& t, const std::vector<std::string>& names, const std::string& what) {
    std::string out;
    for (const auto& n : names) {
      const column_out* c = t.find(n);
      if (!c) {
        notes_.push_back(what + " is over a column left out: left out");
        return {};
      }
      out += (out.empty() ? "" : ", ") + c->constant;
    }
    return out;
  }

  std::string indexes(const table_out& t) {
    std::vector<std::string> items;
    for (const auto& ix : t.model->indexes) {
      const std::string what = "index " + ix.name + " on " + t.model->name;
      const bool plain = ix.method == "btree" && std::all_of(ix.columns.begin(), ix.columns.end(), [](const auto& c) {
                           return !c.is_expression && c.asc && c.nulls == "last";
                         });
      if (!plain) {
        notes_.push_back(what + " uses expressions, an order, NULLS FIRST or a method the C++ schema cannot declare: left out");
        continue;
      }
      std::vector<std::string> names;
      for (const auto& c : ix.columns) names.push_back(c.expression);
      const std::string cols = column_list(t, names, what);
      if (cols.empty()) continue;
      items.push_back(std::string(ix.is_unique ? "db::unique_index(" : "db::index(") + cpp_string(ix.name) + ").on(" + cols + ")");
    }
    return array_member("indexes", items);
  }

  std::string constraints(const table_out& t) {
    std::vector<std::string> pks, uniques, checks;
    for (const auto& pk : t.model->composite_primary_keys) {
      const std::string cols = column_list(t, pk.columns, "primary key " + pk.name + " on " + t.model->name);
      if (!cols.empty()) pks.push_back("db::constraint_def{db::index(" + cpp_string(pk.name) + ").on(" + cols + ")}");
    }
    for (const auto& u : t.model->unique_constraints) {
      const std::string what = "unique constraint " + u.name + " on " + t.model->name;
      if (u.nulls_not_distinct) {
        notes_.push_back(what + " has NULLS NOT DISTINCT, which the C++ schema cannot declare: left out");
        continue;
      }
      const std::string cols = column_list(t, u.columns, what);
      if (!cols.empty()) uniques.push_back("db::unique(" + cpp_string(u.name) + ", " + cols + ")");
    }
    for (const auto& c : t.model->check_constraints)
      checks.push_back("db::check(" + cpp_string(c.name) + ", " + cpp_string(c.value) + ")");
    return array_member("primary_keys", pks) + array_member("uniques", uniques) + array_member("checks", checks);
  }

  static std::string array_member(std::string_view name, const std::vector<std::string>& items) {
    if (items.empty()) return {};
    std::string out = "  static constexpr std::array " + std::string(name) + "{";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n      " : "") + items[i];
    return out + "};\n";
  }

  const db::schema_model& s_;
  std::string_view ns_;
  std::vector<std::string>& notes_;
};

bool valid_namespace(std::string_view ns) {
  if (ns.empty()) return false;
  for (;;) {
    const auto sep = ns.find("::");
    const std::string_view part = ns.substr(0, sep);
    if (part.empty() || identifier(part) != part) return false;
    if (sep == std::string_view::npos) return true;
    ns.remove_prefix(sep + 2);
  }
}

}  // namespace

result<pulled_schema> pull_header(const db::schema_model& live, std::string_view ns) {
  if (!valid_namespace(ns)) return fail(errc::invalid_argument, "not a C++ namespace name: " + std::string(ns));
  pulled_schema out;
  writer w(live, ns, out.notes);
  const auto tables = w.prepare();
  std::string body = w.enums();
  for (const auto& t : tables) body += w.table(t, tables);
  std::string list;
  for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t.ident + "_table";
  out.header =
      "#pragma once\n"
      "// Written by `db pull` from a live database's public schema: a starting point to edit (rename\n"
      "// members, move it next to the app's schema); nothing rewrites it.\n\n"
      "#include <array>\n#include <cstdint>\n#include <optional>\n#include <string>\n#include <string_view>\n"
      "#include <tuple>\n\n#include \"db/model.h\"\n\n"
      "namespace " + std::string(ns) + " {\n\nnamespace db = edgefn::db;\nnamespace neon = edgefn::neon;\n\n" + body;
  out.header += "/// The model of the tables above (and of every enum, used or not).\n"
                "[[nodiscard]] inline db::schema_model schema() {\n"
                "  auto s = db::model_of<" + list + ">();\n";
  for (const auto& e : live.enums) out.header += "  db::detail::add_enum(s, " + identifier(e.name) + ");\n";
  out.header += "  return s;\n}\n\n}  // namespace " + std::string(ns) + "\n";
  return out;
}

}  // namespace edgefn::migrate
