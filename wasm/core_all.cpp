// core_all.wasm: every object of the core linked into one reactor (see wasm/CMakeLists.txt);
// this file only gives the executable a translation unit of its own.
