# simdjson: one pinned version (npm @nozbe/simdjson, see package.json / package-lock.json) for
# every target. The amalgamated sources are compiled here; nothing is copied into the repo.
set(EDGEFN_SIMDJSON_DIR "${PROJECT_SOURCE_DIR}/node_modules/@nozbe/simdjson/src"
    CACHE PATH "Directory holding simdjson.h and simdjson.cpp (amalgamated)")
if(NOT EXISTS "${EDGEFN_SIMDJSON_DIR}/simdjson.cpp")
  message(FATAL_ERROR "simdjson sources not found in ${EDGEFN_SIMDJSON_DIR}; run `npm ci` "
                      "(or `make deps`) first")
endif()

add_library(edgefn_simdjson STATIC "${EDGEFN_SIMDJSON_DIR}/simdjson.cpp")
target_include_directories(edgefn_simdjson SYSTEM PUBLIC "${EDGEFN_SIMDJSON_DIR}")
# The core is built without exceptions everywhere, so simdjson's error-code API is the only one.
target_compile_definitions(edgefn_simdjson PUBLIC SIMDJSON_EXCEPTIONS=0)
target_compile_options(edgefn_simdjson PRIVATE -fno-exceptions -fno-rtti)
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  # simdjson is unusably slow at -O0; it is third-party and not what we debug.
  target_compile_options(edgefn_simdjson PRIVATE -O2)
endif()
if(EDGEFN_WASM_LTO)
  # One program (cmake/wasm_size.cmake): every user of simdjson is compiled and linked alike.
  target_compile_options(edgefn_simdjson PUBLIC ${EDGEFN_WASM_LTO_OPTIONS}
    -include "${CMAKE_CURRENT_LIST_DIR}/simdjson_hidden.h")
  target_link_options(edgefn_simdjson PUBLIC ${EDGEFN_WASM_LTO_OPTIONS})
endif()
if(EDGEFN_WASM_SIZE_OPTIONS)
  # Its users are optimized for size, whatever their folder's flags (cmake/wasm_size.cmake).
  target_compile_options(edgefn_simdjson INTERFACE ${EDGEFN_WASM_SIZE_OPTIONS})
  target_link_options(edgefn_simdjson INTERFACE ${EDGEFN_WASM_SIZE_OPTIONS})
endif()
if(EDGEFN_WASM_HOT_OPTIONS)
  # Its parser runs over every byte of a /sql response (see cmake/wasm_size.cmake).
  target_compile_options(edgefn_simdjson PRIVATE ${EDGEFN_WASM_HOT_OPTIONS})
endif()
set_target_properties(edgefn_simdjson PROPERTIES POSITION_INDEPENDENT_CODE ON)
