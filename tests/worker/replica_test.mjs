// The read replica (DATABASE_URL_READ) on both hosts, against a real streaming replica: the
// harness starts its own primary and a standby made with `pg_basebackup -R` (own ports and data
// dirs, removed afterwards) replaying DELAY_MS behind (recovery_min_apply_delay), and a gateway
// that connects wherever each connection string points. `wardrobe serve` and the Worker (in
// workerd) each get DATABASE_URL (the primary) and DATABASE_URL_READ (the replica), with
// SERVER_TIMING on: its db entry names the database whose answers were used (primary or
// replica; none for a cache hit), and a replica answer discarded for being behind the bookmark
// leaves a "replica read retried on the primary" log line.
//
// Checked on each host: writes go to the primary; reads without a bookmark go to the replica
// and are stale within the delay; reads with a bookmark are never stale (a cached-pool read
// goes to the primary; the replica-safe GET /api/wardrobe/:id tries the replica, finds it
// behind and retries on the primary), and once the replica has replayed past the bookmark it
// answers them itself.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startServe } from '../scenarios/harness.mjs';
import { migrate, readEnvFile, testEnv } from '../scenarios/lib/stack.mjs';
import { makeKeys, mint } from '../scenarios/lib/tokens.mjs';
import { startWorker } from './worker_host.mjs';

const DELAY_MS = 4000;
let workDir;
let state;
let env;
let keys;
const hosts = {};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** One query on the replica directly (not through the hosts). */
async function onReplica(sql) {
  const c = new pg.Client({ host: '127.0.0.1', port: Number(env.EDGEFN_TEST_REPLICA_PORT), user: env.EDGEFN_TEST_PG_USER,
    password: env.EDGEFN_TEST_PG_PASSWORD, database: env.EDGEFN_TEST_PG_DATABASE });
  await c.connect();
  try { return (await c.query(sql)).rows; } finally { await c.end(); }
}

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'edgefn-replica-'));
  state = join(workDir, 'db');
  testEnv('start-replicated', state, process.env.EDGEFN_BIN, String(DELAY_MS));
  env = readEnvFile(join(state, 'env'));
  assert.ok(env.DATABASE_URL_READ && env.EDGEFN_TEST_REPLICA_PORT !== env.EDGEFN_TEST_PG_PORT, 'a replica on its own port');
  const note = await migrate(process.env.EDGEFN_APP_BIN, env, env.DATABASE_URL, env.EDGEFN_TEST_PG_DATABASE, () => {});
  assert.equal(note, null, note ?? '');
  assert.deepEqual(await onReplica('select pg_is_in_recovery() as r'), [{ r: true }], 'the replica is a standby');
  // The schema reaches the replica DELAY_MS after it was committed.
  await until('the schema on the replica', async () => (await onReplica("select to_regclass('items') as t"))[0].t !== null);
  keys = makeKeys();
  const bindings = {
    DATABASE_URL: env.DATABASE_URL, DATABASE_URL_READ: env.DATABASE_URL_READ, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT,
    AUTH_DEV_SECRET: keys.devSecret, SERVER_TIMING: 'true', LOG_LEVEL: 'debug',
  };
  const native = await startServe(process.env.EDGEFN_APP_BIN, bindings, workDir);
  hosts.native = { url: native.baseUrl, stop: native.stop, log: () => readFileSync(native.logFile, 'utf8') };
  const worker = await startWorker({ bindings });
  hosts.worker = { url: worker.url, stop: worker.stop, log: () => worker.lines().join('\n') };
}, { timeout: 120_000 });

