#include "migrate/snapshot9.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "simdjson.h"

namespace edgefn::migrate {
namespace {

namespace dom = simdjson::dom;

// One DDL entity: its type and its fields in document order (elements of a kept document).
struct entity {
  std::string type;
  std::vector<std::pair<std::string, dom::element>> fields;

  [[nodiscard]] std::optional<dom::element> field(std::string_view key) const {
    for (const auto& [k, v] : fields)
      if (k == key) return v;
    return std::nullopt;
  }
  [[nodiscard]] std::string text(std::string_view key) const {
    std::string_view s;
    auto f = field(key);
    if (f && f->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    return {};
  }
  [[nodiscard]] bool flag(std::string_view key) const {
    bool b = false;
    auto f = field(key);
    return f && f->get_bool().get(b) == simdjson::SUCCESS && b;
  }
  [[nodiscard]] std::optional<bool> optional_flag(std::string_view key) const {
    bool b = false;
    auto f = field(key);
    if (f && f->get_bool().get(b) == simdjson::SUCCESS) return b;
    return std::nullopt;
  }
  [[nodiscard]] std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    dom::array a;
    auto f = field(key);
    if (!f || f->get_array().get(a) != simdjson::SUCCESS) return out;
    for (dom::element e : a) {
      std::string_view s;
      if (e.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
    }
    return out;
  }
};

// A parsed format 9 snapshot; its elements live in `parser`.
struct snap9 {
  std::string name, id, type;
  std::vector<std::string> prev;
  dom::array rows;  // ddl (base) or deltas (diff)
};

// The model holds these entity types; deltas of others are skipped.
bool modelled(std::string_view type) {
  for (std::string_view t : {"tables", "columns", "indexes", "fks", "pks", "uniques", "checks", "enums"})
    if (t == type) return true;
  return false;
}

error bad(std::string_view where, std::string what) {
  return fail(errc::parse_error, std::string(where) + ": " + std::move(what));
}

result<entity> entity_of(dom::element e, std::string_view where) {
  dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return bad(where, "a DDL row is not an object");
  entity out;
  for (auto [key, value] : o) out.fields.emplace_back(std::string(key), value);
  out.type = out.text("entityType");
  if (out.type.empty()) return bad(where, "a DDL row has no entityType");
  return out;
}

struct history {
  std::vector<std::unique_ptr<dom::parser>> parsers;
  std::vector<snap9> snaps;

