#!/usr/bin/env bash
# run_fuzzer.sh FUZZER CORPUS WORK SECONDS: fuzzes for SECONDS from the committed CORPUS (read
# only) plus a scratch corpus in WORK/corpus, where new inputs go; crash files land in WORK/.
# Exits non-zero when libFuzzer finds a crash, a leak, a timeout or an out-of-memory.
set -euo pipefail
fuzzer=$1 corpus=$2 work=$3 seconds=$4
mkdir -p "$work/corpus"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$corpus"
