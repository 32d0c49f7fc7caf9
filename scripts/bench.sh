#!/usr/bin/env bash
# Benchmarks (print figures, assert nothing), on the release build, against a throwaway
# Postgres + gateway started here and stopped on exit:
#   1. gateway vs libpq round trips (median/p99, concurrency 1 and 16);
#   2. decoding recorded /sql response bodies: C++ client vs the official JS driver;
#   3. the wardrobe API: `edgefn serve` vs a Hono + drizzle-orm/neon-http reference app on Node.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${EDGEFN_BENCH_BUILD:-build/release}
state=$(mktemp -d /tmp/edgefn-bench.XXXXXX)
trap 'tests/support/test_env.sh stop "$state" >/dev/null; rm -rf "$state"' EXIT
tests/support/test_env.sh start "$state" "$build/native/edgefn" >/dev/null
set -a; . "$state/env"; set +a
conninfo="host=$EDGEFN_TEST_PG_HOST port=$EDGEFN_TEST_PG_PORT user=$EDGEFN_TEST_PG_USER password=$EDGEFN_TEST_PG_PASSWORD dbname=$EDGEFN_TEST_PG_DATABASE"

echo "== gateway vs libpq (same Postgres, same run)"
"$build/tests/bench/gateway_bench" "$EDGEFN_TEST_GATEWAY_URL" "$DATABASE_URL" "$conninfo"

echo "== decoding recorded response bodies (C++ client vs @neondatabase/serverless)"
bodies="$state/bodies"
mkdir -p "$bodies"
EDGEFN_TEST_ENV_FILE="$state/env" node tests/bench/make_bodies.mjs "$bodies" >/dev/null
for body in "$bodies"/*.json; do
  name=$(basename "$body" .json)
  cpp=$("$build/tests/bench/decode_bench" "$body")
  js=$(node tests/bench/js_decode_bench.mjs "$body")
  echo "$name: $cpp"
  echo "$name: $js"
  cpp_rps=$(sed -n 's/.*rows_per_sec=\([0-9.e+]*\).*/\1/p' <<<"$cpp")
  js_rps=$(sed -n 's/.*rows_per_sec=\([0-9.e+]*\).*/\1/p' <<<"$js")
  awk -v c="$cpp_rps" -v j="$js_rps" -v n="$name" \
    'BEGIN { if (j > 0) printf "%s: ratio cpp/js rows_per_sec = %.2fx (target >= 3x)\n", n, c / j }'
done

echo "== the wardrobe API: edgefn serve vs Hono + drizzle-orm/neon-http (same gateway, same data)"
node tests/bench/api_bench.mjs --edgefn "$build/native/edgefn" --env-file "$state/env"
