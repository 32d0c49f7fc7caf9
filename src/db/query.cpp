#include "db/query.h"

#include "base/json_writer.h"

namespace edgefn::db {

// ---- expressions ----

void fragment::append(const fragment& other) {
  text += other.text;
  params.insert(params.end(), other.params.begin(), other.params.end());
}

void fragment::append_value(neon::param p) {
  text += slot;
  params.push_back(std::move(p));
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out += '"';
}

std::string qualified(const column_info& c) {
  return quote_ident(c.table) + "." + quote_ident(c.name);
}

namespace detail {

condition compare(const column_info& c, std::string_view op, neon::param value) {
  condition out;
  out.text = qualified(c);
  out.text += ' ';
  out.text += op;
  out.text += ' ';
  out.append_value(std::move(value));
  return out;
}

condition compare_columns(const column_info& a, std::string_view op, const column_info& b) {
  condition out;
  out.text = qualified(a) + " " + std::string(op) + " " + qualified(b);
  return out;
}

condition in_list(const column_info& c, bool negate, std::vector<neon::param> values) {
  condition out;
  if (values.empty()) {
    out.text = negate ? "true" : "false";
    return out;
  }
  out.text = qualified(c) + (negate ? " not in (" : " in (");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out.text += ", ";
    out.append_value(std::move(values[i]));
  }
  out.text += ')';
  return out;
}

condition join(std::string_view op, std::initializer_list<const condition*> parts) {
  if (parts.size() == 1) return **parts.begin();
  condition out;
  out.text = "(";
  bool first = true;
  for (const condition* p : parts) {
    if (!first) out.text += op;
    first = false;
    out.append(*p);
  }
  out.text += ')';
  return out;
}

}  // namespace detail

condition is_null_of(const column_info& c, bool negate) {
  condition out;
  out.text = qualified(c) + (negate ? " is not null" : " is null");
  return out;
}

condition not_(const condition& c) {
  condition out;
  out.text = "not ";
  out.append(c);
  return out;
}

select_item count() { return {"count(*)", {}}; }

select_item aggregate(std::string_view fn, const column_info& c) {
  return {std::string(fn) + "(" + qualified(c) + ")", c.table};
}

// ---- statements ----

neon::query finish(fragment f) {
  neon::query q;
  q.text.reserve(f.text.size() + 2 * f.params.size());
  std::int64_t n = 0;
  for (char c : f.text) {
    if (c == fragment::slot) {
      q.text += '$';
      json::append_int(q.text, ++n);
    } else {
      q.text += c;
    }
  }
  q.params = std::move(f.params);
  return q;
}

namespace {

/// The finished statement of `f` that reads `reads` and writes `writes`.
statement finish_statement(fragment f, std::vector<std::string_view> reads,
                           std::vector<std::string_view> writes) {
  statement st;
  static_cast<neon::query&>(st) = finish(std::move(f));
  st.cacheable = writes.empty();
  st.reads = std::move(reads);
  st.writes = std::move(writes);
  return st;
}

void append_items(fragment& f, const std::vector<select_item>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) f.text += ", ";
    f.text += items[i].sql;
  }
}

void append_where(fragment& f, const std::optional<condition>& where) {
  if (!where) return;
  f.text += " where ";
  f.append(*where);
}

void append_returning(fragment& f, const std::vector<select_item>& items) {
  if (items.empty()) return;
  f.text += " returning ";
  append_items(f, items);
}

}  // namespace

select_query::select_query(std::string_view table, std::vector<select_item> items)
    : table_(table), items_(std::move(items)) {}

select_query& select_query::where(condition c) {
  where_ = std::move(c);
  return *this;
}
void select_query::add_order(const order_term& o) { order_.push_back(o); }
select_query& select_query::limit(std::int64_t n) { limit_ = neon::param(n); return *this; }
select_query& select_query::limit(placeholder<std::int64_t>) { limit_ = neon::param(); return *this; }
select_query& select_query::offset(std::int64_t n) { offset_ = neon::param(n); return *this; }
select_query& select_query::offset(placeholder<std::int64_t>) { offset_ = neon::param(); return *this; }

select_query& select_query::add_join(std::string_view kind, std::string_view table, condition on) {
  joins_.text += ' ';
  joins_.text += kind;
  joins_.text += ' ' + quote_ident(table) + " on ";
  joins_.append(on);
  joined_.push_back(table);
  return *this;
}

