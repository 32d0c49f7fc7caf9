// Decode throughput of the official @neondatabase/serverless driver on a recorded /sql response
// body (see make_bodies.mjs). neonConfig.fetchFunction returns the recorded bytes, so each
// iteration runs the driver's own path: Response.json(), result checks, per-column type parsers
// (fullResults: true, default object rows) - everything but the network.
//
//   node tests/bench/js_decode_bench.mjs <body-file> [iterations]
//   -> js_decode rows=<rows> iterations=<n> rows_per_sec=<x>
import { readFileSync } from 'node:fs';
import { neon, neonConfig } from '@neondatabase/serverless';

const [file, iterArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: js_decode_bench.mjs <body-file> [iterations]');
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(file));
const expectedRows = JSON.parse(Buffer.from(bytes).toString('utf8')).rows.length;
const iterations = iterArg ? Number(iterArg) : Math.max(20, Math.ceil(500_000 / Math.max(1, expectedRows)));
if (!Number.isInteger(iterations) || iterations <= 0) {
  console.error(`bad iteration count: ${iterArg}`);
  process.exit(2);
}

neonConfig.fetchEndpoint = 'http://decode-bench.invalid/sql';
neonConfig.fetchFunction = async () =>
  new Response(bytes, { status: 200, headers: { 'Content-Type': 'application/json' } });
const sql = neon('postgresql://bench:bench@decode-bench.invalid/bench', { fullResults: true });

async function once() {
  const r = await sql.query('select 1', []);
  if (r.rows.length !== expectedRows) throw new Error(`decoded ${r.rows.length} rows, expected ${expectedRows}`);
  return r;
}

// Warm-up: let the JIT settle on the hot paths before timing.
const warmup = Math.max(5, Math.min(iterations, Math.ceil(200_000 / Math.max(1, expectedRows))));
for (let i = 0; i < warmup; i++) await once();

const t0 = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) await once();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const rowsPerSec = (expectedRows * iterations) / seconds;
console.log(`js_decode rows=${expectedRows} iterations=${iterations} rows_per_sec=${rowsPerSec.toFixed(0)}`);
