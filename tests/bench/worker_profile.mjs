#!/usr/bin/env node
// Where a Worker's CPU goes in workerd (issue 9: measure in workerd, not in node). One Worker,
// edgefn's bundle as `wrangler deploy` builds it, the Hono + drizzle-orm peer or the floor (see
// worker_bench.mjs), runs in miniflare against the test gateway + Postgres; after a warm-up, N
// requests of one route are profiled. Prints; asserts nothing. Not part of `make test`.
//
//   node tests/bench/worker_profile.mjs --edgefn WARDROBE_BIN --env-file FIXTURE_ENV
//        [--worker edgefn|peer|floor|/abs/bundle/dir] [--route list|total|get|update] [--n 3000]
//        [--mode perf|cpu] [--minify] [--wasm W.wasm] [--names NAMED.wasm] [--top 40]
//   --worker /abs/dir: a bundle directory already built (its index.js and any .wasm), e.g. a
//   patched copy of `wrangler deploy --dry-run --outdir` for a what-if; EDGEFN_PROFILE_PERF_DATA
//   keeps perf's data file there (perf report -i FILE).
//
// --mode perf (default): `perf record` of the workerd process. Prints the CPU per request and
//   its split by shared object (workerd's C++, the kernel, "[JIT]" = JS and wasm together: no
//   V8 flag reaches workerd through miniflare, so JIT code has no symbols), then the top
//   symbols. Two runs (edgefn and floor) show what edgefn adds; it was spread over hundreds of
//   workerd symbols (API objects' lifetimes, allocation), not one hot spot.
// --mode cpu: the V8 inspector's sampling profiler, self and total time per JS function and per
//   wasm function (named from --names: `EDGEFN_WASM_SIZE_KEEP=NAMED.wasm scripts/wasm-size.sh`).
//   It slows wasm several fold (2026-11-30, `total`: wasm 138 µs per request under it, all JIT
//   code 44 µs under perf): its wasm figures are relative, not absolute.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { Log, LogLevel, Miniflare } from 'miniflare';
import pg from 'pg';
import { FLOOR_SQL, cpuReader, devToken, inspectorSession, request, seedItems, workerdPids } from './lib.mjs';

const HERE = dirname(new URL(import.meta.url).pathname);
const SOURCE_DIR = resolvePath(HERE, '../..');
/** The routes profiled (reads and update: repeatable on the same 100 rows). */
const ROUTES = ['list', 'total', 'get', 'update'];
const { values: opt } = parseArgs({
  options: {
    edgefn: { type: 'string' }, 'env-file': { type: 'string' }, worker: { type: 'string', default: 'edgefn' },
    route: { type: 'string', default: 'total' }, n: { type: 'string', default: '3000' }, mode: { type: 'string', default: 'perf' },
    minify: { type: 'boolean', default: false }, wasm: { type: 'string' }, names: { type: 'string' }, top: { type: 'string', default: '40' },
  },
});
if (!ROUTES.includes(opt.route)) {
  console.log(`worker_profile: --route: one of ${ROUTES.join(', ')}`);
  process.exit(2);
}
const N = Number(opt.n);
const cpu = cpuReader();
const TOP = Number(opt.top);
const WARMUP = 600;
const env = Object.fromEntries(readFileSync(opt['env-file'], 'utf8').split('\n').filter((l) => l.includes('='))
  .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]));
const pgConf = (database) => ({
  host: env.EDGEFN_TEST_PG_HOST, port: Number(env.EDGEFN_TEST_PG_PORT), user: env.EDGEFN_TEST_PG_USER,
  password: env.EDGEFN_TEST_PG_PASSWORD, database,
});
const APP_DIR = join(SOURCE_DIR, 'apps/wardrobe');
const COMPAT = readFileSync(join(APP_DIR, 'wrangler.toml'), 'utf8').match(/^compatibility_date\s*=\s*"([^"]+)"/m)[1];

