// memcpy, memmove and memset as WebAssembly's bulk-memory instructions (memory.copy,
// memory.fill), replacing wasi-libc's loops for the code that still calls them: Debian's prebuilt
// wasi-libc and libc++ (the module's own code already gets the instructions inline, from
// -mbulk-memory in cmake/toolchains/wasi-clang.cmake). Smaller module (-2.4 KB raw, -1.1 KB
// gzip for the wardrobe), and V8 runs memory.copy/fill natively. Not built for Emscripten (its
// libc has its own).
//
// Compiled without LTO (wasm/CMakeLists.txt): a libc function defined in LTO bitcode could be
// internalized while codegen still refers to the symbol.
#include <cstddef>

#if !defined(__wasm_bulk_memory__)
// Without the feature each builtin below would lower to a call to the function it is in.
#error "wasm/bulk_memory.cpp needs -mbulk-memory"
#endif

extern "C" {

void* memcpy(void* __restrict dst, const void* __restrict src, std::size_t n) {
  __builtin_memcpy(dst, src, n);
  return dst;
}

void* memmove(void* dst, const void* src, std::size_t n) {
  __builtin_memmove(dst, src, n);
  return dst;
}

void* memset(void* dst, int byte, std::size_t n) {
  __builtin_memset(dst, byte, n);
  return dst;
}

}  // extern "C"
