# Emscripten (standalone wasm). Uses $EMSCRIPTEN_ROOT, else $EMSDK's copy, else Debian's.
if(DEFINED ENV{EMSCRIPTEN_ROOT})
  set(edgefn_em_root "$ENV{EMSCRIPTEN_ROOT}")
elseif(DEFINED ENV{EMSDK})
  set(edgefn_em_root "$ENV{EMSDK}/upstream/emscripten")
else()
  set(edgefn_em_root "/usr/share/emscripten")
endif()
# Debian's emscripten finds acorn for its JS glue step only through NODE_PATH.
if(NOT DEFINED ENV{NODE_PATH})
  set(ENV{NODE_PATH} "/usr/share/nodejs")
endif()
include("${edgefn_em_root}/cmake/Modules/Platform/Emscripten.cmake")