  const snap9* find(std::string_view id) const {
    for (const auto& s : snaps)
      if (s.id == id) return &s;
    return nullptr;
  }
};

result<snap9> read_snap(dom::parser& parser, const source_file& f) {
  snap9 s;
  s.name = std::string(f.name);
  dom::element doc;
  std::string_view v;
  if (parser.parse(f.text.data(), f.text.size()).get(doc) != simdjson::SUCCESS) return bad(s.name, "not valid JSON");
  if (doc["id"].get_string().get(v) != simdjson::SUCCESS) return bad(s.name, "no `id`");
  s.id = std::string(v);
  if (doc["type"].get_string().get(v) != simdjson::SUCCESS) return bad(s.name, "no `type`");
  s.type = std::string(v);
  dom::array prev;
  if (doc["prevIds"].get_array().get(prev) == simdjson::SUCCESS)
    for (dom::element e : prev)
      if (e.get_string().get(v) == simdjson::SUCCESS) s.prev.emplace_back(v);
  const char* list = s.type == "base" ? "ddl" : "deltas";
  if (doc[list].get_array().get(s.rows) != simdjson::SUCCESS) return bad(s.name, std::string("no `") + list + "` array");
  return s;
}

// The delta key "<type>\0<JSON array>" -> type and identity strings.
result<std::pair<std::string, std::vector<std::string>>> parse_key(std::string_view key, std::string_view where) {
  const auto zero = key.find('\0');
  if (zero == std::string_view::npos) return bad(where, "a delta key without an entity type");
  dom::parser p;
  dom::array a;
  const std::string ident(key.substr(zero + 1));
  if (p.parse(ident).get_array().get(a) != simdjson::SUCCESS) return bad(where, "a delta key is not a JSON array");
  std::vector<std::string> parts;
  for (dom::element e : a) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) return bad(where, "a delta key holds a non-string");
    parts.emplace_back(s);
  }
  return std::pair{std::string(key.substr(0, zero)), std::move(parts)};
}

bool same_identity(const entity& e, const std::vector<std::string>& id) {
  if (id.size() == 3) return e.text("schema") == id[0] && e.text("table") == id[1] && e.text("name") == id[2];
  if (id.size() == 2) return e.text("schema") == id[0] && e.text("name") == id[1];
  return id.size() == 1 && e.text("name") == id[0];
}

// Parsers holding the values renames put into entities (each value its own document).
using arena = std::vector<std::unique_ptr<dom::parser>>;

dom::element parsed(arena& a, const std::string& json) {
  a.push_back(std::make_unique<dom::parser>());
  dom::element e;
  if (a.back()->parse(json).get(e) != simdjson::SUCCESS) return {};  // built with json_writer: valid
  return e;
}

std::string json_text(std::string_view s) {
  std::string out;
  json::append_string(out, s);
  return out;
}

void set_field(entity& e, std::string_view key, dom::element value) {
  for (auto& [k, v] : e.fields)
    if (k == key) v = value;
}

// `key`'s string array with `from` replaced by `to` (when it holds `from`).
void rename_in_list(arena& a, entity& e, std::string_view key, const std::string& from, const std::string& to) {
  auto names = e.strings(key);
  if (std::find(names.begin(), names.end(), from) == names.end()) return;
  std::string json = "[";
  for (const auto& n : names) json += (json.size() > 1 ? "," : "") + json_text(n == from ? to : n);
  set_field(e, key, parsed(a, json + "]"));
}

// An index's column list with the column `from` (not expressions) renamed to `to`.
void rename_index_column(arena& a, entity& e, const std::string& from, const std::string& to) {
  dom::array cols;
  auto f = e.field("columns");
  if (!f || f->get_array().get(cols) != simdjson::SUCCESS) return;
  std::string json = "[";
  bool hit = false;
  for (dom::element c : cols) {
    std::string_view v;
    bool expr = false;
    const bool match = c["value"].get_string().get(v) == simdjson::SUCCESS && v == from &&
                       !(c["isExpression"].get_bool().get(expr) == simdjson::SUCCESS && expr);
    hit = hit || match;
    std::string obj = "{";
    dom::object o;
    if (c.get_object().get(o) == simdjson::SUCCESS)
      for (auto [k, val] : o)
        obj += (obj.size() > 1 ? "," : "") + json_text(k) + ":" +
               (match && k == "value" ? json_text(to) : simdjson::to_string(val));
    json += (json.size() > 1 ? "," : "") + obj + "}";
  }
  if (hit) set_field(e, "columns", parsed(a, json + "]"));
}

// drizzle-kit's ddl.rename: the row gets its new name and the rows that point at it follow
// (the pg DDL's edges): a table's columns, indexes, keys, uniques, checks and foreign keys (both
// ends); a column's place in index, key, unique and foreign key column lists. Constraint names
// stay as they are (Postgres keeps them); a renamed enum's columns follow it.
void apply_rename(arena& a, std::vector<entity>& state, entity& target, const std::string& to) {
  const std::string schema = target.text("schema"), from = target.text("name"), table = target.text("table");
  const dom::element new_name = parsed(a, json_text(to));
  if (target.type == "tables") {
    for (auto& e : state) {
      if (e.type != "tables" && e.text("schema") == schema && e.text("table") == from) set_field(e, "table", new_name);
      if (e.type == "fks" && e.text("schemaTo") == schema && e.text("tableTo") == from) set_field(e, "tableTo", new_name);
    }
  } else if (target.type == "columns") {
    for (auto& e : state) {
      if (e.type == "fks" && e.text("schemaTo") == schema && e.text("tableTo") == table)
        rename_in_list(a, e, "columnsTo", from, to);
      if (e.text("schema") != schema || e.text("table") != table) continue;
      if (e.type == "indexes") rename_index_column(a, e, from, to);
      if (e.type == "pks" || e.type == "uniques" || e.type == "fks") rename_in_list(a, e, "columns", from, to);
    }
  } else if (target.type == "enums") {
    for (auto& e : state)
      if (e.type == "columns" && e.text("typeSchema") == schema && e.text("type") == from) set_field(e, "type", new_name);
  }  // indexes, keys, uniques, checks, foreign keys: nothing points at them
  set_field(target, "name", new_name);
}

status apply_delta(arena& a, std::vector<entity>& state, dom::element d, std::string_view where) {
  std::string_view op, key;
  if (d["op"].get_string().get(op) != simdjson::SUCCESS) return bad(where, "a delta has no `op`");
  if (op == "create") {
    dom::element row_element;
    if (d["row"].get(row_element) != simdjson::SUCCESS) return bad(where, "a create delta has no `row`");
    auto row = entity_of(row_element, where);
    if (!row) return std::move(row).error();
    if (modelled(row->type)) state.push_back(std::move(*row));
    return {};
  }
  if (d["key"].get_string().get(key) != simdjson::SUCCESS) return bad(where, "a delta has no `key`");
  auto k = parse_key(key, where);
  if (!k) return k.error();
  if (!modelled(k->first)) {
    if (op == "rename" && k->first == "schemas")
      return fail(errc::unsupported, std::string(where) + ": schema renames in drizzle-kit 1.0 snapshots are not supported by edgefn");
    return {};
  }
  auto it = state.begin();
  while (it != state.end() && !(it->type == k->first && same_identity(*it, k->second))) ++it;
  if (it == state.end())
    return fail(errc::invalid_argument, std::string(where) + ": a delta names " + k->first + " that the history never created");
  if (op == "drop") {
    state.erase(it);
    return {};
  }
  if (op == "rename") {
    std::string_view to;
    if (d["set"]["name"].get_string().get(to) != simdjson::SUCCESS) return bad(where, "a rename delta has no `set.name`");
    apply_rename(a, state, *it, std::string(to));
    return {};
  }
  dom::object set;
  if (op != "alter" || d["set"].get_object().get(set) != simdjson::SUCCESS)
    return bad(where, "unknown delta op '" + std::string(op) + "'");
  for (auto [field, value] : set) {
    if (field == "name" || field == "table" || field == "schema")
      return fail(errc::unsupported, std::string(where) + ": an alter that changes a name, table or schema is not supported by edgefn yet");
    bool replaced = false;
    for (auto& [k2, v2] : it->fields)
      if (k2 == field) {
        v2 = value;
        replaced = true;
      }
    if (!replaced) it->fields.emplace_back(std::string(field), value);
  }
  return {};
}

result<std::vector<entity>> state_of(history& h, std::string_view id) {
  std::vector<const snap9*> diffs;
  const snap9* s = h.find(id);
  while (s && s->type == "diff") {
    if (diffs.size() > h.snaps.size())
      return fail(errc::invalid_argument, s->name + ": the snapshots' prevIds form a cycle");
    if (s->prev.size() != 1)
      return fail(errc::unsupported, s->name + ": merge snapshots (several prevIds) are not supported by edgefn yet");
    diffs.push_back(s);
    const std::string& parent = s->prev.front();
    s = h.find(parent);
    if (!s) return fail(errc::invalid_argument, diffs.back()->name + ": its parent snapshot " + parent + " is missing");
  }
  if (!s) return fail(errc::invalid_argument, "snapshot " + std::string(id) + " is missing");
  if (s->type != "base") return bad(s->name, "`type` is neither base nor diff");
  std::vector<entity> state;
  for (dom::element e : s->rows) {
    auto row = entity_of(e, s->name);
    if (!row) return std::move(row).error();
    if (modelled(row->type)) state.push_back(std::move(*row));
  }
  for (auto d = diffs.rbegin(); d != diffs.rend(); ++d)
    for (dom::element e : (*d)->rows)
      if (auto st = apply_delta(h.parsers, state, e, (*d)->name); !st) return st.error();
  return state;
}

// ---- entities -> the model a format 7 snapshot of the same schema parses to ----

std::string model_schema(const entity& e) {
  std::string s = e.text("schema");
  return s == "public" ? std::string() : s;
}

db::table_model* table_of(db::schema_model& m, const entity& e) {
  for (auto& t : m.tables)
    if (t.name == e.text("table") && t.schema == model_schema(e)) return &t;
  return nullptr;
}

bool looks_literal(std::string_view v) {
  if (v == "true" || v == "false") return true;
  if (v.empty()) return false;
  for (char c : v)
    if (!((c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+')) return false;
  return true;
}

db::column_model column_of(const entity& e) {
  db::column_model c;
  c.name = e.text("name");
  c.type = e.text("type");
  if (c.type.starts_with("numeric(")) {  // format 7 wrote "numeric(10, 2)"
    if (auto comma = c.type.find(','); comma != std::string::npos && c.type[comma + 1] != ' ') c.type.insert(comma + 1, " ");
  }
  std::int64_t dims = 0;
  if (auto d = e.field("dimensions"); d && d->get_int64().get(dims) != simdjson::SUCCESS) dims = 0;
  for (std::int64_t i = 0; i < dims; ++i) c.type += "[]";
  c.type_schema = e.text("typeSchema");
  c.not_null = e.flag("notNull");
  std::string_view def;
  if (auto d = e.field("default"); d && d->get_string().get(def) == simdjson::SUCCESS) {
    c.default_value = std::string(def);
    c.default_is_literal = looks_literal(def);
  }
  return c;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

db::index_model index_of(const entity& e) {
  db::index_model ix;
  ix.name = e.text("name");
  ix.is_unique = e.flag("isUnique");
  ix.concurrently = e.flag("concurrently");
  ix.method = e.text("method");
  ix.name_explicit = e.optional_flag("nameExplicit");
  dom::array cols;
  if (auto f = e.field("columns"); f && f->get_array().get(cols) == simdjson::SUCCESS)
    for (dom::element c : cols) {
      db::index_column_model ic;
      std::string_view v;
      if (c["value"].get_string().get(v) == simdjson::SUCCESS) ic.expression = std::string(v);
      bool b = false;
      ic.is_expression = c["isExpression"].get_bool().get(b) == simdjson::SUCCESS && b;
      ic.asc = !(c["asc"].get_bool().get(b) == simdjson::SUCCESS && !b);
      ic.nulls = c["nullsFirst"].get_bool().get(b) == simdjson::SUCCESS && b ? "first" : "last";
      ix.columns.push_back(std::move(ic));
    }
  return ix;
}

status add_to_table(db::schema_model& m, const entity& e) {
  db::table_model* t = table_of(m, e);
  if (!t) return fail(errc::invalid_argument, e.type + " " + e.text("name") + " belongs to no table " + e.text("table"));
  if (e.type == "columns") t->columns.push_back(column_of(e));
  else if (e.type == "indexes") t->indexes.push_back(index_of(e));
  else if (e.type == "uniques")
    t->unique_constraints.push_back(
        {e.text("name"), e.strings("columns"), e.flag("nullsNotDistinct"), e.optional_flag("nameExplicit")});
  else if (e.type == "checks") t->check_constraints.push_back({e.text("name"), e.text("value")});
  else if (e.type == "fks") {
    const std::string on_delete = e.text("onDelete"), on_update = e.text("onUpdate");
    t->foreign_keys.push_back({e.text("name"), e.text("table"), e.text("tableTo"), e.strings("columns"),
                               e.strings("columnsTo"), on_delete.empty() ? "no action" : lower(on_delete),
                               on_update.empty() ? "no action" : lower(on_update), e.optional_flag("nameExplicit")});
  }
  return {};
}

status add_primary_key(db::schema_model& m, const entity& e) {
  db::table_model* t = table_of(m, e);
  if (!t) return fail(errc::invalid_argument, "primary key " + e.text("name") + " belongs to no table");
  const auto cols = e.strings("columns");
  // A one-column key with Postgres' default name is format 7's column `primaryKey` (upToV8); so
  // is an implicit one whose default name is its table's old one (a rename keeps the name).
  const std::string name = e.text("name");
  if (cols.size() == 1 && (name == t->name + "_pkey" || (!e.flag("nameExplicit") && name.ends_with("_pkey")))) {
    for (auto& c : t->columns)
      if (c.name == cols.front()) c.primary_key = true;
    return {};
  }
  t->composite_primary_keys.push_back({e.text("name"), cols, false, e.optional_flag("nameExplicit")});
  return {};
}

result<db::schema_model> model_of_state(const std::vector<entity>& state) {
  db::schema_model m;
  for (const auto& e : state) {
    if (e.type == "tables") {
      db::table_model t;
      t.name = e.text("name");
      t.schema = model_schema(e);
      m.tables.push_back(std::move(t));
    }
    if (e.type == "enums") m.enums.push_back({e.text("name"), e.text("schema"), e.strings("values")});
  }
  for (const char* pass : {"columns", "rest", "pks"})
    for (const auto& e : state) {
      const bool in_pass = std::string_view(pass) == "rest" ? (e.type != "columns" && e.type != "pks")
                                                            : e.type == pass;
      if (!in_pass || e.type == "tables" || e.type == "enums") continue;
      auto st = e.type == "pks" ? add_primary_key(m, e) : add_to_table(m, e);
      if (!st) return st.error();
    }
  return m;
}

}  // namespace

bool is_format9(std::string_view text) {
  dom::parser p;
  dom::element doc;
  std::string_view v;
  return p.parse(text.data(), text.size()).get(doc) == simdjson::SUCCESS &&
         doc["version"].get_string().get(v) == simdjson::SUCCESS && v == "9";
}

result<db::schema_model> reconstruct_format9(std::span<const source_file> snapshots, std::string_view id) {
  history h;
  for (const auto& f : snapshots) {
    if (!is_format9(f.text)) continue;
    h.parsers.push_back(std::make_unique<dom::parser>());
    auto s = read_snap(*h.parsers.back(), f);
    if (!s) return std::move(s).error();
    h.snaps.push_back(std::move(*s));
  }
  auto state = state_of(h, id);
  if (!state) return std::move(state).error();
  return model_of_state(*state);
}

}  // namespace edgefn::migrate
