#pragma once
// Portability for C++20 coroutines: gcc 12 and clang 16 ship <coroutine>; Emscripten 3.1.6's
// libc++ (clang 14) has only <experimental/coroutine>. Core code names coroutine types through
// edgefn::coro only.

#if __has_include(<coroutine>) && !defined(EDGEFN_EXPERIMENTAL_COROUTINES)
#include <coroutine>
namespace edgefn::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace edgefn::coro
#else
#include <experimental/coroutine>
// clang 14 warns that std::experimental coroutines go away in LLVM 15: that is why this header
// exists. The pragma stays in effect for the rest of the translation unit (where coroutines are).
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wdeprecated-experimental-coroutine"
#endif
namespace edgefn::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace edgefn::coro
#endif

/// Symmetric transfer (await_suspend returning a coroutine_handle) compiles to a tail call;
/// clang 14 targeting wasm needs the 'tail-call' feature for it, which we do not enable. There,
/// task<T> resumes directly instead (the stack then grows with the nesting depth of awaited
/// tasks that finish without suspending; handlers nest a few levels only).
#if defined(__wasm__) && defined(__clang_major__) && __clang_major__ < 15
#define EDGEFN_CORO_SYMMETRIC_TRANSFER 0
#else
#define EDGEFN_CORO_SYMMETRIC_TRANSFER 1
#endif
