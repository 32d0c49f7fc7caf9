#!/usr/bin/env bash
# Benchmarks (print figures, assert nothing), on the release build, against a throwaway
# Postgres + gateway started here and stopped on exit:
#   1. gateway vs libpq round trips (median/p99, concurrency 1 and 16), over HTTP/1.1 /sql,
#      HTTP/2 /sql (h2c; at c=16 both 16 connections and one connection with 16 streams) and the
#      WebSocket endpoint, the peers measured in interleaved slices, with the CPU time one
#      request costs the client, the gateway and Postgres (an HTTP/2 request that fails stops
#      the script: gateway_bench exits 1);
#   2. decoding recorded /sql response bodies: C++ client vs the official JS driver;
#   3. the wardrobe API: `wardrobe serve` vs a Hono + drizzle-orm/neon-http reference app on Node;
#   4. typed schema: the C++ db layer vs drizzle-orm mapping;
#   5. the Worker in workerd (the wardrobe's module + worker-shim/) vs the same reference as a
#      Worker, a floor Worker and a constant Worker (EDGEFN_WORKER_BENCH_N=… for larger runs).
#   6. the same module alone in node: its own CPU per request (EDGEFN_BENCH_WASM_BASE=other.wasm
#      measures a second build in the same run, e.g. before/after a size change), and the wasm
#      code one request of each route enters (functions, KiB).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${EDGEFN_BENCH_BUILD:-build/release}
# Other processes' CPU time in ns for the Node benchmarks (tests/bench/lib.mjs: cpuReader).
export EDGEFN_PROC_CPU=${EDGEFN_PROC_CPU:-$build/tests/bench/proc_cpu}
state=$(mktemp -d /tmp/edgefn-bench.XXXXXX)
trap 'tests/support/test_env.sh stop "$state" >/dev/null; rm -rf "$state"' EXIT
tests/support/test_env.sh start "$state" "$build/native/edgefn" >/dev/null
set -a; . "$state/env"; set +a
conninfo="host=$EDGEFN_TEST_PG_HOST port=$EDGEFN_TEST_PG_PORT user=$EDGEFN_TEST_PG_USER password=$EDGEFN_TEST_PG_PASSWORD dbname=$EDGEFN_TEST_PG_DATABASE"

echo "== gateway (HTTP/1.1 /sql, HTTP/2 /sql, WebSocket) vs libpq (same Postgres, same run, interleaved)"
gateway_ws="ws://${EDGEFN_TEST_GATEWAY_URL#http://}"
gateway_ws="${gateway_ws%/sql}/v2?address=$EDGEFN_TEST_PG_HOST:$EDGEFN_TEST_PG_PORT"
postmaster_pid=$(head -n1 "$EDGEFN_TEST_PG_DATA/db/postmaster.pid" 2>/dev/null || true)
"$build/tests/bench/gateway_bench" "$EDGEFN_TEST_GATEWAY_URL" "$DATABASE_URL" "$conninfo" \
  --ws "$gateway_ws" ${postmaster_pid:+--cpu "$EDGEFN_TEST_GATEWAY_PID,$postmaster_pid"}

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

echo "== the wardrobe API: wardrobe serve vs Hono + drizzle-orm/neon-http (same gateway, same data)"
node tests/bench/api_bench.mjs --edgefn "$build/apps/wardrobe/wardrobe" --env-file "$state/env"

echo "== typed schema: query build + bind, decode + rows into structs + JSON (C++ db layer vs drizzle-orm)"
# The fixture database gets the real schema (migrations + seed), then one user gets exactly 100
# items (names/sizes/types/colors taken from the seed set, some NULL colors, created_at with
# microseconds as defaultNow() gives); the wardrobe list query's response body for that user is
# recorded from the gateway with the official driver's headers and replayed by both benchmarks.
"$build/apps/wardrobe/wardrobe" migrate --endpoint "$NEON_FETCH_ENDPOINT"
"$build/apps/wardrobe/wardrobe" seed --endpoint "$NEON_FETCH_ENDPOINT"
bench_user=kp_bench_0123456789abcdef0123456789ab
list_body="$state/wardrobe_list_100.json"
EDGEFN_BENCH_USER=$bench_user EDGEFN_BENCH_OUT=$list_body EDGEFN_BENCH_LIST_SQL=$("$build/tests/bench/db_bench" --list-sql) \
  node --input-type=module - <<'JS'
