#!/usr/bin/env bash
# Fuzzes every libFuzzer harness of tests/fuzz for FUZZ_SECONDS each (default 60), one after
# the other, from its committed corpus plus a scratch corpus in build/fuzz/fuzz-work/<target>/
# (kept between runs; crash files land there too). FUZZ_TARGETS="jwt engine" picks some.
# Build first: `make fuzz` does.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-$(ls tests/fuzz/corpus)}
status=0
for t in $targets; do
  echo "== fuzz_$t: ${seconds} s"
  if ! tests/fuzz/run_fuzzer.sh "build/fuzz/tests/fuzz/fuzz_$t" "tests/fuzz/corpus/$t" \
       "build/fuzz/fuzz-work/$t" "$seconds" 2> "build/fuzz/fuzz-work/$t.log"; then
    status=1
    echo "   FAILED: see build/fuzz/fuzz-work/$t.log and the crash file next to it"
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "build/fuzz/fuzz-work/$t.log" | sed 's/^/   /' || true
done
exit $status