statement select_query::build() const {
  fragment f;
  f.text = "select ";
  append_items(f, items_);
  f.text += " from " + quote_ident(table_);
  f.append(joins_);
  append_where(f, where_);
  if (!order_.empty()) {
    f.text += " order by ";
    for (std::size_t i = 0; i < order_.size(); ++i) {
      if (i) f.text += ", ";
      f.append(order_[i]);
    }
  }
  if (limit_) { f.text += " limit "; f.append_value(*limit_); }
  if (offset_) { f.text += " offset "; f.append_value(*offset_); }
  std::vector<std::string_view> reads{table_};
  reads.insert(reads.end(), joined_.begin(), joined_.end());
  return finish_statement(std::move(f), std::move(reads), {});
}

insert_query::insert_query(std::string_view table, std::vector<std::string> columns,
                           std::vector<std::vector<std::optional<neon::param>>> rows)
    : table_(table), columns_(std::move(columns)), rows_(std::move(rows)) {}

insert_query& insert_query::on_conflict_do_nothing(std::optional<conflict_target> target) {
  conflict_ = {};
  conflict_.text = " on conflict ";
  if (target) {
    conflict_.text += '(';
    for (std::size_t i = 0; i < target->columns.size(); ++i)
      conflict_.text += (i ? ", " : "") + target->columns[i];
    conflict_.text += ") ";
  }
  conflict_.text += "do nothing";
  return *this;
}

insert_query& insert_query::on_conflict_do_update(conflict_target target, std::vector<assignment> set,
                                                  std::optional<condition> where) {
  conflict_ = {};
  conflict_.text = " on conflict (";
  for (std::size_t i = 0; i < target.columns.size(); ++i)
    conflict_.text += (i ? ", " : "") + target.columns[i];
  conflict_.text += ") do update set ";
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (i) conflict_.text += ", ";
    conflict_.append(set[i]);
  }
  if (where) {
    conflict_.text += " where ";
    conflict_.append(*where);
  }
  return *this;
}

insert_query& insert_query::returning(std::vector<select_item> items) {
  returning_ = std::move(items);
  return *this;
}

result<statement> insert_query::build() const {
  if (rows_.empty()) return fail(errc::invalid_argument, "insert: no rows to insert");
  fragment f;
  f.text = "insert into " + quote_ident(table_) + " (";
  for (std::size_t i = 0; i < columns_.size(); ++i) f.text += (i ? ", " : "") + columns_[i];
  f.text += ") values ";
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    f.text += r ? ", (" : "(";
    for (std::size_t i = 0; i < rows_[r].size(); ++i) {
      if (i) f.text += ", ";
      if (rows_[r][i]) f.append_value(*rows_[r][i]);
      else f.text += "default";
    }
    f.text += ')';
  }
  f.append(conflict_);
  append_returning(f, returning_);
  return finish_statement(std::move(f), {table_}, {table_});
}

update_query::update_query(std::string_view table, std::vector<assignment> set)
    : table_(table), set_(std::move(set)) {}

update_query& update_query::where(condition c) {
  where_ = std::move(c);
  return *this;
}

update_query& update_query::returning(std::vector<select_item> items) {
  returning_ = std::move(items);
  return *this;
}

result<statement> update_query::build() const {
  if (set_.empty()) return fail(errc::invalid_argument, "update: no values to set");
  fragment f;
  f.text = "update " + quote_ident(table_) + " set ";
  for (std::size_t i = 0; i < set_.size(); ++i) {
    if (i) f.text += ", ";
    f.append(set_[i]);
  }
  append_where(f, where_);
  append_returning(f, returning_);
  return finish_statement(std::move(f), {table_}, {table_});
}

delete_query::delete_query(std::string_view table) : table_(table) {}

delete_query& delete_query::where(condition c) {
  where_ = std::move(c);
  return *this;
}

delete_query& delete_query::returning(std::vector<select_item> items) {
  returning_ = std::move(items);
  return *this;
}

statement delete_query::build() const {
  fragment f;
  f.text = "delete from " + quote_ident(table_);
  append_where(f, where_);
  append_returning(f, returning_);
  return finish_statement(std::move(f), {table_}, {table_});
}

}  // namespace edgefn::db
