#pragma once
// The exchange engine: many exchanges in flight, driven by a host (sans-I/O, like ngtcp2).
//
//   engine e(handler);                            // handler: context& -> task<response>
//   auto id = e.start(std::move(req), "req-1", now_ms);
//   for (;;) {
//     while (auto a = e.next_action()) perform_async(*a);   // concurrently if several
//     ... when an action finishes: e.complete(std::move(result), now_ms);
//     while (auto r = e.next_response()) send(r->exchange, r->resp);
//   }
//
// Every call maps to a C ABI of integers and (pointer, length) pairs: start takes an encoded
// request, next_action/next_response return encoded bytes, complete takes an encoded result
// (exchange/codec.h). Single-threaded: one engine per thread (or per wasm instance). Actions of
// kind `log` need no result; every other action needs exactly one complete() call.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exchange/action.h"
#include "exchange/context.h"
#include "exchange/task.h"

namespace edgefn::exchange {

/// Produces the coroutine that serves one exchange. Called once per start(); it must not keep
/// mutable state shared between exchanges.
using handler = std::function<task<response>(context&)>;

/// A first-in first-out queue on one vector (std::deque's block map was kilobytes of the wasm
/// module). Taken entries stay, moved-from, until the queue is empty, which a host's loop
/// (take actions and responses until there are none) reaches after every call.
template <class T>
class fifo {
 public:
  void push(T v) { items_.push_back(std::move(v)); }
  /// The oldest entry, or std::nullopt when none is left.
  std::optional<T> take() {
    if (head_ == items_.size()) return std::nullopt;
    std::optional<T> v(std::move(items_[head_++]));
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    }
    return v;
  }
  /// Drops the entries `drop` holds true for, keeping the others in order.
  template <class P>
  void drop_if(P drop) {
    std::vector<T> kept;
    for (std::size_t i = head_; i < items_.size(); ++i)
      if (!drop(items_[i])) kept.push_back(std::move(items_[i]));
    items_ = std::move(kept);
    head_ = 0;
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

class engine {
 public:
  explicit engine(handler h) : handler_(std::move(h)) {}
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Starts an exchange for `req` at host time `now_ms`; `request_id` is the host-chosen id
  /// (randomness is an input). Runs the handler until it first waits.
  exchange_id start(request req, std::string request_id, std::int64_t now_ms);

  /// The next action to perform, in issue order; std::nullopt when none is pending.
  [[nodiscard]] std::optional<action> next_action();

  /// Feeds the result of action `r.id` and resumes its exchange when it was the last awaited.
  /// Returns false (and ignores it) for an unknown id: never issued, already completed, a log
  /// action, or an exchange that was cancelled.
  bool complete(action_result r, std::int64_t now_ms);

  struct finished {
    exchange_id exchange = 0;
    response resp;
  };
  /// The next finished exchange; std::nullopt when none.
  [[nodiscard]] std::optional<finished> next_response();

  /// Drops an exchange (e.g. its client went away); results for its actions are then ignored.
  void cancel(exchange_id id);

  /// The least severe level the host writes (default debug: every line). Exchanges started
  /// afterwards see it through context::logs() and skip building lines below it.
  void set_log_level(log_level level) noexcept { min_log_level_ = level; }

  /// Exchanges started and not yet finished or cancelled.
  [[nodiscard]] std::size_t active() const noexcept { return exchanges_.size(); }
  /// Actions issued and waiting for a result.
  [[nodiscard]] std::size_t awaiting() const noexcept { return routes_.size(); }

 private:
  struct slot {
    exchange_id id;
    std::unique_ptr<context> ctx;
    task<response> body;
  };
  struct route {
    action_id id;
    exchange_id exchange;
    std::size_t slot;
  };
  void settle(exchange_id id);

  handler handler_;
  log_level min_log_level_ = log_level::debug;
  exchange_id next_exchange_ = 1;
  action_id next_action_ = 1;
  // Vectors in id order (ids only grow, so appending keeps them sorted), not std::map: a few
  // entries per isolate, and the red-black tree's code was kilobytes of the wasm module.
  std::vector<slot> exchanges_;
  std::vector<route> routes_;
  fifo<action> outbox_;
  fifo<finished> done_;
};

}  // namespace edgefn::exchange
