// Records /sql response bodies for the decode benchmarks (tests/bench/js_decode_bench.mjs and the
// C++ decode_bench). POSTs to the gateway exactly as @neondatabase/serverless does: the body
// {"query","params"} with the params as strings, and the headers Neon-Connection-String,
// Neon-Raw-Text-Output: true, Neon-Array-Mode: true.
//
//   EDGEFN_TEST_ENV_FILE=<state>/env node tests/bench/make_bodies.mjs <out-dir>
//   (or set EDGEFN_TEST_GATEWAY_URL and DATABASE_URL in the environment instead of the env file)
//
// Writes <out-dir>/mixed_100.json and <out-dir>/mixed_10000.json and prints one line per file.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

function settings() {
  const env = { ...process.env };
  if (process.env.EDGEFN_TEST_ENV_FILE) {
    for (const line of readFileSync(process.env.EDGEFN_TEST_ENV_FILE, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  const url = env.EDGEFN_TEST_GATEWAY_URL ?? env.NEON_FETCH_ENDPOINT;
  const conn = env.DATABASE_URL;
  if (!url || !conn) {
    throw new Error('need EDGEFN_TEST_ENV_FILE, or EDGEFN_TEST_GATEWAY_URL and DATABASE_URL');
  }
  return { url, conn };
}

// Mixed column types: int4, int8, text, numeric, bool, timestamptz, float8, jsonb, int4[], NULL.
const QUERY = `select g::int4 as id,
  g::int8 * 1000003 as big,
  'item ' || g || ' – ünïcödé ✓' as label,
  (g / 7.0)::numeric(14,4) as amount,
  g % 2 = 0 as flag,
  timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second 250 milliseconds' as at,
  g * 0.25::float8 + 0.1 as ratio,
  jsonb_build_object('id', g, 'tags', jsonb_build_array('a', 'b', g % 5), 'ok', g % 3 = 0, 'name', 'n' || g) as doc,
  array[g, g + 1, g * 2]::int4[] as nums,
  null::text as nothing
from generate_series(1, $1::int) g`;

const SIZES = [100, 10000];

async function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: make_bodies.mjs <out-dir>');
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const { url, conn } = settings();
  for (const n of SIZES) {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Neon-Connection-String': conn,
        'Neon-Raw-Text-Output': 'true',
        'Neon-Array-Mode': 'true',
      },
      body: JSON.stringify({ query: QUERY, params: [String(n)] }),
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`gateway answered ${res.status} for ${n} rows: ${body.slice(0, 500)}`);
    const parsed = JSON.parse(body);
    if (!Array.isArray(parsed.rows) || parsed.rows.length !== n || !Array.isArray(parsed.rows[0])) {
      throw new Error(`unexpected body for ${n} rows: ${body.slice(0, 500)}`);
    }
    const file = join(outDir, `mixed_${n}.json`);
    writeFileSync(file, body);
    console.log(`${file} rows=${n} bytes=${Buffer.byteLength(body)}`);
  }
}

main().catch((e) => {
  console.error(`make_bodies: ${e.stack ?? e}`);
  process.exit(1);
});
