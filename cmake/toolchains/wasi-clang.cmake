# wasm32-wasi with clang + wasi-libc + libc++ (a wasi-sdk equivalent).
# Default: Debian bookworm's clang-16, lld-16, wasi-libc, libc++-16-dev-wasm32,
# libclang-rt-16-dev-wasm32. Given WASI_SDK_PREFIX (env or cache), a real wasi-sdk is used.
set(CMAKE_SYSTEM_NAME WASI)
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}/../platform")
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(triple wasm32-wasi)

if(NOT WASI_SDK_PREFIX AND DEFINED ENV{WASI_SDK_PREFIX})
  set(WASI_SDK_PREFIX "$ENV{WASI_SDK_PREFIX}")
endif()

if(WASI_SDK_PREFIX)
  set(CMAKE_C_COMPILER "${WASI_SDK_PREFIX}/bin/clang")
  set(CMAKE_CXX_COMPILER "${WASI_SDK_PREFIX}/bin/clang++")
  set(CMAKE_AR "${WASI_SDK_PREFIX}/bin/llvm-ar")
  set(CMAKE_RANLIB "${WASI_SDK_PREFIX}/bin/llvm-ranlib")
  set(CMAKE_SYSROOT "${WASI_SDK_PREFIX}/share/wasi-sysroot")
else()
  find_program(CMAKE_C_COMPILER NAMES clang-16 REQUIRED)
  find_program(CMAKE_CXX_COMPILER NAMES clang++-16 REQUIRED)
  find_program(CMAKE_AR NAMES llvm-ar-16 REQUIRED)
  find_program(CMAKE_RANLIB NAMES llvm-ranlib-16 REQUIRED)
  # Debian installs wasi-libc headers in /usr/include/wasm32-wasi and libraries in
  # /usr/lib/wasm32-wasi, i.e. a multiarch layout under sysroot /usr.
  set(CMAKE_SYSROOT /usr)
  set(CMAKE_CXX_FLAGS_INIT "-isystem /usr/include/wasm32-wasi/c++/v1")
endif()

# WebAssembly features every engine edgefn targets has had since 2019-2020 (V8 7.5+: workerd,
# node >= 14): bulk memory (memcpy/memset as memory.copy/memory.fill: wasm/bulk_memory.cpp),
# non-trapping float-to-int conversions and sign extension (shorter code than the MVP's
# sequences).
set(EDGEFN_WASM_FEATURES "-mbulk-memory -mnontrapping-fptoint -msign-ext")
string(APPEND CMAKE_C_FLAGS_INIT " ${EDGEFN_WASM_FEATURES}")
string(APPEND CMAKE_CXX_FLAGS_INIT " ${EDGEFN_WASM_FEATURES}")
# A module is a reactor: its instance is dropped, never exited, so static destructors never run;
# without their registration (__cxa_atexit per static object) the module is smaller (-0.2 KB gzip).
string(APPEND CMAKE_CXX_FLAGS_INIT " -fno-c++-static-destructors")

set(CMAKE_C_COMPILER_TARGET ${triple})
set(CMAKE_CXX_COMPILER_TARGET ${triple})
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld ${EDGEFN_WASM_FEATURES}")
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
