#include "exchange/engine.h"

#include <algorithm>

namespace edgefn::exchange {

#if !EDGEFN_CORO_SYMMETRIC_TRANSFER
__attribute__((noinline)) void resume_handle(coro::coroutine_handle<> h) noexcept { h.resume(); }
#endif

// ---- context ----

coro::coroutine_handle<> context::deliver(std::size_t slot, action_result r, std::int64_t now_ms) {
  now_ms_ = now_ms;
  if (slot >= slots_.size() || slots_[slot].has_value()) return {};
  slots_[slot] = std::move(r);
  if (--outstanding_ != 0) return {};
  return std::exchange(waiting_, {});
}

void context::awaiter_base::await_suspend(coro::coroutine_handle<> h) {
  context& c = *ctx_;
  c.slots_.clear();
  c.slots_.resize(actions_.size());
  c.outstanding_ = actions_.size();
  c.waiting_ = h;
  c.wait_started_ms_ = c.now_ms_;
  c.waiting_on_sql_ = false;
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    if (std::holds_alternative<sql_call>(actions_[i])) {
      ++c.sql_actions_;
      c.waiting_on_sql_ = true;
    }
    c.outbox_.push_back({i, std::move(actions_[i])});
  }
  actions_.clear();
}

std::vector<action_result> context::awaiter_base::collect() {
  context& c = *ctx_;
  if (c.waiting_on_sql_) c.db_ms_ += std::max<std::int64_t>(0, c.now_ms_ - c.wait_started_ms_);
  std::vector<action_result> out;
  out.reserve(c.slots_.size());
  for (auto& s : c.slots_) {
    out.push_back(s ? std::move(*s) : action_result{});
    // The enum is ordered by cost: the costliest answer describes the exchange.
    c.cache_ = std::max(c.cache_, out.back().cache);
    if (out.back().target != db_target::none) ++c.answers_[target_index(out.back().target)];
  }
  c.slots_.clear();
  return out;
}

// ---- engine ----

namespace {

/// The entry of `v` (ascending `id`) with id `id`, or v.end().
template <class V>
auto find_id(V& v, std::uint32_t id) {
  auto it = std::lower_bound(v.begin(), v.end(), id, [](const auto& e, std::uint32_t k) { return e.id < k; });
  return it != v.end() && it->id == id ? it : v.end();
}

}  // namespace

exchange_id engine::start(request req, std::string request_id, std::int64_t now_ms) {
  const exchange_id id = next_exchange_++;
  auto ctx = std::make_unique<context>(id, std::move(req), std::move(request_id), now_ms);
  ctx->set_min_log_level(min_log_level_);
  context& ref = *ctx;
  exchanges_.push_back(slot{id, std::move(ctx), task<response>{}});
  exchanges_.back().body = handler_(ref);
  exchanges_.back().body.start();
  settle(id);
  return id;
}

void engine::settle(exchange_id id) {
  auto it = find_id(exchanges_, id);
  if (it == exchanges_.end()) return;
  for (auto& q : it->ctx->take_outbox()) {
    const action_id aid = next_action_++;
    if (q.slot != context::k_no_slot) routes_.push_back(route{aid, id, q.slot});
    outbox_.push(action{aid, id, std::move(q.body)});
  }
  if (!it->body.done()) return;
  done_.push(finished{id, it->body.take()});
  exchanges_.erase(it);
}

std::optional<action> engine::next_action() {
  return outbox_.take();
}

bool engine::complete(action_result r, std::int64_t now_ms) {
  auto rt = find_id(routes_, r.id);
  if (rt == routes_.end()) return false;
  const route where = *rt;
  routes_.erase(rt);
  auto it = find_id(exchanges_, where.exchange);
  if (it == exchanges_.end()) return false;
  auto resume = it->ctx->deliver(where.slot, std::move(r), now_ms);
  if (resume) resume.resume();
  settle(where.exchange);
  return true;
}

std::optional<engine::finished> engine::next_response() {
  return done_.take();
}

void engine::cancel(exchange_id id) {
  if (auto it = find_id(exchanges_, id); it != exchanges_.end()) exchanges_.erase(it);
  std::erase_if(routes_, [id](const route& r) { return r.exchange == id; });
  outbox_.drop_if([id](const action& a) { return a.exchange == id; });
}

// ---- names ----

std::string_view to_string(action_kind k) noexcept {
  switch (k) {
    case action_kind::sql: return "sql";
    case action_kind::verify_signature: return "verify_signature";
    case action_kind::fetch_jwks: return "fetch_jwks";
    case action_kind::delete_object: return "delete_object";
    case action_kind::log: return "log";
  }
  return "unknown";
}

std::string_view to_string(outcome o) noexcept {
  switch (o) {
    case outcome::ok: return "ok";
    case outcome::failed_dns: return "dns";
    case outcome::failed_connect: return "connect";
    case outcome::failed_tls: return "tls";
    case outcome::failed_timeout: return "timeout";
    case outcome::failed: return "failed";
  }
  return "failed";
}

std::string_view to_string(pool p) noexcept { return p == pool::cached ? "cached" : "direct"; }

std::string_view to_string(cache_status c) noexcept {
  switch (c) {
    case cache_status::none: return "";
    case cache_status::bypass: return "bypass";
    case cache_status::hit: return "hit";
    case cache_status::stale: return "stale";
    case cache_status::miss: return "miss";
  }
  return "";
}

std::string_view to_string(db_target t) noexcept {
  switch (t) {
    case db_target::none: return "";
    case db_target::primary: return "primary";
    case db_target::replica: return "replica";
  }
  return "";
}

}  // namespace edgefn::exchange
