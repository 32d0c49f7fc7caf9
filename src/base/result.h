#pragma once
// A value-or-error type for a core built without exceptions (as simdjson_result and
// ada::result are). Callers check before they read: reading the wrong alternative is a
// programming error that aborts in every build, never undefined behaviour.

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

/// On a function that builds an error: never inlined into its caller, and compiled for size
/// even in a file compiled for speed (the wasm module's per-row files: cmake/wasm_size.cmake).
#if defined(__clang__)
#define EDGEFN_COLD [[gnu::cold, gnu::noinline]] __attribute__((minsize))
#else
#define EDGEFN_COLD [[gnu::cold, gnu::noinline]]
#endif

namespace edgefn {

/// Error categories shared by the core's units. Units with richer errors (the Neon client)
/// define their own error type and use `basic_result<T, their_error>`.
enum class errc : std::uint8_t {
  invalid_argument,  ///< input that is malformed or out of the accepted domain
  parse_error,       ///< text or JSON that could not be parsed
  wrong_type,        ///< a value read as a type it does not have
  null_value,        ///< a NULL read as a non-optional value
  out_of_range,      ///< a number or index that does not fit
  too_large,         ///< a size limit was exceeded
  unsupported,       ///< valid input the core does not handle
};

/// Stable lowercase name of `e` (for logs and JSON error bodies).
[[nodiscard]] constexpr std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::invalid_argument: return "invalid_argument";
    case errc::parse_error: return "parse_error";
    case errc::wrong_type: return "wrong_type";
    case errc::null_value: return "null_value";
    case errc::out_of_range: return "out_of_range";
    case errc::too_large: return "too_large";
    case errc::unsupported: return "unsupported";
  }
  return "unknown";
}

/// The core's general error: a category and a message for humans. Messages never contain
/// secrets (passwords, tokens): producers must not put them there.
struct error {
  errc code = errc::invalid_argument;
  std::string message;
};

namespace detail {
[[noreturn]] inline void bad_result_access() noexcept { std::abort(); }
}  // namespace detail

/// Holds either a T or an E. `[[nodiscard]]`: every fallible call must be checked.
template <class T, class E>
class [[nodiscard]] basic_result {
  static_assert(!std::is_same_v<T, E>, "value and error types must differ");

 public:
  basic_result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  basic_result(E err) : v_(std::in_place_index<1>, std::move(err)) {}      // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  /// The value. Precondition: has_value(); otherwise the process aborts.
  [[nodiscard]] T& value() & { return check_value(), *std::get_if<0>(&v_); }
  [[nodiscard]] const T& value() const& { return check_value(), *std::get_if<0>(&v_); }
  [[nodiscard]] T&& value() && { return check_value(), std::move(*std::get_if<0>(&v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error. Precondition: !has_value(); otherwise the process aborts.
  [[nodiscard]] const E& error() const& { return check_error(), *std::get_if<1>(&v_); }
  [[nodiscard]] E&& error() && { return check_error(), std::move(*std::get_if<1>(&v_)); }

  /// The value, or `fallback` when this holds an error.
  [[nodiscard]] T value_or(T fallback) const& { return has_value() ? value() : fallback; }

 private:
  void check_value() const noexcept {
    if (!has_value()) detail::bad_result_access();
  }
  void check_error() const noexcept {
    if (has_value()) detail::bad_result_access();
  }
  std::variant<T, E> v_;
};

/// Success-or-error for calls that produce no value.
template <class E>
class [[nodiscard]] basic_status {
 public:
  basic_status() = default;
  basic_status(E err) : err_(std::move(err)) {}  // NOLINT

  [[nodiscard]] bool ok() const noexcept { return !err_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  /// The error. Precondition: !ok(); otherwise the process aborts.
  [[nodiscard]] const E& error() const& {
    if (!err_) detail::bad_result_access();
    return *err_;
  }

 private:
  // optional: a successful status neither builds nor destroys an E (errors can be large).
  std::optional<E> err_;
};

template <class T>
using result = basic_result<T, error>;
using status = basic_status<error>;

/// Builds an `error` (spelled so call sites read `return fail(errc::..., "...")`).
[[nodiscard]] inline error fail(errc code, std::string message) {
  return error{code, std::move(message)};
}

}  // namespace edgefn
