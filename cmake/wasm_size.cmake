# The size of the wasm32-wasi modules: the Worker's module is shipped (issue 9: the deployed
# bundle's gzip size), so it is linked as one program and optimized for size but for the code a
# request runs per row. `scripts/wasm-size.sh` prints where its bytes are;
# tests/bench/wasm_bench.mjs measures the module's CPU per request (two builds side by side).
#
# Link-time optimization lets the linker see the whole module: code no export reaches goes, and
# with -fvirtual-function-elimination so do virtual functions nothing calls (simdjson's DOM
# stage 2 is reachable only through its implementation's vtable: ~20 KB that On-Demand never
# runs). Virtual function elimination needs full LTO, whole-program vtables and classes of
# hidden LTO visibility in every translation unit: cmake/simdjson.cmake gives these options to
# everything that links simdjson (the core, the apps and the modules, here or in a project made
# by `edgefn new`) and force-includes simdjson_hidden.h (the core keeps default visibility:
# core_all.wasm exports it).
option(EDGEFN_WASM_LTO "wasm32-wasi: link-time optimization and virtual function elimination" ON)
set(EDGEFN_WASM_LTO_OPTIONS -flto -fwhole-program-vtables -fvirtual-function-elimination)

# -Oz by default. EDGEFN_WASM_HOT_OPTIONS (-O2) for what runs once per row of a /sql response:
# simdjson (cmake/simdjson.cmake) and the decoding and JSON writing files of src/CMakeLists.txt.
# Measured with wasm_bench (node, the wardrobe, module CPU per request) against the previous
# build (-O3 with cold files -Oz, no LTO): all -Oz is 16 % slower on a 100-row list (~+25 µs)
# for 13 KB less gzip; this split is 2-11 % faster on the list and a few µs slower on get,
# total and create (per-request code at -Oz). -O2 rather than -O3 for those files: 977 B raw /
# 465 B gzip -9 less, the same CPU per request in wasm_bench (list, get, total, create, update).
foreach(lang C CXX)
  foreach(type RELEASE MINSIZEREL)
    string(REGEX REPLACE "-O[0-9sz]" "-Oz" CMAKE_${lang}_FLAGS_${type} "${CMAKE_${lang}_FLAGS_${type}}")
  endforeach()
endforeach()
set(EDGEFN_WASM_HOT_OPTIONS -O2)
# The same level for what links simdjson from outside these folders: a project made by `edgefn
# new` compiles its app and module sources with its own flags (-O3), and its link (the level of
# the driver's wasm-opt pass) too. cmake/simdjson.cmake gives these options to every consumer,
# as it gives the LTO options; per-file options (EDGEFN_WASM_HOT_OPTIONS) still come after them.
set(EDGEFN_WASM_SIZE_OPTIONS $<$<CONFIG:Release,MinSizeRel>:-Oz>)