/** The Worker's bundle directory: wrangler's dry run (edgefn, peer) or the floor's source. */
function bundle(workDir) {
  if (opt.worker === 'floor') return { dir: join(HERE, 'workers'), entry: 'floor.mjs' };
  if (opt.worker.startsWith('/')) return { dir: opt.worker, entry: 'index.js' };
  if (opt.worker !== 'edgefn' && opt.worker !== 'peer') throw new Error('--worker: edgefn, peer, floor or an absolute bundle directory');
  let cwd = APP_DIR;
  if (opt.worker === 'peer') {
    cwd = join(workDir, 'peer');
    spawnSync('mkdir', ['-p', cwd]);
    writeFileSync(join(cwd, 'wrangler.toml'), `name = "edgefn-reference"\nmain = "${join(HERE, 'reference/worker.mjs')}"\n` +
      `compatibility_date = "${COMPAT}"\nminify = true\nkeep_names = false\n`);
  }
  const out = join(workDir, 'bundle');
  const wasm = resolvePath(opt.wasm ?? join(SOURCE_DIR, 'build/wasm/apps/wardrobe/wardrobe.wasm'));
  const r = spawnSync(join(SOURCE_DIR, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', `--minify=${opt.minify}`, '--outdir', out], {
    cwd, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, EDGEFN_WASM: wasm, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_UPDATE_NOTIFIER: '1', WRANGLER_LOG_PATH: workDir },
  });
  if (r.status !== 0) throw new Error(`wrangler failed: ${(r.stdout + r.stderr).slice(-800)}`);
  return { dir: out, entry: readdirSync(out).find((f) => f.endsWith('.js')) };
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Function names of a wasm module's name section (index -> name). */
function wasmNames(file) {
  const names = new Map();
  if (!file) return names;
  const b = readFileSync(file);
  let p = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = b[p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
  while (p < b.length) {
    const id = b[p++], end = leb() + p;
    if (id === 0) {
      const nameLen = leb();
      const section = b.subarray(p, p + nameLen).toString();
      p += nameLen;
      while (section === 'name' && p < end) {
        const sub = b[p++], subEnd = leb() + p;
        if (sub === 1) for (let i = leb(); i > 0; i--) { const idx = leb(), l = leb(); names.set(idx, b.subarray(p, p + l).toString()); p += l; }
        p = subEnd;
      }
    }
    p = end;
  }
  return names;
}

/** Prints a V8 CPU profile's self and total time per function, µs per request. */
function printCpuProfile(profile, names) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = ({ functionName: f, url, lineNumber }) => {
    const w = f.match(/^wasm-function\[(\d+)\]$/);
    if (w) return `wasm ${(names.get(Number(w[1])) ?? f).replace(/edgefn::/g, '').slice(0, 120)}`;
    return url ? `${f || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}` : f || '(native)';
  };
  const self = new Map(), total = new Map();
  for (const s of profile.samples) {
    const own = label(nodes.get(s).callFrame);
    self.set(own, (self.get(own) ?? 0) + 1);
    const seen = new Set();
    for (let c = s; c !== undefined; c = parent.get(c)) {
      const k = label(nodes.get(c).callFrame);
      if (!seen.has(k)) { seen.add(k); total.set(k, (total.get(k) ?? 0) + 1); }
    }
  }
  const perRequest = (count) => ((count / profile.samples.length) * (profile.endTime - profile.startTime) / N).toFixed(1).padStart(7);
  for (const [title, m] of [['self', self], ['total', total]]) {
    console.log(`${title}, µs per request (wall time while profiled):`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${perRequest(v)}  ${k}`);
  }
}

/** Runs `count` requests of the route at concurrency 4; returns the non-2xx count. */
async function drive(w, count) {
  let i = 0, bad = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (i < count) {
      const [method, path, token, body] = w.next(i++);
      const r = await request(w.agent, w.url, method, path, token, body);
      if (r.status < 200 || r.status > 299) bad++;
    }
  }));
  return bad;
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'edgefn-worker-profile-'));
  const dbName = `edgefn_wprof_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const admin = new pg.Client(pgConf(env.EDGEFN_TEST_PG_DATABASE));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  let mf = null;
  try {
    const dbUrl = new URL(env.DATABASE_URL);
    dbUrl.pathname = `/${dbName}`;
    const databaseUrl = dbUrl.toString();
    const m = spawnSync(opt.edgefn, ['migrate', '--endpoint', env.NEON_FETCH_ENDPOINT], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT }, encoding: 'utf8', timeout: 30_000,
    });
    if (m.status !== 0) throw new Error(`edgefn migrate failed: ${m.stderr}`);
    const db = new pg.Client(pgConf(dbName));
    await db.connect();
    const reader = 'wprof-reader';
    const ids = await seedItems(db, reader, 100);
    await db.end();

    const b = bundle(workDir);
    const floor = opt.worker === 'floor';
    const secret = randomBytes(32).toString('base64url');
    const inspectorPort = opt.mode === 'cpu' ? await freePort() : undefined;
    mf = new Miniflare({
      scriptPath: join(b.dir, b.entry), modules: true, modulesRoot: b.dir,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'], fallthrough: false }],
      compatibilityDate: COMPAT, r2Buckets: floor ? [] : ['IMAGES'], cf: false, host: '127.0.0.1', port: 0, inspectorPort,
      bindings: { DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT, ...(floor ? {} : { AUTH_DEV_SECRET: secret, CACHE_DISABLED: 'true' }) },
      log: new Log(LogLevel.WARN),
    });
    const url = (await mf.ready).toString().replace(/\/$/, '');
    const [pid, ...others] = workerdPids();
    if (pid === undefined || others.length) throw new Error(`expected one workerd of this process, found ${others.length + (pid ? 1 : 0)}`);
    const token = devToken(secret, reader);
    const route = opt.route;
    const next = floor
      ? (i) => ['POST', '/', null, JSON.stringify(FLOOR_SQL[route](reader, ids[i % 100], i))]
      : (i) => ({
        list: ['GET', '/api/wardrobe', token, null], total: ['GET', '/api/wardrobe/total-items', token, null],
        get: ['GET', `/api/wardrobe/${ids[i % 100]}`, token, null],
        update: ['PUT', `/api/wardrobe/${ids[i % 100]}`, token, JSON.stringify({ name: `renamed ${i}` })],
      })[route];
    const w = { url, next, agent: new http.Agent({ keepAlive: true, maxSockets: 8 }) };
    const warmBad = await drive(w, WARMUP);
    if (warmBad) throw new Error(`${warmBad} of ${WARMUP} warm-up requests failed`);
    console.log(`worker_profile: ${opt.worker} ${route}, ${N} requests after ${WARMUP}, mode ${opt.mode}; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);

    if (opt.mode === 'cpu') {
      const inspector = await inspectorSession(inspectorPort);
      await inspector.call('Profiler.enable');
      await inspector.call('Profiler.setSamplingInterval', { interval: 25 });
      await inspector.call('Profiler.start');
      const c0 = cpu.us(pid);
      const bad = await drive(w, N);
      const c1 = cpu.us(pid);
      const { profile } = await inspector.call('Profiler.stop');
      inspector.close();
      console.log(`workerd CPU per request while profiled: ${((c1 - c0) / N).toFixed(0)} µs${bad ? ` (${bad} failed)` : ''}`);
      printCpuProfile(profile, wasmNames(opt.names));
    } else {
      const data = process.env.EDGEFN_PROFILE_PERF_DATA ?? join(workDir, 'perf.data');
      const perf = spawn('perf', ['record', '-g', '-F', '4999', '-p', pid, '-o', data], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 500));
      const c0 = cpu.us(pid);
      const bad = await drive(w, N);
      const c1 = cpu.us(pid);
      perf.kill('SIGINT');
      await new Promise((r) => perf.on('exit', r));
      const us = (c1 - c0) / N;
      console.log(`workerd CPU per request while recorded: ${us.toFixed(0)} µs${bad ? ` (${bad} failed)` : ''}`);
      for (const sort of ['dso', 'sym']) {
        const r = spawnSync('perf', ['report', '-i', data, '--no-children', '--sort', sort, '-g', 'none'], { encoding: 'utf8', maxBuffer: 64 << 20 });
        const lines = r.stdout.split('\n').filter((l) => /^\s+[\d.]+%/.test(l)).slice(0, sort === 'dso' ? 8 : TOP);
        console.log(`by ${sort === 'dso' ? 'shared object' : 'symbol'}, µs per request:`);
        for (const l of lines) {
          const [, pct, rest] = l.match(/^\s+([\d.]+)%\s+(.*)$/);
          console.log(`${(Number(pct) * us / 100).toFixed(1).padStart(7)}  ${rest.replace(/\s+/g, ' ').slice(0, 140)}`);
        }
      }
    }
    w.agent.destroy();
  } finally {
    if (mf) await mf.dispose().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main().catch((e) => { console.log(`worker_profile: FAILED: ${e?.stack ?? e}`); process.exitCode = 1; });
process.exit();