import { writeFileSync } from 'node:fs';
const { EDGEFN_TEST_GATEWAY_URL: url, DATABASE_URL: conn, EDGEFN_BENCH_USER: user,
  EDGEFN_BENCH_OUT: out, EDGEFN_BENCH_LIST_SQL: listSql } = process.env;
async function sql(query, params) {  // exactly as @neondatabase/serverless posts a query
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Neon-Connection-String': conn, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true' },
    body: JSON.stringify({ query, params }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${text.slice(0, 500)}`);
  return text;
}
await sql(`insert into "items" ("user_id", "name", "size", "type", "color", "image_url", "created_at")
  select $1, s.name, s.size, s.type, case when g % 10 = 0 then null else s.color end,
         'https://img.example.com/' || $1 || '/' || g || '-' || lower(replace(s.name, ' ', '-')) || '.png',
         timestamp '2026-11-01 09:00:00.123456' - g * interval '3 hours 7 minutes 5.654321 seconds'
  from generate_series(1, 100) g
  join (select row_number() over (order by "id") - 1 as k, "name", "size", "type", "color" from "items") s
    on s.k = g % (select count(*) from "items")`, [user]);
const body = await sql(listSql, [user, '100']);
const rows = JSON.parse(body).rows;
if (!Array.isArray(rows) || rows.length !== 100 || !Array.isArray(rows[0])) {
  throw new Error(`expected 100 array-mode rows, got: ${body.slice(0, 300)}`);
}
writeFileSync(out, body);
console.log(`recorded ${out}: ${rows.length} rows, ${Buffer.byteLength(body)} bytes`);
JS
db_out=$("$build/tests/bench/db_bench" "$list_body")
echo "$db_out"
dz_out=$(node tests/bench/drizzle_map_bench.mjs "$list_body" "$bench_user")
echo "$dz_out"
cpp_rps=$(sed -n 's/^db_bench decode_write .*rows_per_sec=\([0-9.e+]*\).*/\1/p' <<<"$db_out")
dz_rps=$(sed -n 's/^drizzle_map .*rows_per_sec=\([0-9.e+]*\).*/\1/p' <<<"$dz_out")
awk -v c="$cpp_rps" -v j="$dz_rps" \
  'BEGIN { if (j > 0) printf "ratio cpp/drizzle decode_write rows_per_sec = %.2fx (target >= 3x)\n", c / j }'

echo "== the Worker in workerd: edgefn vs Hono + drizzle-orm/neon-http vs a hand-written Worker vs a floor Worker (CPU per request, bundle, cold start, RSS)"
node tests/bench/worker_bench.mjs --edgefn "$build/apps/wardrobe/wardrobe" --env-file "$state/env" \
  --wasm "${EDGEFN_BENCH_WASM:-build/wasm/apps/wardrobe/wardrobe.wasm}"

echo "== the wardrobe's module alone in node (module CPU per request; no workerd, no I/O; the code one request runs)"
# The footprint is build/wasm's module's, relinked with names (scripts/wasm-size.sh).
footprint=()
if EDGEFN_WASM_SIZE_KEEP="$state/wardrobe.named.wasm" scripts/wasm-size.sh >/dev/null 2>&1; then
  footprint=(--footprint "$state/wardrobe.named.wasm")
else
  echo "(no footprint: scripts/wasm-size.sh could not relink build/wasm's module)"
fi
node tests/bench/wasm_bench.mjs --edgefn "$build/apps/wardrobe/wardrobe" --env-file "$state/env" "${footprint[@]}" \
  ${EDGEFN_BENCH_WASM_BASE:+"$EDGEFN_BENCH_WASM_BASE"} "${EDGEFN_BENCH_WASM:-build/wasm/apps/wardrobe/wardrobe.wasm}"
