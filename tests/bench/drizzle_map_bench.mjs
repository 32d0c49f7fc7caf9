// The drizzle-orm side of db_bench's decode_write: the same recorded /sql response body (the
// wardrobe list query, raw text + array mode), decoded and mapped by drizzle-orm 0.45.4 on
// drizzle-orm/neon-http + @neondatabase/serverless exactly as the reference app's list route
// does it (db.select().from(items).where(eq(items.userId, user)).orderBy(...).limit(100)), then
// JSON.stringify({ items: rows }) as Hono's c.json does. neonConfig.fetchFunction returns the
// recorded bytes, so each iteration runs drizzle's query build + the driver's Response.json(),
// result checks and type parsers + drizzle's row mapping + JSON: everything but the network.
//
//   node tests/bench/drizzle_map_bench.mjs <body-file> [user-id]
//   -> drizzle_map rows=<n> rows_per_sec=<x> us_per_response=<y> runs=<n> iterations=<total>
//   (also, for context: drizzle_build list ns_per_op=<x>: drizzle's own build of that query, and
//   drizzle_map_prepared ...: the same with the query prepared once, without that build)
import { readFileSync } from 'node:fs';
import { neon, neonConfig } from '@neondatabase/serverless';
import { desc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { items } from './reference/schema.mjs';

const [file, userArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: drizzle_map_bench.mjs <body-file> [user-id]');
  process.exit(2);
}
const user = userArg ?? 'kp_bench';
const bytes = new Uint8Array(readFileSync(file));
const expectedRows = JSON.parse(Buffer.from(bytes).toString('utf8')).rows.length;

neonConfig.fetchEndpoint = 'http://drizzle-map-bench.invalid/sql';
neonConfig.fetchFunction = async () =>
  new Response(bytes, { status: 200, headers: { 'Content-Type': 'application/json' } });
const db = drizzle(neon('postgresql://bench:bench@drizzle-map-bench.invalid/bench'), { schema: { items } });

const listQuery = () =>
  db.select().from(items).where(eq(items.userId, user)).orderBy(desc(items.createdAt), desc(items.id)).limit(100);

let sink = 0;
async function once(run) {
  const rows = await run();
  const body = JSON.stringify({ items: rows });
  if (rows.length !== expectedRows) throw new Error(`mapped ${rows.length} rows, expected ${expectedRows}`);
  sink += body.length;
  return body;
}

const RUNS = 7;
/** Median rows/s over RUNS runs of >= 0.3 s, after a 1.5 s warm-up. */
async function measure(run) {
  const warmEnd = performance.now() + 1500;  // let the JIT settle on the hot paths
  while (performance.now() < warmEnd) for (let i = 0; i < 50; i++) await once(run);
  const rates = [];
  let total = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    let n = 0;
    let seconds = 0;
    do {
      for (let i = 0; i < 50; i++) await once(run);
      n += 50;
      seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    } while (seconds < 0.3);
    total += n;
    rates.push((expectedRows * n) / seconds);
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(RUNS / 2)], total };
}
const line = (name, { median, total }) =>
  `${name} rows=${expectedRows} rows_per_sec=${median.toFixed(0)} us_per_response=${(1e6 * expectedRows / median).toFixed(1)} runs=${RUNS} iterations=${total}`;

const first = await once(listQuery);
console.error(`drizzle_map: ${expectedRows} rows, ${bytes.length} body bytes -> ${first.length} JSON bytes`);
const mapped = await measure(listQuery);
// For context: the same with the query prepared once (drizzle's .prepare()), i.e. without
// drizzle's per-request query build: driver decoding + mapping + JSON only.
const prepared = db.select().from(items).where(eq(items.userId, sql.placeholder('user')))
  .orderBy(desc(items.createdAt), desc(items.id)).limit(100).prepare('list_items');
const preparedRun = await measure(() => prepared.execute({ user }));

// For context only: drizzle's own query build (what db_bench's "build list_items" is to edgefn).
let built = 0;
for (let i = 0; i < 5000; i++) built += listQuery().toSQL().sql.length;
const buildTimes = [];
for (let r = 0; r < RUNS; r++) {
  const n = 5000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) built += listQuery().toSQL().params.length;
  buildTimes.push(Number(process.hrtime.bigint() - t0) / n);
}
buildTimes.sort((a, b) => a - b);

console.log(`drizzle_build list ns_per_op=${buildTimes[Math.floor(RUNS / 2)].toFixed(1)} runs=${RUNS}`);
console.log(line('drizzle_map_prepared', preparedRun));
console.log(line('drizzle_map', mapped));
if (sink + built === -1) console.log('unreachable');
