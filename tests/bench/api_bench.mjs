#!/usr/bin/env node
// API benchmark: `edgefn serve` vs the reference app (Hono + drizzle-orm/neon-http +
// @neondatabase/serverless on Node, tests/bench/reference/app.mjs), both started here against
// the same gateway + Postgres and the same seed data. Prints figures, asserts nothing.
//
//   node tests/bench/api_bench.mjs --edgefn BIN --env-file FIXTURE_ENV
//        [--seconds 5] [--concurrency 16] [--only edgefn|reference]
//
// Workloads (fixed concurrency, ~`seconds` each, after a short warm-up): list (GET
// /api/wardrobe, 100 items), create (POST), total (GET /api/wardrobe/total-items), delete
// (DELETE /api/wardrobe/:id of pre-seeded rows). Per server and workload: requests/s and the
// server process's CPU time per request (lib.mjs cpuReader, before/after; the gateway's and
// Postgres's CPU are not counted, for either side). Then per workload and overall
// (geometric mean): `ratio edgefn/reference rps_per_cpu_second=…x (target >= 3x)`.
// Total time stays under ~90 s: setup ≈ 5-10 s, then 2 servers × 4 workloads × (seconds + 0.5 s).
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, createPublicKey, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { freePort } from '../scenarios/lib/stack.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuReader, devToken, request as httpRequest } from './lib.mjs';

const HERE = dirname(new URL(import.meta.url).pathname);
const started = Date.now();
const { values: opt } = parseArgs({
  options: {
    edgefn: { type: 'string' }, 'env-file': { type: 'string' }, seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' }, only: { type: 'string' },
  },
});
const SECONDS = Number(opt.seconds);
const CONC = Number(opt.concurrency);
const WARMUP_MS = 500;
const BUDGET_MS = 85_000;
const log = (m) => console.log(m);
const serverCpu = cpuReader();

const envFile = opt['env-file'] ?? process.env.EDGEFN_TEST_ENV_FILE;
if (!envFile || !existsSync(envFile)) { console.error('usage: api_bench.mjs --edgefn BIN --env-file FIXTURE_ENV'); process.exit(2); }
const env = Object.fromEntries(readFileSync(envFile, 'utf8').split('\n').filter((l) => l.includes('='))
  .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]));
const bin = opt.edgefn ?? process.env.EDGEFN_BIN;

const pgConf = (database) => ({
  host: env.EDGEFN_TEST_PG_HOST, port: Number(env.EDGEFN_TEST_PG_PORT), user: env.EDGEFN_TEST_PG_USER,
  password: env.EDGEFN_TEST_PG_PASSWORD, database,
});
const ITEMS_SQL = `CREATE TABLE IF NOT EXISTS "items" ("id" serial PRIMARY KEY NOT NULL, "user_id" text NOT NULL,
  "name" varchar(256), "size" varchar(256), "type" varchar(256), "color" varchar(256), "created_at" timestamp DEFAULT now(),
  "image_url" text NOT NULL); CREATE INDEX IF NOT EXISTS "name_idx" ON "items" USING btree ("user_id");`;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONC * 2 });
const request = (base, method, path, token, body) => httpRequest(agent, base, method, path, token, body).then((r) => r.status);

async function waitHealthy(base, proc, logFile) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`exited (${proc.exitCode ?? proc.signalCode}): ${readFileSync(logFile, 'utf8').slice(-500).trim()}`);
    }
    const st = await new Promise((r) => {
      const req = http.get(`${base}/healthz`, { agent: false }, (res) => { res.resume(); res.on('end', () => r(res.statusCode)); });
      req.on('error', () => r(0));
    });
    if (st === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no 200 from /healthz within 20 s');
}

