#!/usr/bin/env node
// The module's own CPU per request, without workerd: each module given is instantiated in node
// through worker-shim/instance.js (the shim's own engine wrapper) and serves the same requests,
// each action answered with the result recorded once from the real gateway + Postgres (list: a
// user with exactly 100 items). Modules are measured in interleaved rounds in one process, so
// two builds of the module (e.g. -O3 and -Oz) compare in the same run. Prints; asserts nothing.
//
//   node tests/bench/wasm_bench.mjs --edgefn WARDROBE_BIN --env-file FIXTURE_ENV [--footprint NAMED.wasm] A.wasm [B.wasm ...]
//   --footprint: also prints, per route, the wasm functions one request enters and their size
//   (tests/bench/wasm_footprint.mjs; NAMED.wasm: a build of the same app with names, e.g.
//   `EDGEFN_WASM_SIZE_KEEP=NAMED.wasm scripts/wasm-size.sh` for build/wasm's; needs binaryen)
//   env: EDGEFN_WASM_BENCH_N requests per route, module and round (default 2000), _ROUNDS (5)
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { WasmEngine } from '../../worker-shim/instance.js';
import { readConfig } from '../../worker-shim/config.js';
import { decodeAction, decodeResponse, encodeResult, requestMeta as metaOf } from '../../worker-shim/codec.js';
import { postSql } from '../../worker-shim/neon.js';
import { devToken, seedItems } from './lib.mjs';
import { footprintEngine } from './wasm_footprint.mjs';

const { values: opt, positionals: modules } = parseArgs({
  options: { edgefn: { type: 'string' }, 'env-file': { type: 'string' }, footprint: { type: 'string' } }, allowPositionals: true,
});
const N = Number(process.env.EDGEFN_WASM_BENCH_N ?? 2000);
const ROUNDS = Number(process.env.EDGEFN_WASM_BENCH_ROUNDS ?? 5);
const env = Object.fromEntries(readFileSync(opt['env-file'], 'utf8').split('\n').filter((l) => l.includes('='))
  .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]));
const utf8 = new TextEncoder();
const pgConf = (database) => ({
  host: env.EDGEFN_TEST_PG_HOST, port: Number(env.EDGEFN_TEST_PG_PORT), user: env.EDGEFN_TEST_PG_USER,
  password: env.EDGEFN_TEST_PG_PASSWORD, database,
});

/** The request metadata the shim's codec.encodeRequest builds. */
function requestMeta(method, target, token, hasBody) {
  const headers = [['authorization', `Bearer ${token}`]];
  if (hasBody) headers.push(['content-type', 'application/json']);
  return metaOf(method, target, headers);
}

/**
 * Runs one exchange on `engine`; each action gets `answer(action)` (a promise while recording,
 * a value while replaying). Returns the response status.
 */
async function exchange(engine, req, answer) {
  const id = engine.start(req.meta, req.body, 'bench', Date.now());
  if (id === 0) throw new Error(`start refused: ${engine.lastError()}`);
  for (;;) {
    for (let r = engine.nextResponse(); r !== null; r = engine.nextResponse()) return decodeResponse(r.meta).status;
    const a = engine.nextAction();
    if (a === null) throw new Error('exchange stalled');
    const action = decodeAction(a.meta, a.payload);
    if (action.kind === 'log') continue;
    let result = answer(action);
    if (result instanceof Promise) result = await result;
    if (engine.complete(action.id, encodeResult(action.id, result), result.body, Date.now()) < 0)
      throw new Error(`result refused: ${engine.lastError()}`);
  }
}

