#pragma once
// task<T>: a lazily started, single-awaiter stackless coroutine returning T. Handlers are
// written as task-returning coroutines and compose with `co_await other_task(...)` (symmetric
// transfer: no stack growth across nested awaits). No exceptions: an exception escaping a
// coroutine body aborts (promise_type::unhandled_exception).
//
// Lifetimes: a coroutine's parameters are copied into its frame, but references and views are
// copied as references/views. Take parameters by value, or by reference only to objects that
// outlive the whole exchange (the exchange::context). Never hold a view into an action result
// across a later co_await.

#include <cstdlib>
#include <optional>
#include <utility>

#include "base/coro.h"

namespace edgefn::exchange {

#if !EDGEFN_CORO_SYMMETRIC_TRANSFER
/// Resumes `h`. Out of line on purpose: clang 14's coroutine splitting turns a resume call
/// right before a suspend point into a musttail call, which wasm32 without the tail-call
/// feature cannot compile; a call to an opaque function is left alone.
void resume_handle(coro::coroutine_handle<> h) noexcept;
#endif

template <class T>
class [[nodiscard]] task {
 public:
  struct promise_type;
  using handle_type = coro::coroutine_handle<promise_type>;

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
#if EDGEFN_CORO_SYMMETRIC_TRANSFER
    coro::coroutine_handle<> await_suspend(handle_type h) noexcept {
      auto next = h.promise().continuation;
      if (next) return next;
      return coro::noop_coroutine();
    }
#else
    // Resumes the awaiter directly; this frame is not touched after the call (the awaiter may
    // destroy it).
    void await_suspend(handle_type h) noexcept {
      auto next = h.promise().continuation;
      if (next) resume_handle(next);
    }
#endif
    void await_resume() const noexcept {}
  };

  struct promise_type {
    std::optional<T> value;
    coro::coroutine_handle<> continuation;

    task get_return_object() noexcept { return task(handle_type::from_promise(*this)); }
    coro::suspend_always initial_suspend() const noexcept { return {}; }
    final_awaiter final_suspend() const noexcept { return {}; }
    template <class U>
    void return_value(U&& v) {
      value.emplace(std::forward<U>(v));
    }
    [[noreturn]] void unhandled_exception() const noexcept { std::abort(); }
  };

  task() = default;
  task(task&& other) noexcept : h_(std::exchange(other.h_, {})) {}
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      destroy();
      h_ = std::exchange(other.h_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() { destroy(); }

  /// Awaiting a task starts it and resumes the awaiter when it returns.
  auto operator co_await() && noexcept {
    struct awaiter {
      handle_type h;
      bool await_ready() const noexcept { return !h || h.done(); }
#if EDGEFN_CORO_SYMMETRIC_TRANSFER
      coro::coroutine_handle<> await_suspend(coro::coroutine_handle<> caller) noexcept {
        h.promise().continuation = caller;
        return h;
      }
#else
      void await_suspend(coro::coroutine_handle<> caller) noexcept {
        h.promise().continuation = caller;
        resume_handle(h);
      }
#endif
      T await_resume() {
        if (!h.promise().value) std::abort();
        return std::move(*h.promise().value);
      }
    };
    return awaiter{h_};
  }

  // ---- driving a root task (the engine does this; handlers use co_await) ----
  /// Runs the task until its first suspension (or its end).
  void start() {
    if (h_ && !h_.done()) h_.resume();
  }
  [[nodiscard]] bool done() const noexcept { return !h_ || h_.done(); }
  /// The returned value. Precondition: done() and the body returned a value.
  [[nodiscard]] T take() {
    if (!h_ || !h_.done() || !h_.promise().value) std::abort();
    return std::move(*h_.promise().value);
  }

 private:
  explicit task(handle_type h) noexcept : h_(h) {}
  void destroy() noexcept {
    if (h_) h_.destroy();
    h_ = {};
  }
  handle_type h_{};
};

}  // namespace edgefn::exchange
