# edgefn: `make dev` and `make test` work on a fresh Debian bookworm machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
STATE := .edgefn
APP ?= wardrobe
# The release and wasm trees compile through ccache when it is installed, in depend mode (no
# extra preprocessor run on a miss): a project made by `edgefn new` compiles the core with the
# same commands (absolute paths, same flags), so its first build (and ctest scaffold_project's)
# takes the core's objects from there instead of compiling it again.
CCACHE_LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_DEPEND ?= 1

.PHONY: deps build native wasm wasm-emscripten release release-cli release-bench fuzz-build fuzz test test-unit bench dev stop clean

deps:
	@./scripts/install-deps.sh

native: deps
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

release: deps
	@cmake --preset release $(CCACHE_LAUNCHER) >/dev/null
	@cmake --build --preset release -j $(JOBS)

wasm: deps
	@cmake --preset wasm $(CCACHE_LAUNCHER) >/dev/null
	@cmake --build --preset wasm -j $(JOBS)

# em++ 3.1.6 (<experimental/coroutine>): the whole core and the wardrobe's module, what
# tests/exchange/em_coroutines_test.mjs runs (the other modules add build time, not coverage).
wasm-emscripten: deps
	@cmake --preset wasm-emscripten >/dev/null
	@NODE_PATH=/usr/share/nodejs cmake --build --preset wasm-emscripten -j $(JOBS)

build: native wasm wasm-emscripten

# The release `edgefn` tool and the app's binary (what `make dev` runs).
release-cli: deps
	@cmake --preset release $(CCACHE_LAUNCHER) >/dev/null
	@cmake --build --preset release -j $(JOBS) --target edgefn $(APP)

# What the benchmarks run: the release binary and the benchmark programs (not the tests).
release-bench: deps
	@cmake --preset release $(CCACHE_LAUNCHER) >/dev/null
	@cmake --build --preset release -j $(JOBS) --target edgefn wardrobe gateway_bench decode_bench db_bench proc_cpu

# The libFuzzer harnesses (tests/fuzz): clang-16 with ASan+UBSan, build/fuzz.
fuzz-build: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

## Fuzzes each harness for FUZZ_SECONDS (default 60) from its committed corpus.
FUZZ_SECONDS ?= 60
fuzz: fuzz-build
	@mkdir -p build/fuzz/fuzz-work
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz.sh

## Every test: unit, integration (Postgres + gateway), conformance (official driver), the fuzz
## corpora replayed and each harness fuzzed briefly, then the benchmarks on the release build
## (they print figures and assert nothing).
test: build release-bench fuzz-build
	@ctest --preset dev -j $(JOBS) --timeout 600
	@ctest --preset fuzz -j $(JOBS) --timeout 300
	@./scripts/bench.sh

test-unit: native wasm
	@ctest --preset dev -L unit -j $(JOBS)

bench: release-bench wasm
	@./scripts/bench.sh

## Local Postgres (data in .edgefn/) + the Neon-compatible gateway on :4444, migrate + seed the
## app (APP=name, default wardrobe), then its module behind worker-shim/ in workerd at
## http://localhost:8787.
dev: release-cli wasm
	@APP=$(APP) ./scripts/dev.sh

stop:
	@./scripts/dev.sh stop

clean:
	rm -rf build