async function main() {
  const admin = new pg.Client(pgConf(env.EDGEFN_TEST_PG_DATABASE));
  await admin.connect();
  const dbName = `edgefn_wasmbench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  try {
    const dbUrl = new URL(env.DATABASE_URL);
    dbUrl.pathname = `/${dbName}`;
    const m = spawnSync(opt.edgefn, ['migrate', '--endpoint', env.NEON_FETCH_ENDPOINT], {
      env: { ...process.env, DATABASE_URL: dbUrl.toString() }, encoding: 'utf8', timeout: 30_000,
    });
    if (m.status !== 0) throw new Error(`migrate failed: ${m.stderr}`);
    const db = new pg.Client(pgConf(dbName));
    await db.connect();
    const user = `wasm-bench-${randomBytes(4).toString('hex')}`;
    const ids = await seedItems(db, user, 100);
    await db.end();

    const secret = randomBytes(32).toString('base64url');
    const config = readConfig({ AUTH_DEV_SECRET: secret, DATABASE_URL: dbUrl.toString(), NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT, LOG_LEVEL: 'off' });
    const target = { url: env.NEON_FETCH_ENDPOINT, databaseUrl: dbUrl.toString() };
    const token = devToken(secret, user);
    const item = JSON.stringify({ name: 'bench', size: 'M', type: 'shirt', color: 'blue', imageUrl: 'https://img.example.com/bench/c.png' });
    const routes = {
      list: { meta: requestMeta('GET', '/api/wardrobe', token, false), body: undefined, want: 200 },
      get: { meta: requestMeta('GET', `/api/wardrobe/${ids[0]}`, token, false), body: undefined, want: 200 },
      total: { meta: requestMeta('GET', '/api/wardrobe/total-items', token, false), body: undefined, want: 200 },
      create: { meta: requestMeta('POST', '/api/wardrobe', token, true), body: utf8.encode(item), want: 201 },
      update: { meta: requestMeta('PUT', `/api/wardrobe/${ids[1]}`, token, true), body: utf8.encode(JSON.stringify({ name: 'renamed' })), want: 200 },
    };
    const engines = modules.map((f) => {
      const e = new WasmEngine(new WebAssembly.Module(readFileSync(f)), config.engine);
      e.setLogRank(4);
      return e;
    });

    // Record each route's SQL results once (first module, real gateway), then replay them in
    // order on every module. Signatures are taken as valid (the JS verifies them); an engine
    // asks only for a token it has not verified yet, so they are answered by kind, not by place.
    const VALID = { outcome: 'ok', valid: true };
    const OTHER = { outcome: 'failed', detail: 'not in this benchmark' };
    const recorded = {};
    for (const [name, req] of Object.entries(routes)) {
      const results = [];
      const status = await exchange(engines[0], req, async (a) => {
        if (a.kind === 'verify_signature') return VALID;
        if (a.kind !== 'sql') return OTHER;
        const r = await postSql(target, a.headers ?? [], a.body);
        results.push(r);
        return r;
      });
      if (status !== req.want) throw new Error(`${name}: answered ${status}, expected ${req.want}`);
      recorded[name] = results;
    }
    const us = modules.map(() => Object.fromEntries(Object.keys(routes).map((r) => [r, 0])));
    const replay = (e, name) => {
      let next = 0;
      return exchange(e, routes[name], (a) => (a.kind === 'verify_signature' ? VALID : a.kind === 'sql' ? recorded[name][next++] : OTHER));
    };
    // Warm-up (V8 tiers hot wasm functions up from Liftoff to TurboFan), not counted.
    for (const e of engines)
      for (const name of Object.keys(routes)) {
        const s = await replay(e, name);
        if (s !== routes[name].want) throw new Error(`${name}: replay answered ${s}`);
        for (let j = 0; j < N; j++) await replay(e, name);
      }
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of Object.keys(routes)) {
        for (let i = 0; i < engines.length; i++) {
          const k = (i + r) % engines.length;
          const t0 = process.cpuUsage();
          for (let j = 0; j < N; j++) await replay(engines[k], name);
          const d = process.cpuUsage(t0);
          us[k][name] += (d.user + d.system) / N / ROUNDS;
        }
      }
    }
    console.log(`wasm_bench: n=${N} x ${ROUNDS} rounds per route and module; node CPU per request (module + the shim's engine wrapper; no workerd, no I/O); load: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
    modules.forEach((f, i) => {
      const size = readFileSync(f).length;
      console.log(`  ${basename(f).padEnd(28)} ${String(size).padStart(7)} B  ${Object.entries(us[i]).map(([r, v]) => `${r} ${v.toFixed(1)} µs`).join('  ')}`);
    });
    for (let i = 1; i < modules.length; i++)
      console.log(`  ${basename(modules[i])} / ${basename(modules[0])}: ${Object.keys(routes).map((r) => `${r} ${(us[i][r] / us[0][r]).toFixed(2)}x`).join('  ')}`);
    if (opt.footprint) {
      // After a warm-up of every route (one-time work out of the way), one request of each.
      let fp;
      try {
        fp = footprintEngine(opt.footprint, config.engine);
      } catch (e) {
        console.log(`footprint: not measured: ${e.message}`);
        return;
      }
      fp.engine.setLogRank(4);
      for (let j = 0; j < 20; j++) for (const name of Object.keys(routes)) await replay(fp.engine, name);
      console.log(`footprint: wasm functions one request enters, of ${fp.total.count} (${(fp.total.bytes / 1024).toFixed(1)} KiB of code in ${basename(opt.footprint)}):`);
      for (const name of Object.keys(routes)) {
        const f = await fp.measure(() => replay(fp.engine, name));
        console.log(`  ${name.padEnd(7)} ${String(f.count).padStart(4)} functions, ${(f.bytes / 1024).toFixed(1)} KiB; largest: ${f.top.slice(0, 4).map(([n, fn]) => `${fn.replace(/\(anonymous namespace\)::/g, '').replace(/\(.*$/, '')} ${n}`).join(', ')}`);
      }
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

await main();
