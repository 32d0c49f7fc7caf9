// The fault scenario (issue 10, "Done when"): clients create items with Idempotency-Key and
// read lists while the harness stops and restarts Postgres (pg_ctl -m fast, then -m immediate)
// and kills and restarts the gateway (SIGKILL, then SIGTERM). Then it counts responses against
// committed rows:
//   - no 500 ever; every failure is a 503 with Retry-After (or a 504 timeout, or the 409 +
//     Retry-After of a key whose first attempt is still in flight);
//   - every committed row got a success, or is what a retry with its Idempotency-Key returned
//     (same id); no key has two rows.
// The host runs against its OWN Postgres cluster and gateway (test_env.sh start in a temporary
// state dir), never the shared `db` fixture, so parallel tests are not disturbed.
// EDGEFN_FAULT_HOST: native (`<app> serve`, default) or worker (the module in workerd).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { send, closeAgent } from '../scenarios/lib/http.mjs';
import { migrate, readEnvFile, testEnv } from '../scenarios/lib/stack.mjs';
import { startServe } from '../scenarios/harness.mjs';

const HOST = process.env.EDGEFN_FAULT_HOST ?? 'native';
const BIN = process.env.EDGEFN_BIN;
const APP_BIN = process.env.EDGEFN_APP_BIN;
const CLIENTS = 6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function b64url(x) { return Buffer.from(x).toString('base64url'); }
function devToken(secret, sub) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + 3600 }));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The gateway of the private stack: killed and restarted on its port. */
function gatewayControl(env, workDir) {
  const port = new URL(env.NEON_FETCH_ENDPOINT).port;
  let pid = Number(env.EDGEFN_TEST_GATEWAY_PID);
  let child = null;
  let restarts = 0;
  return {
    kill(signal) {
      if (child) child.kill(signal); else process.kill(pid, signal);
    },
    async start() {
      restarts += 1;
      child = spawn(BIN, ['gateway', '--listen', `127.0.0.1:${port}`, '--pg-host', '127.0.0.1', '--pg-port', env.EDGEFN_TEST_PG_PORT],
        { stdio: 'ignore' });
      pid = child.pid;
      for (let i = 0; i < 100; i += 1) {
        try { await send({ url: `http://127.0.0.1:${port}/`, fresh: true, timeoutMs: 500 }); return; } catch { await sleep(50); }
      }
      throw new Error('the restarted gateway does not listen');
    },
    stop() { if (child && child.exitCode === null) child.kill('SIGTERM'); },
    get restarts() { return restarts; },
  };
}

async function startHost(bindings, workDir) {
  if (HOST === 'worker') {
    const { startWorker } = await import('../worker/worker_host.mjs');
    const w = await startWorker({ bindings, wasm: 'wardrobe.wasm', r2: false });
    return { baseUrl: w.url, stop: w.stop };
  }
  const s = await startServe(APP_BIN, bindings, workDir, 'fault-serve');
  return { baseUrl: s.baseUrl, stop: s.stop };
}

/** The outcome tally and the rule every answer must keep. */
function makeTally() {
  const t = { requests: 0, ok: 0, replayed: 0, recovered: 0, s503: 0, s504: 0, s409: 0, violations: [] };
  t.timeline = [];  // [ms, status] of every answer, to see how fast each restart recovers
  t.check = (what, r) => {
    t.requests += 1;
    t.timeline.push([Date.now(), r.status]);
    if (r.status === 200 || r.status === 201) {
      t.ok += 1;
      if (r.headers['idempotent-replayed'] === 'true') t.replayed += 1;
      return 'ok';
    }
    const retryAfter = /^\d+$/.test(r.headers['retry-after'] ?? '');
    if (r.status === 503 && retryAfter && r.json?.error?.code === 'service_unavailable') { t.s503 += 1; return 'retry'; }
    if (r.status === 504 && r.json?.error?.code === 'timeout') { t.s504 += 1; return 'retry'; }
    if (r.status === 409 && retryAfter && what === 'create') { t.s409 += 1; return 'retry'; }
    t.violations.push(`${what}: ${r.status} ${JSON.stringify(r.headers['retry-after'])} ${r.text.slice(0, 200)}`);
    return 'bad';
  };
  return t;
}