after(async () => {
  for (const h of Object.values(hosts)) await h.stop().catch(() => {});
  if (state) { try { testEnv('stop', state); } catch { /* best effort */ } }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A client of `base` acting as user `sub`; each response with the database that answered. */
function client(base, sub) {
  const token = mint(keys, { alg: 'HS256', sub }, { sub: () => sub });
  return async (method, path, { json, bookmark } = {}) => {
    const headers = { authorization: `Bearer ${token}` };
    if (json) headers['content-type'] = 'application/json';
    if (bookmark) headers['edgefn-bookmark'] = bookmark;
    const res = await fetch(`${base}${path}`, { method, headers, body: json ? JSON.stringify(json) : undefined });
    const timing = res.headers.get('server-timing') ?? '';
    const m = /^db;dur=\d+(?:;desc=([a-z+]+))?, cache;desc=(\w+)/.exec(timing);
    assert.ok(m, `Server-Timing: ${timing}`);
    return { status: res.status, body: await res.json(), bookmark: res.headers.get('edgefn-bookmark'), db: m[1] ?? '', cache: m[2] };
  };
}

const item = { name: 'v0', size: 'M', type: 'shirt', color: 'blue', imageUrl: 'https://img.example.com/r.png' };

for (const name of ['native', 'worker']) {
  test(`${name}: writes on the primary, stale reads on the replica, bookmarked reads never stale`, { timeout: 60_000 }, async () => {
    const call = client(hosts[name].url, `replica-${name}-${Date.now()}`);
    const retried = () => hosts[name].log().split('\n').filter((l) => l.includes('replica read retried on the primary') && l.includes('behind the bookmark')).length;
    const created = await call('POST', '/api/wardrobe', { json: item });
    const written = Date.now();
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.db, 'primary', 'a write goes to the primary');
    assert.ok(created.bookmark, 'the write carries its bookmark');
    const id = created.body.id;

    // Within the delay: reads without a bookmark are answered by the replica, which has not
    // replayed the write yet.
    const total = await call('GET', '/api/wardrobe/total-items');
    assert.equal(total.db, 'replica', 'a cached-pool miss goes to the replica');
    assert.equal(total.cache, 'miss');
    assert.deepEqual(total.body, { total: 0 }, 'stale: the replica is behind');
    const one = await call('GET', `/api/wardrobe/${id}`);
    assert.equal(one.db, 'replica');
    assert.equal(one.status, 404, 'stale: the item is not on the replica yet');

    // With the bookmark: never stale.
    const fresh = await call('GET', '/api/wardrobe/total-items', { bookmark: created.bookmark });
    assert.deepEqual(fresh.body, { total: 1 }, 'a bookmarked read observes the write');
    assert.equal(fresh.db, 'primary', 'a cached-pool read with a bookmark: its entries for it, else the primary');
    const checked = await call('GET', `/api/wardrobe/${id}`, { bookmark: created.bookmark });
    assert.equal(checked.status, 200, 'a bookmarked replica-safe read observes the write');
    assert.equal(checked.body.name, 'v0');
    assert.equal(checked.db, 'primary', 'the replica was behind the bookmark: its answer was discarded, the primary asked');
    assert.equal(checked.cache, 'miss');
    // The replica was asked first, and its answer discarded (the log line may lag the response).
    await until('one replica retry logged', async () => retried() === 1, 5000);

    // Every later write too (each bookmark is newer than what the replica has).
    let bookmark = created.bookmark;
    for (let v = 1; v <= 3; v++) {
      const put = await call('PUT', `/api/wardrobe/${id}`, { json: { name: `v${v}` }, bookmark });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(put.db, 'primary', 'writes always go to the primary');
      bookmark = put.bookmark;
      const got = await call('GET', `/api/wardrobe/${id}`, { bookmark });
      assert.equal(got.status, 200);
      assert.equal(got.body.name, `v${v}`, 'never stale with the bookmark');
      assert.equal(got.db, 'primary');
    }
    await until('four replica retries logged', async () => retried() === 4, 5000);
    assert.ok(Date.now() - written < DELAY_MS - 300, `the checks above ran within the replica's delay (${Date.now() - written} ms)`);

    // Once the replica has replayed the bookmarked write it answers bookmarked reads itself.
    const served = await until('the replica to catch up with the bookmark', async () => {
      const r = await call('GET', `/api/wardrobe/${id}`, { bookmark });
      assert.equal(r.status, 200);
      assert.equal(r.body.name, 'v3', 'never stale with the bookmark');
      // Until then the primary's answer, cached for this bookmark, serves it (db: none).
      assert.ok(r.db === '' || r.db === 'replica', `db=${r.db} cache=${r.cache}`);
      return r.db === 'replica' ? r : null;
    });
    // The replica applies a commit DELAY_MS after its timestamp, a little before `written`.
    assert.ok(Date.now() - written >= DELAY_MS - 1000, 'not before the replica could have replayed the write');
    assert.equal(served.body.name, 'v3');
    // Reads without a bookmark still go to the replica, which now has the write (the writes
    // dropped the stale cache entry).
    const caughtUp = await call('GET', '/api/wardrobe/total-items');
    assert.equal(caughtUp.db, 'replica');
    assert.deepEqual(caughtUp.body, { total: 1 }, 'the replica has replayed the write');
  });
}
