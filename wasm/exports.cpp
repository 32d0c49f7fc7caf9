// The wasm ABI: the only extern "C" file. Only integers and (pointer, length) pairs cross it.
// Later issues add the exchange calls (feed a request, drain actions, feed results).

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#define EDGEFN_EXPORT(name) __attribute__((export_name(#name), visibility("default")))

extern "C" {

/// Allocates `size` bytes in the module's memory for the host to write into; 0 on failure.
EDGEFN_EXPORT(edgefn_alloc) std::uint8_t* edgefn_alloc(std::size_t size) {
  return static_cast<std::uint8_t*>(std::malloc(size == 0 ? 1 : size));
}

/// Frees memory from edgefn_alloc (or returned by the module); null is ignored.
EDGEFN_EXPORT(edgefn_free) void edgefn_free(std::uint8_t* ptr) { std::free(ptr); }

/// ABI version: bumped whenever an export changes meaning.
EDGEFN_EXPORT(edgefn_abi_version) std::uint32_t edgefn_abi_version() { return 1; }

}  // extern "C"

#if defined(_LIBCPP_VERSION) && _LIBCPP_VERSION >= 160000
// libc++ reports a failed precondition (e.g. std::string growing past max_size() with
// exceptions off) by printing to stderr and aborting. A Worker has no stderr: trap at once,
// which the shim turns into a rebuilt instance. This keeps fd_write & co. out of the imports.
_LIBCPP_BEGIN_NAMESPACE_STD
[[noreturn]] void __libcpp_verbose_abort(char const*, ...) { __builtin_trap(); }
_LIBCPP_END_NAMESPACE_STD
#endif