/** One client: creates items under fresh keys, retrying pending ones with the same key. */
async function client(i, ctx) {
  const { baseUrl, token, tally, until, keys } = ctx;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const pending = [];
  let n = 0;
  const create = async (key) => {
    const body = Buffer.from(JSON.stringify({ name: key, imageUrl: 'https://img.example.com/fault.png' }));
    let r;
    try {
      r = await send({ url: `${baseUrl}/api/wardrobe`, method: 'POST', headers: { ...headers, 'idempotency-key': key }, body, timeoutMs: 20000 });
    } catch (e) {
      tally.violations.push(`create ${key}: no response (${e.message})`);
      return false;
    }
    const verdict = tally.check('create', r);
    if (verdict === 'retry') ctx.failed.add(key);
    // A key that failed before and is now replayed: its write had committed while its client
    // got an error (the case issue 10 counted 4-6 of per restart).
    if (verdict === 'ok' && ctx.failed.has(key) && r.headers['idempotent-replayed'] === 'true') tally.recovered += 1;
    if (verdict === 'ok') {
      const prior = keys.get(key);
      if (prior !== null && prior !== undefined && prior !== r.json.id) tally.violations.push(`key ${key}: ids ${prior} then ${r.json.id}`);
      keys.set(key, r.json.id);
      return true;
    }
    return verdict === 'bad';  // a violation is recorded; do not retry it forever
  };
  while (Date.now() < until()) {
    // Every 5th round re-sends a key that already succeeded, as a client that lost the answer
    // would: it must replay the same row, never write a second one.
    const done = [...keys].filter(([k, id]) => id !== null && k.startsWith(`${ctx.runId}-u${i}-`));
    if (n % 5 === 4 && done.length) {
      const [key, id] = done[done.length - 1];
      n += 1;
      if (await create(key)) ctx.resent.push([key, id]);
      continue;
    }
    const key = pending.length && n % 2 ? pending.shift() : `${ctx.runId}-u${i}-k${n}`;
    if (!keys.has(key)) keys.set(key, null);
    n += 1;
    if (!(await create(key))) pending.push(key);
    const path = n % 3 ? '/api/wardrobe?limit=5' : '/api/wardrobe/total-items';
    try {
      tally.check('read', await send({ url: `${baseUrl}${path}`, headers, timeoutMs: 20000 }));
    } catch (e) { tally.violations.push(`read: no response (${e.message})`); }
    await sleep(20);
  }
  // Faults are over: every pending key is retried (same key, same body) until it succeeds.
  const settle = Date.now() + 20000;
  while (pending.length && Date.now() < settle) {
    const key = pending.shift();
    if (!(await create(key))) { pending.push(key); await sleep(200); }
  }
  return pending;
}