async function startServer(name, cmd, args, extraEnv, workDir) {
  const port = await freePort();
  const logFile = join(workDir, `${name}.log`);
  const out = createWriteStream(logFile);
  const proc = spawn(cmd, args.map((a) => a.replace('$PORT', String(port))), {
    env: { ...process.env, ...extraEnv, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.pipe(out);
  proc.stderr.pipe(out);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };
  try { await waitHealthy(base, proc, logFile); } catch (e) { await stop(); throw e; }
  return { name, base, pid: proc.pid, stop };
}

/** Runs `next()` -> [method, path, body, expectedStatus] at CONC for `ms`; returns figures. */
async function drive(server, token, next, ms) {
  let ok = 0, bad = 0, stop = false, exhausted = false;
  const statuses = {};
  const worker = async () => {
    while (!stop) {
      const r = next();
      if (!r) { exhausted = true; return; }
      const [method, path, body, want] = r;
      const st = await request(server.base, method, path, token, body);
      if (st === want) ok++;
      else { bad++; statuses[st] = (statuses[st] ?? 0) + 1; }
    }
  };
  const c0 = serverCpu.us(server.pid);
  const t0 = process.hrtime.bigint();
  const timer = setTimeout(() => { stop = true; }, ms);
  await Promise.all(Array.from({ length: CONC }, worker));
  clearTimeout(timer);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = (serverCpu.us(server.pid) - c0) / 1e6;
  const n = ok + bad;
  return { ok, bad, statuses, secs, cpu, rps: ok / secs, cpuMsPerReq: n ? (cpu * 1000) / n : NaN, rpsPerCpu: cpu > 0 ? ok / cpu : NaN, exhausted };
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'edgefn-api-bench-'));
  const imagesDir = join(workDir, 'images');
  mkdirSync(imagesDir);
  const dbName = `edgefn_bench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const admin = new pg.Client(pgConf(env.EDGEFN_TEST_PG_DATABASE));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const stops = [];
  const secret = randomBytes(32).toString('base64url');
  try {
    // Schema: `edgefn migrate`, else plain SQL.
    const m = bin ? spawnSync(bin, ['migrate', '--endpoint', env.NEON_FETCH_ENDPOINT], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT }, encoding: 'utf8', timeout: 30_000,
    }) : { status: -1, stderr: 'no --edgefn' };
    const db = new pg.Client(pgConf(dbName));
    await db.connect();
    if (m.status !== 0) {
      log(`note: edgefn migrate failed (${m.status}): ${(m.stderr || '').trim().slice(0, 200)}; created the table with plain SQL`);
      await db.query(ITEMS_SQL);
    }
    // Seed: 100 items for the list/total user; rows to delete per server.
    const seedItems = (user, n) => db.query(
      `INSERT INTO items (user_id, name, size, type, color, image_url)
       SELECT $1, 'item ' || g, 'M', 'shirt', 'blue', 'https://img.example.com/bench/' || g || '.png' FROM generate_series(1, $2) g RETURNING id`,
      [user, n]);
    await seedItems('bench-reader', 100);
    const deleteIds = {};
    const servers = [];
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwks = { keys: [{ ...createPublicKey(rsa.privateKey).export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' }] };
    const common = { DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT, AUTH_DEV_SECRET: secret, IMAGES_DIR: imagesDir };
    const which = opt.only ? [opt.only] : ['edgefn', 'reference'];
    for (const name of which) {
      try {
        const s = name === 'edgefn'
          ? await startServer('edgefn', bin, ['serve', '--port', '$PORT', '--host', '127.0.0.1'], { ...common, AUTH_JWKS: JSON.stringify(jwks) }, workDir)
          : await startServer('reference', process.execPath, [join(HERE, 'reference/app.mjs')], common, workDir);
        stops.push(s.stop);
        servers.push(s);
        deleteIds[name] = (await seedItems(`bench-delete-${name}`, 60_000)).rows.map((r) => r.id);
      } catch (e) {
        log(`${name}: unavailable (${e.message.split('\n')[0]})`);
      }
    }
    await db.end();
    log(`api_bench: concurrency=${CONC} seconds=${SECONDS} server CPU from ${serverCpu.source}`);

    const results = {};
    const workloads = ['list', 'create', 'total', 'delete'];
    for (const s of servers) {
      results[s.name] = {};
      const reader = devToken(secret, 'bench-reader');
      const creator = devToken(secret, `bench-create-${s.name}`);
      const deleter = devToken(secret, `bench-delete-${s.name}`);
      for (const w of workloads) {
        const remaining = BUDGET_MS - (Date.now() - started);
        const ms = Math.min(SECONDS * 1000, Math.max(0, remaining / 2));
        if (ms < 500) { log(`${s.name} ${w}: skipped (time budget)`); continue; }
        let i = 0;
        const ids = deleteIds[s.name];
        const next = {
          list: () => ['GET', '/api/wardrobe', null, 200],
          total: () => ['GET', '/api/wardrobe/total-items', null, 200],
          create: () => ['POST', '/api/wardrobe', JSON.stringify({ name: `bench ${i++}`, size: 'M', type: 'shirt', color: 'blue', imageUrl: `https://img.example.com/bench/c${i}.png` }), 201],
          delete: () => (i < ids.length ? ['DELETE', `/api/wardrobe/${ids[i++]}`, null, 200] : null),
        }[w];
        const token = w === 'create' ? creator : w === 'delete' ? deleter : reader;
        await drive(s, token, next, Math.min(WARMUP_MS, ms / 4)); // warm-up (not counted)
        const r = await drive(s, token, next, ms);
        results[s.name][w] = r;
        log(`${s.name.padEnd(9)} ${w.padEnd(6)} rps=${r.rps.toFixed(0)} cpu_ms_per_req=${r.cpuMsPerReq.toFixed(3)} rps_per_cpu_second=${r.rpsPerCpu.toFixed(0)} ok=${r.ok} errors=${r.bad}${r.bad ? ` ${JSON.stringify(r.statuses)}` : ''}${r.exhausted ? ' (ran out of rows)' : ''}`);
      }
    }
    const e = results.edgefn, ref = results.reference;
    if (e && ref) {
      const ratios = [];
      for (const w of workloads) {
        if (!e[w] || !ref[w]) continue;
        const cpuRatio = e[w].rpsPerCpu / ref[w].rpsPerCpu;
        const rpsRatio = e[w].rps / ref[w].rps;
        if (Number.isFinite(cpuRatio) && cpuRatio > 0 && e[w].ok > 0) ratios.push(cpuRatio);
        log(`ratio edgefn/reference ${w}: rps=${rpsRatio.toFixed(2)}x rps_per_cpu_second=${cpuRatio.toFixed(2)}x (target >= 3x)${e[w].bad ? ' [edgefn had errors]' : ''}`);
      }
      if (ratios.length) {
        const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
        log(`ratio edgefn/reference rps_per_cpu_second=${geo.toFixed(2)}x (target >= 3x) [geometric mean over ${ratios.length} workloads]`);
      }
    } else {
      log('ratio edgefn/reference: not available (one of the servers did not start)');
    }
  } finally {
    for (const s of stops.reverse()) await s().catch(() => {});
    agent.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    rmSync(workDir, { recursive: true, force: true });
    log(`api_bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

await main();
