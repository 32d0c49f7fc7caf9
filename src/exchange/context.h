#pragma once
// The per-exchange state a handler sees: the request, the time, the request id, and the
// awaitables that turn into actions. One context per exchange; nothing in it is shared with
// other exchanges. The engine owns it and keeps it at a fixed address until the exchange ends,
// so coroutines of the exchange may hold `context&` across co_await (and nothing else borrowed).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/coro.h"
#include "exchange/action.h"

namespace edgefn::exchange {

/// Log levels, least severe first (the hosts' LOG_LEVEL; the wasm ABI's ranks).
enum class log_level : std::uint8_t { debug, info, warn, error, off };

class context {
 public:
  context(exchange_id id, request req, std::string request_id, std::int64_t now_ms)
      : id_(id), req_(std::move(req)), request_id_(std::move(request_id)), started_ms_(now_ms),
        now_ms_(now_ms) {}
  context(const context&) = delete;
  context& operator=(const context&) = delete;

  [[nodiscard]] exchange_id id() const noexcept { return id_; }
  [[nodiscard]] const request& req() const noexcept { return req_; }
  [[nodiscard]] const std::string& request_id() const noexcept { return request_id_; }
  /// Host time (ms since the Unix epoch) when the exchange started.
  [[nodiscard]] std::int64_t started_ms() const noexcept { return started_ms_; }
  /// The latest host time the engine was given (start or the last result).
  [[nodiscard]] std::int64_t now_ms() const noexcept { return now_ms_; }
  /// SQL actions issued so far (each is one Neon round trip unless the cache answers).
  [[nodiscard]] int sql_actions() const noexcept { return sql_actions_; }
  /// Host time spent waiting on SQL actions (concurrent ones counted once), from the host
  /// times given at issue and at completion.
  [[nodiscard]] std::int64_t db_ms() const noexcept { return db_ms_; }
  /// How the `cached` pool answered this exchange's SQL: the costliest status its hosts
  /// reported (miss > stale > hit > bypass); none when no SQL action reported one.
  [[nodiscard]] cache_status cache() const noexcept { return cache_; }
  /// The databases that answered this exchange's SQL, as its hosts reported them: a bit set
  /// of db_target (0 when none was reported or every answer came from a cache), less the
  /// answers the core discarded.
  [[nodiscard]] std::uint8_t db_targets() const noexcept {
    return static_cast<std::uint8_t>((answers_[0] > 0 ? 1 : 0) | (answers_[1] > 0 ? 2 : 0));
  }
  /// Forgets one answer from `t` that the core discarded (a replica behind a bookmark), so
  /// db_targets() names only the databases whose answers were used.
  void discard_answer(db_target t) noexcept {
    if (t != db_target::none && answers_[target_index(t)] > 0) --answers_[target_index(t)];
  }
  /// Until when (host ms, exclusive) what the exchange decided from the time still holds for
  /// its request (e.g. a token's expiry); the earliest limit wins. The framework copies it to
  /// response::reuse_until_ms.
  void limit_reuse(std::int64_t until_ms) noexcept { reuse_until_ms_ = std::min(reuse_until_ms_, until_ms); }
  [[nodiscard]] std::int64_t reuse_until_ms() const noexcept { return reuse_until_ms_; }

  class awaiter_base;
  class one_awaiter;
  class all_awaiter;
  /// co_await perform(a) -> action_result: issues one action and resumes with its result.
  [[nodiscard]] one_awaiter perform(action_body a);
  /// co_await perform_all({a, b, ...}) -> std::vector<action_result> (same order): issues every
  /// action at once (the host may run them concurrently) and resumes when all have results.
  [[nodiscard]] all_awaiter perform_all(std::vector<action_body> actions);
  /// Queues a log line (no result, no suspension).
  void log(std::string line) { outbox_.push_back({k_no_slot, log_line{std::move(line)}}); }
  /// Whether lines of `level` are wanted by the host (engine::set_log_level): a line nobody
  /// reads need not be built.
  [[nodiscard]] bool logs(log_level level) const noexcept { return level >= min_log_level_ && level != log_level::off; }
  void set_min_log_level(log_level level) noexcept { min_log_level_ = level; }

  // ---- engine side ----
  static constexpr std::size_t k_no_slot = static_cast<std::size_t>(-1);
  struct queued {
    std::size_t slot;
    action_body body;
  };
  [[nodiscard]] std::vector<queued> take_outbox() { return std::exchange(outbox_, {}); }
  /// Stores a result; returns the coroutine to resume when it was the last one awaited.
  [[nodiscard]] coro::coroutine_handle<> deliver(std::size_t slot, action_result r,
                                                 std::int64_t now_ms);
  void set_now(std::int64_t now_ms) noexcept { now_ms_ = now_ms; }

 private:
  exchange_id id_;
  request req_;
  std::string request_id_;
  std::int64_t started_ms_;
  std::int64_t now_ms_;
  int sql_actions_ = 0;
  std::int64_t db_ms_ = 0;
  std::int64_t wait_started_ms_ = 0;
  bool waiting_on_sql_ = false;
  cache_status cache_ = cache_status::none;
  log_level min_log_level_ = log_level::debug;
  /// Answers counted per database (primary, replica).
  int answers_[2] = {0, 0};
  std::int64_t reuse_until_ms_ = INT64_MAX;
  static constexpr std::size_t target_index(db_target t) noexcept { return t == db_target::replica ? 1 : 0; }
  std::vector<queued> outbox_;
  std::vector<std::optional<action_result>> slots_;
  std::size_t outstanding_ = 0;
  coro::coroutine_handle<> waiting_{};
};

class context::awaiter_base {
 public:
  awaiter_base(context& ctx, std::vector<action_body> actions)
      : ctx_(&ctx), actions_(std::move(actions)) {}
  [[nodiscard]] bool await_ready() const noexcept { return actions_.empty(); }
  void await_suspend(coro::coroutine_handle<> h);

 protected:
  /// The results, in issue order (every slot was filled before the resume).
  [[nodiscard]] std::vector<action_result> collect();
  context* ctx_;
  std::vector<action_body> actions_;
};

class context::one_awaiter : public awaiter_base {
 public:
  using awaiter_base::awaiter_base;
  action_result await_resume() {
    auto all = collect();
    return all.empty() ? action_result{} : std::move(all.front());
  }
};

class context::all_awaiter : public awaiter_base {
 public:
  using awaiter_base::awaiter_base;
  std::vector<action_result> await_resume() { return collect(); }
};

inline context::one_awaiter context::perform(action_body a) {
  std::vector<action_body> v;
  v.push_back(std::move(a));
  return one_awaiter(*this, std::move(v));
}

inline context::all_awaiter context::perform_all(std::vector<action_body> actions) {
  return all_awaiter(*this, std::move(actions));
}

}  // namespace edgefn::exchange