test(`fault scenario (${HOST}): Postgres and the gateway restarted under load`, { timeout: 110000 }, async () => {
  assert.ok(BIN && APP_BIN, 'EDGEFN_BIN and EDGEFN_APP_BIN are set by ctest');
  const workDir = mkdtempSync(join(tmpdir(), 'edgefn-fault-'));
  const state = join(workDir, 'db');
  let host;
  let gateway;
  try {
    // Acknowledged commits must survive `pg_ctl stop -m immediate` (as on Neon): without
    // this the test cluster's synchronous_commit=off loses the last few.
    process.env.EDGEFN_TEST_PG_DURABLE = '1';
    testEnv('start', state, BIN);
    const env = readEnvFile(join(state, 'env'));
    gateway = gatewayControl(env, workDir);
    const note = await migrate(APP_BIN, env, env.DATABASE_URL, env.EDGEFN_TEST_PG_DATABASE, console.log);
    assert.equal(note, null, 'migrate');
    const secret = randomBytes(16).toString('hex');
    host = await startHost({ DATABASE_URL: env.DATABASE_URL, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT,
      AUTH_DEV_SECRET: secret, AUTH_JWKS: '', AUTH_JWKS_URL: '', AUTH_ISSUER: '', AUTH_AUDIENCE: '', SQL_TIMEOUT_MS: '8000' }, workDir);

    const runId = `fault${Date.now().toString(36)}`;
    const tally = makeTally();
    const keys = new Map();
    const resent = [];
    let loadEnds = Date.now() + 60000;
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i, {
      baseUrl: host.baseUrl, token: devToken(secret, `${runId}-u${i}`), tally, keys, resent, failed: new Set(), runId, until: () => loadEnds,
    }));

    const faults = [];
    const t0 = Date.now();
    const events = [];  // [ms, 'down' | 'up']
    const at = (what, kind) => {
      events.push([Date.now(), kind]);
      faults.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
    };
    await sleep(2000);
    at('pg stop -m fast', 'down'); testEnv('pg-stop', state, 'fast');
    await sleep(1500);
    testEnv('pg-start', state); at('pg started', 'up');
    await sleep(2000);
    at('gateway SIGKILL', 'down'); gateway.kill('SIGKILL');
    await sleep(1000);
    await gateway.start(); at('gateway restarted', 'up');
    await sleep(2000);
    at('pg stop -m immediate', 'down'); testEnv('pg-stop', state, 'immediate');
    await sleep(1500);
    testEnv('pg-start', state); at('pg started', 'up');
    await sleep(2000);
    at('gateway SIGTERM', 'down'); gateway.kill('SIGTERM');
    await sleep(500);
    await gateway.start(); at('gateway restarted', 'up');
    await sleep(2500);
    loadEnds = Date.now();
    events.push([loadEnds, 'down']);
    const unresolved = (await Promise.all(clients)).flat();

    const c = new pg.Client({ host: env.EDGEFN_TEST_PG_HOST, port: Number(env.EDGEFN_TEST_PG_PORT), user: env.EDGEFN_TEST_PG_USER,
      password: env.EDGEFN_TEST_PG_PASSWORD, database: env.EDGEFN_TEST_PG_DATABASE });
    await c.connect();
    let rows;
    try { rows = (await c.query('select id, name from items where user_id like $1', [`${runId}-%`])).rows; } finally { await c.end(); }

    const byKey = new Map();
    for (const r of rows) byKey.set(r.name, [...(byKey.get(r.name) ?? []), r.id]);
    const duplicates = [...byKey].filter(([, ids]) => ids.length > 1);
    const orphans = rows.filter((r) => keys.get(r.name) !== r.id);
    const lost = [...keys].filter(([k, id]) => id !== null && !byKey.has(k));
    // Recovery: from 2 s after each restart until the next fault, every answer succeeds (the
    // gateway reconnects to a restarted Postgres, the host to a restarted gateway).
    const healthy = [];
    for (let e = 0; e + 1 < events.length; e += 1) {
      if (events[e][1] === 'up') healthy.push([events[e][0] + 2000, events[e + 1][0]]);
    }
    const lateFailures = tally.timeline.filter(([ms, st]) => st >= 300 && healthy.some(([a, b]) => ms >= a && ms < b));
    const { timeline, check, ...counts } = tally;
    const figures = { ...counts, violations: tally.violations.length, lateFailures: lateFailures.length, keys: keys.size, rows: rows.length, unresolved: unresolved.length,
      duplicates: duplicates.length, resent: resent.length, orphans: orphans.length, lost: lost.length, gatewayRestarts: gateway.restarts };
    console.log(`faults: ${faults.join(' | ')}`);
    // Per 500 ms from the first fault: answers ok/failed, to read the recovery after each restart.
    const buckets = new Map();
    for (const [ms, status] of tally.timeline) {
      const b = Math.floor((ms - t0) / 500);
      const e = buckets.get(b) ?? [0, 0];
      e[status < 300 ? 0 : 1] += 1;
      buckets.set(b, e);
    }
    console.log(`timeline (0.5 s: ok/failed): ${[...buckets].sort((a, b) => a[0] - b[0]).map(([b, [ok, bad]]) => `${(b / 2).toFixed(1)}:${ok}/${bad}`).join(' ')}`);
    console.log(`figures: ${JSON.stringify(figures)}`);
    assert.deepEqual(tally.violations.slice(0, 20), [], 'no 500, every failure a 503 + Retry-After (or 504 / 409 + Retry-After)');
    assert.deepEqual(unresolved, [], 'every key succeeded once the faults were over');
    assert.equal(lateFailures.length, 0, 'every restart recovered within 2 s');
    assert.deepEqual(duplicates, [], 'no key has two rows');
    assert.deepEqual(orphans.slice(0, 20), [], 'every committed row is the one its key answered');
    assert.deepEqual(lost, [], 'every success is a committed row');
    assert.ok(tally.s503 > 0, 'the faults were seen (503s)');
    assert.ok(resent.length > 0 && tally.replayed >= resent.length, `re-sent keys were replayed (${resent.length} re-sent, ${tally.replayed} replayed)`);
    assert.ok(rows.length > 50, `load ran (${rows.length} rows)`);
  } finally {
    closeAgent();
    if (host) await host.stop();
    if (gateway) gateway.stop();
    try { testEnv('stop', state); } catch (e) { console.log(`stop: ${e.message}`); }
    rmSync(workDir, { recursive: true, force: true });
  }
});
