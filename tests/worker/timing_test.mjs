// Deadlines and Server-Timing through the real core in workerd (the wardrobe's module):
//  - SQL_TIMEOUT_MS: a read blocked in Postgres (another session holds an exclusive lock on
//    its table) is answered 504 `timeout` within the deadline, the shim's AbortSignal drops the
//    /sql request and the gateway cancels the backend query;
//  - SERVER_TIMING=true: `Server-Timing: db;dur=…, cache;desc=…, auth;dur=…` on every response,
//    miss then hit for a cached read, bypass for a write and with CACHE_DISABLED=true; absent
//    by default.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startWorkerHost } from './scenario_host.mjs';

const DEADLINE_MS = 1500;
let timed; // SERVER_TIMING=true, SQL_TIMEOUT_MS=1500
let uncached; // SERVER_TIMING=true, CACHE_DISABLED=true
let plain; // defaults

const base = { bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE, log: () => {} };
before(async () => {
  [timed, uncached, plain] = await Promise.all([
    startWorkerHost({ ...base, extraBindings: { SERVER_TIMING: 'true', SQL_TIMEOUT_MS: String(DEADLINE_MS) } }),
    startWorkerHost({ ...base, extraBindings: { SERVER_TIMING: 'true', CACHE_DISABLED: 'true' } }),
    startWorkerHost(base),
  ]);
}, { timeout: 240_000 });
after(async () => { await timed?.stop(); await uncached?.stop(); await plain?.stop(); });

async function call(h, user, method, path, json) {
  const target = await h.targetFor({});
  const token = target.mint({ sub: `${h.runId}-${user}` }, () => '');
  const res = await fetch(`${target.baseUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, body: await res.text(), timing: res.headers.get('server-timing') };
}

const SHAPE = /^db;dur=(\d+), cache;desc=(hit|miss|stale|bypass), auth;dur=(\d+)$/;
function cacheOf(r) {
  const m = SHAPE.exec(r.timing ?? '');
  assert.ok(m, `Server-Timing: ${r.timing}`);
  return m[2];
}
const item = { name: 'timed', size: 'M', type: 'shirt', color: 'blue', imageUrl: 'https://img.example.com/t.png' };

test('Server-Timing: miss, then hit, bypass for a write, miss after it', async () => {
  const miss = await call(timed, 'st', 'GET', '/api/wardrobe/total-items');
  assert.equal(miss.status, 200, miss.body);
  assert.equal(cacheOf(miss), 'miss');
  assert.equal(cacheOf(await call(timed, 'st', 'GET', '/api/wardrobe/total-items')), 'hit');
  const write = await call(timed, 'st', 'POST', '/api/wardrobe', item);
  assert.equal(write.status, 201, write.body);
  assert.equal(cacheOf(write), 'bypass');
  assert.equal(cacheOf(await call(timed, 'st', 'GET', '/api/wardrobe/total-items')), 'miss');
  assert.equal(cacheOf(await call(timed, 'st', 'GET', '/healthz')), 'bypass');
});

test('Server-Timing with the cache off: every read bypasses it', async () => {
  for (let i = 0; i < 2; i++) {
    const r = await call(uncached, 'off', 'GET', '/api/wardrobe/total-items');
    assert.equal(r.status, 200, r.body);
    assert.equal(cacheOf(r), 'bypass');
  }
});

test('Server-Timing is absent by default', async () => {
  const r = await call(plain, 'none', 'GET', '/api/wardrobe/total-items');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.timing, null);
});

/** Active queries of the database waiting on a lock. */
async function lockWaiters(client) {
  const r = await client.query(
    "select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and wait_event_type = 'Lock'");
  return r.rows[0].n;
}

test('a read blocked in Postgres answers 504 within SQL_TIMEOUT_MS and its backend query is cancelled', async () => {
  const locker = new pg.Client({ connectionString: timed.databaseUrl });
  const watcher = new pg.Client({ connectionString: timed.databaseUrl });
  await locker.connect();
  await watcher.connect();
  try {
    await locker.query('begin');
    await locker.query('lock table items in access exclusive mode');
    const started = Date.now();
    const pending = call(timed, 'slow', 'GET', '/api/wardrobe');
    let blocked = false;
    for (let i = 0; i < 20 && !blocked; i++) {
      blocked = (await lockWaiters(watcher)) === 1;
      if (!blocked) await new Promise((r) => setTimeout(r, 50));
    }
    const r = await pending;
    const elapsed = Date.now() - started;
    assert.ok(blocked, 'the read never reached Postgres');
    assert.equal(r.status, 504, r.body);
    assert.deepEqual(JSON.parse(r.body), { error: { code: 'timeout', message: 'the database did not answer in time' } });
    assert.ok(elapsed >= DEADLINE_MS - 50 && elapsed < DEADLINE_MS + 1500, `answered after ${elapsed} ms`);
    // Still locked: the query leaves pg_stat_activity only if the gateway cancelled it.
    let waiting = 1;
    for (let i = 0; i < 60 && waiting !== 0; i++) {
      waiting = await lockWaiters(watcher);
      if (waiting !== 0) await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(waiting, 0, 'the backend query still runs after the 504');
  } finally {
    await locker.query('rollback').catch(() => {});
    await locker.end();
    await watcher.end();
  }
});
