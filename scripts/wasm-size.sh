#!/usr/bin/env bash
# Where the shipped wasm module's bytes are (issue 9: the Worker bundle's size).
#   scripts/wasm-size.sh [APP] [wasm-size.mjs options: --top N, --owner OWNER, --grep REGEX]
# Relinks build/wasm's module of APP (default: wardrobe; `make wasm` first) exactly as the build
# does (same link command, then the same wasm-opt runs) but keeps the name section, and prints
# the section sizes, code by owner (neon, db, api, the app, simdjson, libc++, libc) and the
# largest functions (scripts/wasm-size.mjs). The shipped module is the named one stripped of its
# names: the figures are its own. Prints; asserts nothing. EDGEFN_WASM_SIZE_KEEP=FILE keeps the
# named module there (for tests/bench/worker_profile.mjs --names: same function indices as shipped).
set -euo pipefail
cd "$(dirname "$0")/.."
app=wardrobe
if [ $# -gt 0 ] && [[ $1 != --* ]]; then app=$1; shift; fi
build=${EDGEFN_WASM_BUILD_DIR:-build/wasm}
target=apps/$app/$app.wasm
[ -f "$build/$target" ] || { echo "no $build/$target: run make wasm first" >&2; exit 1; }
work=$(mktemp -d /tmp/edgefn-wasm-size.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The link command (the last one ninja runs for the target), without its post-build step. The
# clang driver runs wasm-opt at the link's -O level: it is taken out of the link (LTO does not
# read it: wasm-ld gets no --lto-O) and run below with -g, which keeps the names.
link=$(ninja -C "$build" -t commands "$target" | tail -n1)
link=${link%%&& cd *}
level=$(grep -oE ' -O[0-3sz]( |$)' <<<"$link" | tail -n1 | tr -d ' ')
link=$(sed -E "s# -O[0-3sz]( |\$)# #g; s# -o $target # -o $work/linked.wasm #" <<<"$link")
(cd "$build" && eval "$link")
post=$(ninja -C "$build" -t commands "$target" | tail -n1 | grep -oE 'wasm-opt [^/]*' | sed 's/^wasm-opt //' || true)
wasm-opt ${level:--O0} -g "$work/linked.wasm" -o "$work/named.wasm"
[ -n "$post" ] && wasm-opt $post -g "$work/named.wasm" -o "$work/named.wasm"
wasm-opt --strip-debug --strip-producers "$work/named.wasm" -o "$work/stripped.wasm"
echo "$target: shipped $(stat -c %s "$build/$target") B (gzip -9 $(gzip -9c "$build/$target" | wc -c) B); relinked here without names $(stat -c %s "$work/stripped.wasm") B (gzip -9 $(gzip -9c "$work/stripped.wasm" | wc -c) B)"
if [ -n "${EDGEFN_WASM_SIZE_KEEP:-}" ]; then cp "$work/named.wasm" "$EDGEFN_WASM_SIZE_KEEP"; fi
node scripts/wasm-size.mjs "$work/named.wasm" "$@"
