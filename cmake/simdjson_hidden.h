// Force-included (-include) into every translation unit of the wasm32-wasi build: simdjson's
// classes get hidden visibility, i.e. hidden LTO visibility, which virtual function elimination
// needs (cmake/wasm_size.cmake). Everything else keeps its visibility (core_all.wasm exports the
// core with --export-dynamic). libc++ comes first so that its declarations stay as they are.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#pragma GCC visibility push(hidden)
#include "simdjson.h"
#pragma GCC visibility pop
