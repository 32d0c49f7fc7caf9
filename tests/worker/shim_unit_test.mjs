// The shim's pure-JS parts under node (no workerd, no wasm): the /sql URL as the official driver
// derives it, and the pools against a counting fake /sql server (node has no Cache API, so the
// in-isolate LRU alone is exercised; tests/worker/pools_test.mjs covers workerd).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { databaseIdentity, postSql, sqlUrl } from '../../worker-shim/neon.js';
import { SqlPools } from '../../worker-shim/sql_pool.js';
import { decodeResponse, encodeRequest, encodeResult } from '../../worker-shim/codec.js';
import { replayKey } from '../../worker-shim/response_cache.js';
import { verifySignature } from '../../worker-shim/signatures.js';
import { readConfig } from '../../worker-shim/config.js';
import { addCors, parseOrigins } from '../../worker-shim/cors.js';
import { signatureCorpus } from './signature_corpus.mjs';
import { log, logRank, setLogRank } from '../../worker-shim/log.js';

test('sqlUrl: first label becomes api, port dropped, NEON_FETCH_ENDPOINT wins', () => {
  assert.equal(sqlUrl('postgres://u:p@ep-x-1.us-east-2.aws.neon.tech/db'), 'https://api.us-east-2.aws.neon.tech/sql');
  assert.equal(sqlUrl('postgresql://u:p@ep-x.eu.aws.neon.tech:5432/db?sslmode=require'), 'https://api.eu.aws.neon.tech/sql');
  assert.equal(sqlUrl('postgres://u:p@localhost:5432/db'), 'https://localhost/sql');
  assert.equal(sqlUrl('postgres://u:p@localhost/db', 'http://127.0.0.1:4444/sql'), 'http://127.0.0.1:4444/sql');
  assert.throws(() => sqlUrl('mysql://u:secret@h/db'), (e) => !String(e.message).includes('secret'));
  assert.throws(() => sqlUrl('not a url secret'), (e) => !String(e.message).includes('secret'));
});

test('databaseIdentity never holds the password', () => {
  const id = databaseIdentity('postgres://alice:s3cr%40t@ep-a.neon.tech/app');
  assert.equal(id, 'alice@ep-a.neon.tech:5432/app');
  assert.ok(!id.includes('s3cr'));
});

test('config: secrets stay out of the engine blob; TTLs from vars', () => {
  const c = readConfig({ AUTH_DEV_SECRET: 'devsecret', DATABASE_URL: 'postgres://u:pw@h/db', CACHE_MAX_AGE: '5', CACHE_SWR: '1' });
  assert.equal(c.engine.auth_dev_hs256, true);
  assert.ok(!JSON.stringify(c.engine).includes('devsecret'));
  assert.ok(!JSON.stringify(c.engine).includes('pw'));
  assert.deepEqual([c.cache.maxAgeMs, c.cache.swrMs], [5000, 1000]);
  const d = readConfig({});
  assert.deepEqual([d.cache.maxAgeMs, d.cache.swrMs, d.engine.auth_dev_hs256], [60000, 15000, false]);
  assert.equal(readConfig({ CACHE_MAX_AGE: '99999' }).cache.maxAgeMs, 3600 * 1000);
});

test('CORS for the shim\'s own answers: the core\'s rule (src/api/cors.cpp, cors_test)', () => {
  // The cases of the core's cors_test: list parsing, wildcard, echo, refusal.
  assert.deepEqual(parseOrigins(' https://a.example/ , ,https://b.example'), ['https://a.example', 'https://b.example']);
  assert.deepEqual(parseOrigins('*'), ['*']);
  assert.deepEqual(parseOrigins(''), []);
  assert.deepEqual(parseOrigins(undefined), []);
  assert.equal(readConfig({ CORS_ORIGINS: 'https://app.example/' }).corsOrigins[0], 'https://app.example');
  const wildcard = {};
  addCors(wildcard, 'https://x.example', ['*']);
  assert.equal(wildcard['Access-Control-Allow-Origin'], '*');
  assert.equal(wildcard.Vary, 'Origin');
  assert.equal(wildcard['Access-Control-Expose-Headers'], 'Location, X-Request-Id, Edgefn-Bookmark, Idempotent-Replayed, Retry-After, WWW-Authenticate');
  const echoed = {};
  addCors(echoed, 'https://app.example', ['https://app.example', '*']);
  assert.equal(echoed['Access-Control-Allow-Origin'], 'https://app.example');
  for (const [origin, allowed] of [[null, ['*']], ['https://x.example', ['https://app.example']], ['https://x.example', []]]) {
    const none = {};
    addCors(none, origin, allowed);
    assert.deepEqual(none, {});
  }
});

test('HS256 verification uses the dev secret only', async () => {
  const secret = 'dev-secret';
  const input = 'aGVhZGVy.cGF5bG9hZA';
  const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = Buffer.from(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(input))).toString('base64');
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input, signature_b64: sig }, secret), true);
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input, signature_b64: sig }, ''), false);
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input: `${input}x`, signature_b64: sig }, secret), false);
  assert.equal(await verifySignature({ alg: 'RS256', key: '{"kty":"oct"}', input, signature_b64: sig }, secret), false);
});

test('signature corpus (RS256, ES256, EdDSA): verdicts', async () => {
  for (const { name, action, expected } of await signatureCorpus())
    assert.equal(await verifySignature(action, ''), expected, name);
});

test('HS256: the dev secret is imported as a CryptoKey once per isolate, not per request', async () => {
  const secret = 'dev-secret-once';
  const input = 'aGVhZGVy.b25jZQ';
  const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = Buffer.from(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(input))).toString('base64');
  const real = crypto.subtle.importKey;
  let imports = 0;
  crypto.subtle.importKey = function (...args) { imports++; return real.apply(this, args); };
  try {
    for (let i = 0; i < 5; i++) assert.equal(await verifySignature({ alg: 'HS256', key: '', input, signature_b64: sig }, secret), true);
    assert.equal(await verifySignature({ alg: 'HS256', key: '', input: `${input}x`, signature_b64: sig }, secret), false);
  } finally {
    delete crypto.subtle.importKey;
  }
  assert.equal(crypto.subtle.importKey, real);
  assert.ok(imports <= 1, `imported ${imports} times`);
});

test('HS256 verdicts: the right signature for the secret verifies; another input, secret, alg or signature does not', async () => {
  const secret = 'dev-secret-verdicts';
  const input = 'aGVhZGVy.bWVtbw';
  const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = Buffer.from(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(input))).toString('base64');
  const bad = Buffer.from('not the signature').toString('base64');
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input, signature_b64: sig }, secret), true);
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input, signature_b64: bad }, secret), false);
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input: `${input}x`, signature_b64: sig }, secret), false);
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input, signature_b64: sig }, 'another-secret'), false);
  assert.equal(await verifySignature({ alg: 'HS256', key: '', input, signature_b64: sig }, ''), false, 'no secret: HS256 refused');
  assert.equal(await verifySignature({ alg: 'RS256', key: '{"kty":"RSA"}', input, signature_b64: sig }, secret), false);
});

test('LOG_LEVEL: lines below the level are not written; unset or unknown values mean warn', () => {
  assert.deepEqual(['debug', 'info', 'warn', 'error', 'off', '', 'bogus', undefined].map(logRank), [0, 1, 2, 3, 4, 2, 2, 2]);
  assert.equal(readConfig({ LOG_LEVEL: 'info' }).logRank, 1);
  assert.equal(readConfig({}).logRank, 2, 'the Worker writes no per-request line by default');
  const written = [];
  const saved = [console.log, console.warn, console.error];
  console.log = console.warn = console.error = (line) => written.push(line);
  try {
    setLogRank(logRank('warn'));
    log('info', 'dropped');
    log('debug', 'dropped');
    log('warn', 'kept', { n: 1 });
    log('error', 'kept too');
    setLogRank(logRank('off'));
    log('error', 'dropped');
  } finally {
    [console.log, console.warn, console.error] = saved;
    setLogRank(logRank('info'));
  }
  assert.deepEqual(written.map((l) => JSON.parse(l).msg), ['kept', 'kept too']);
  assert.equal(written.length, 2, 'one line each');
});

// A fake /sql: answers {"n": <count>} (or a 400 / a big body on request), counting calls.
let server;
let url;
const seen = [];
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const h = req.headers;
      seen.push({ body, conn: h['neon-connection-string'], type: h['content-type'], arrayMode: h['neon-array-mode'] });
      const q = JSON.parse(body).query ?? '';
      if (q.includes('slow')) { setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); }, 1500); return; }
      if (q.includes('error')) { res.writeHead(400, { 'content-type': 'application/json' }); res.end('{"message":"boom","code":"42601"}'); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n: seen.length, pad: q.includes('big') ? 'x'.repeat(4096) : '' }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}/sql`;
});
after(() => server.close());

const ctx = () => { const waits = []; return { waitUntil: (p) => waits.push(p), waits }; };
const call = (query, extra = {}) => ({ pool: 'cached', cacheable: true, reads: ['items'], writes: [], headers: [['Neon-Array-Mode', 'true']], body: JSON.stringify({ query, params: [] }), ...extra });
const text = (r) => new TextDecoder().decode(r.result.body);

function pools(opts = {}) {
  return new SqlPools({ url, databaseUrl: 'postgres://u:pw@db.local/app' }, 'u@db.local:5432/app',
    { maxAgeMs: 60000, swrMs: 15000, maxBytes: 1024, disabled: false, ...opts });
}

test('cached pool: a cacheable read is sent once, then served from cache', async () => {
  const p = pools();
  const a = await p.perform(call('select 1'), ctx(), 'http://w');
  const b = await p.perform(call('select 1'), ctx(), 'http://w');
  assert.equal(a.cache, 'miss');
  assert.equal(b.cache, 'hit');
  assert.equal(text(a), text(b));
  assert.equal(p.stats.sent, 1);
  assert.equal(seen.at(-1).conn, 'postgres://u:pw@db.local/app', 'the host adds the connection string');
});

test('never cached: the core says uncacheable, the direct pool, errors, oversized results', async () => {
  const p = pools();
  for (const c of [call('select now()', { cacheable: false }), call('select 2', { pool: 'direct' }), call('select error'), call('select big')]) {
    const first = await p.perform(c, ctx(), 'http://w');
    const second = await p.perform(c, ctx(), 'http://w');
    assert.notEqual(second.cache, 'hit', c.body);
    assert.ok(['miss', 'uncacheable', 'direct'].includes(first.cache), first.cache);
  }
  assert.equal(p.stats.sent, 8);
});

test('a write invalidates cached reads of the tables it touches (and only those)', async () => {
  const p = pools();
  await p.perform(call('select items'), ctx(), 'http://w');
  await p.perform(call('select other', { reads: ['other'] }), ctx(), 'http://w');
  assert.equal((await p.perform(call('select items'), ctx(), 'http://w')).cache, 'hit');
  const w = await p.perform(call('insert', { pool: 'direct', cacheable: false, reads: [], writes: ['items'] }), ctx(), 'http://w');
  assert.equal(w.cache, 'direct');
  assert.equal((await p.perform(call('select items'), ctx(), 'http://w')).cache, 'miss');
  assert.equal((await p.perform(call('select other', { reads: ['other'] }), ctx(), 'http://w')).cache, 'hit');
});

test('issue 10.4: the in-isolate cache is bounded by bytes, oldest evicted first', async () => {
  // Each result body is a few hundred bytes; a 4 KiB budget holds only a handful of them.
  const p = pools({ maxTotalBytes: 4096, maxBytes: 2048 });
  for (let i = 0; i < 40; i++) await p.perform(call(`select ${i}`), ctx(), 'http://w');
  assert.ok(p.lru.bytes <= 4096, `cache holds ${p.lru.bytes} bytes`);
  assert.ok(p.lru.size >= 1 && p.lru.size < 40, `cache holds ${p.lru.size} entries`);
  assert.equal((await p.perform(call('select 39'), ctx(), 'http://w')).cache, 'hit', 'the newest entry stays');
  assert.equal((await p.perform(call('select 0'), ctx(), 'http://w')).cache, 'miss', 'the oldest was evicted');
  assert.equal(readConfig({ CACHE_MAX_BYTES: '1048576', CACHE_MAX_ENTRY_BYTES: '4096' }).cache.maxTotalBytes, 1048576);
  assert.equal(readConfig({ CACHE_MAX_ENTRY_BYTES: '4096' }).cache.maxBytes, 4096);
  assert.equal(readConfig({}).cache.maxTotalBytes, 16 << 20);
});

test('stale-while-revalidate: stale served once past max_age, refreshed in waitUntil, gone after swr', async () => {
  // Margins wide enough for a loaded machine: the refreshed entry must still be fresh when read.
  const p = pools({ maxAgeMs: 800, swrMs: 1500 });
  const first = await p.perform(call('select swr'), ctx(), 'http://w');
  await new Promise((r) => setTimeout(r, 850));
  const c = ctx();
  const stale = await p.perform(call('select swr'), c, 'http://w');
  assert.equal(stale.cache, 'stale');
  assert.equal(text(stale), text(first));
  assert.equal(c.waits.length, 1);
  await Promise.all(c.waits);
  const fresh = await p.perform(call('select swr'), ctx(), 'http://w');
  assert.equal(fresh.cache, 'hit');
  assert.notEqual(text(fresh), text(first), 'the refresh stored a newer result');
  await new Promise((r) => setTimeout(r, 2400));
  assert.equal((await p.perform(call('select swr'), ctx(), 'http://w')).cache, 'miss');
});

test('a cache hit in the isolate hashes nothing; statements that differ never share an entry, long ones too', async () => {
  const p = pools({ maxBytes: 1 << 20 });
  await p.perform(call('select hashless'), ctx(), 'http://w');  // the miss (node: no Cache API)
  const real = crypto.subtle.digest;
  let digests = 0;
  crypto.subtle.digest = function (...args) { digests++; return real.apply(this, args); };
  try {
    for (let i = 0; i < 5; i++) assert.equal((await p.perform(call('select hashless'), ctx(), 'http://w')).cache, 'hit');
    assert.equal(digests, 0, 'a hit computes no SHA-256');
  } finally {
    delete crypto.subtle.digest;
  }
  assert.equal(crypto.subtle.digest, real);
  assert.equal((await p.perform(call('select hashless '), ctx(), 'http://w')).cache, 'miss', 'one more byte: another entry');
  assert.equal((await p.perform(call('select hashless', { headers: [['Neon-Array-Mode', 'false']] }), ctx(), 'http://w')).cache, 'miss');
  const long = `select ${'x'.repeat(3000)}`;
  assert.equal((await p.perform(call(long), ctx(), 'http://w')).cache, 'miss');
  assert.equal((await p.perform(call(long), ctx(), 'http://w')).cache, 'hit');
  assert.equal((await p.perform(call(`${long}y`), ctx(), 'http://w')).cache, 'miss');
});

test('a read that started before a write never stores its result under the post-write key', async () => {
  const p = pools();
  const c = ctx();
  const slowRead = p.perform(call('select race'), c, 'http://w');
  await p.perform(call('update', { pool: 'direct', cacheable: false, reads: [], writes: ['items'] }), ctx(), 'http://w');
  await slowRead;
  assert.equal((await p.perform(call('select race'), ctx(), 'http://w')).cache, 'miss');
});

/** Installs a Cache API whose put never settles (recording every call) for `fn`'s duration. */
async function withStuckCacheApi(fn) {
  const calls = [];
  const stuck = new Promise(() => {});
  globalThis.caches = { default: { put: (...a) => { calls.push(['put', a[0]]); return stuck; }, match: async (u) => { calls.push(['match', u]); return undefined; } } };
  try {
    return await fn(calls);
  } finally {
    delete globalThis.caches;
  }
}
const within = (p, ms) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`not settled within ${ms} ms`)), ms))]);

test('a write waits for no Cache API call: versions bump in the isolate, publishing runs in waitUntil', async () => {
  await withStuckCacheApi(async (calls) => {
    const p = pools();
    assert.equal((await within(p.perform(call('select wpath'), ctx(), 'http://w'), 2000)).cache, 'miss');
    const c = ctx();
    const w = await within(p.perform(call('insert wpath', { pool: 'direct', cacheable: false, reads: [], writes: ['items'] }), c, 'http://w'), 2000);
    assert.equal(w.cache, 'direct');
    assert.equal(w.result.status, 200);
    assert.ok(c.waits.length >= 1, 'the version is published in waitUntil');
    assert.ok(calls.some(([k, u]) => k === 'put' && u.includes('/table/')), 'the version is published to the Cache API');
    assert.equal((await within(p.perform(call('select wpath'), ctx(), 'http://w'), 2000)).cache, 'miss', 'the write invalidated the read');
  });
});

test('CACHE_DISABLED: no Cache API call and no waitUntil for reads or writes', async () => {
  await withStuckCacheApi(async (calls) => {
    const p = pools({ disabled: true });
    const c = ctx();
    const w = await within(p.perform(call('insert off', { pool: 'direct', cacheable: false, reads: [], writes: ['items'] }), c, 'http://w'), 2000);
    const r1 = await within(p.perform(call('select off'), c, 'http://w'), 2000);
    const r2 = await within(p.perform(call('select off'), c, 'http://w'), 2000);
    assert.deepEqual([w.cache, r1.cache, r2.cache], ['direct', 'disabled', 'disabled']);
    assert.deepEqual(calls, []);
    assert.equal(c.waits.length, 0);
  });
});

test('read replica: DATABASE_URL_READ is a secret; the engine only learns there is one', () => {
  const c = readConfig({ DATABASE_URL: 'postgres://u:pw@h/db', DATABASE_URL_READ: 'postgres://u:rpw@r/db' });
  assert.equal(c.engine.read_replica, true);
  assert.equal(c.databaseUrlRead, 'postgres://u:rpw@r/db');
  assert.ok(!JSON.stringify(c.engine).includes('rpw'));
  assert.equal(readConfig({ DATABASE_URL: 'postgres://u:pw@h/db' }).engine.read_replica, false);
});

test('MAX_BODY_BYTES reaches the engine (which validates it); absent, the engine keeps its 64 KiB', () => {
  assert.equal(readConfig({ MAX_BODY_BYTES: '100000' }).engine.max_body_bytes, 100000);
  assert.equal(readConfig({ MAX_BODY_BYTES: 'lots' }).engine.max_body_bytes, null);
  assert.ok(!('max_body_bytes' in readConfig({}).engine));
});

test('bookmarks: off only when neither a cache nor a replica could answer a read from older data', () => {
  assert.equal(readConfig({}).engine.bookmarks, true);
  assert.equal(readConfig({ CACHE_DISABLED: 'true' }).engine.bookmarks, false);
  assert.equal(readConfig({ CACHE_DISABLED: 'true', DATABASE_URL_READ: 'postgres://u:rpw@r/db' }).engine.bookmarks, true);
});

test('read replica: reads marked for it go there (after the cache), everything else to the primary', async () => {
  const replica = { url, databaseUrl: 'postgres://u:rpw@replica.local/app' };
  const p = new SqlPools({ url, databaseUrl: 'postgres://u:pw@db.local/app' }, 'u@db.local:5432/app',
    { maxAgeMs: 60000, swrMs: 15000, maxBytes: 1024, disabled: false }, replica);
  const marked = await p.perform(call('select r1', { replica: true }), ctx(), 'http://w');
  assert.equal(marked.result.db, 'replica');
  assert.equal(seen.at(-1).conn, replica.databaseUrl);
  const hit = await p.perform(call('select r1', { replica: true }), ctx(), 'http://w');
  assert.equal(hit.cache, 'hit');
  assert.equal(hit.result.db, undefined, 'a cache hit asks no database');
  const unmarked = await p.perform(call('select r2', { pool: 'direct', cacheable: false }), ctx(), 'http://w');
  assert.equal(unmarked.result.db, 'primary');
  assert.equal(seen.at(-1).conn, 'postgres://u:pw@db.local/app');
  const write = await p.perform(call('insert', { pool: 'direct', cacheable: false, writes: ['items'] }), ctx(), 'http://w');
  assert.equal(write.result.db, 'primary');
  // Without a replica, a read marked for one goes to the primary.
  const lone = await pools().perform(call('select r3', { replica: true }), ctx(), 'http://w');
  assert.equal(lone.result.db, 'primary');
  assert.equal(seen.at(-1).conn, 'postgres://u:pw@db.local/app');
});

test('postSql: the connection string and content type are the host\'s, whatever the action lists', async () => {
  const r = await postSql({ url, databaseUrl: 'postgres://u:pw@db.local/app' },
    [['Neon-Array-Mode', 'true'], ['neon-connection-string', 'postgres://evil@elsewhere/x'], ['Content-Type', 'text/plain']],
    JSON.stringify({ query: 'select 1', params: [] }));
  assert.equal(r.outcome, 'ok');
  assert.equal(r.status, 200);
  assert.equal(seen.at(-1).conn, 'postgres://u:pw@db.local/app');
  assert.equal(seen.at(-1).type, 'application/json');
  assert.equal(seen.at(-1).arrayMode, 'true', 'the action\'s other headers are sent');
});

test('postSql: past its deadline the request is aborted and answers outcome timeout', async () => {
  const started = Date.now();
  const r = await postSql({ url, databaseUrl: 'postgres://u:pw@db.local/app' }, [], JSON.stringify({ query: 'select slow', params: [] }), 100);
  assert.equal(r.outcome, 'timeout');
  assert.equal(r.status, 0);
  assert.ok(Date.now() - started < 1400, 'answered at the deadline, not when the server did');
});

test('postSql: a request that settled leaves no deadline timer running (a timer per request lived 60 s)', async () => {
  const DEADLINE_MS = 4321;  // tells the deadline's timer from the HTTP client's own
  const live = new Set();
  let started = 0;
  const [set, clear] = [globalThis.setTimeout, globalThis.clearTimeout];
  globalThis.setTimeout = (fn, ms, ...rest) => {
    const t = set((...a) => { live.delete(t); fn(...a); }, ms, ...rest);
    if (ms === DEADLINE_MS) { live.add(t); started++; }
    return t;
  };
  globalThis.clearTimeout = (t) => { live.delete(t); clear(t); };
  try {
    for (const query of ['select 1', 'select error']) {
      const r = await postSql({ url, databaseUrl: 'postgres://u:pw@db.local/app' }, [], JSON.stringify({ query, params: [] }), DEADLINE_MS);
      assert.equal(r.outcome, 'ok');
    }
  } finally {
    [globalThis.setTimeout, globalThis.clearTimeout] = [set, clear];
  }
  assert.equal(started, 2, 'each request is bounded by a deadline timer');
  assert.equal(live.size, 0, 'and its timer is cleared once the answer is read');
});

// ---- the response cache (worker-shim/response_cache.js) over the pool's entries ----

/** A response the core marked replayable, computed from the answers `deps`. */
const replayable = (deps, extra = {}) => ({ deps, until: Infinity, pure: true, logLine: '{"msg":"request","route":"/r"}', ...extra });
const meta200 = { status: 200, headers: [['Content-Type', 'application/json'], ['X-Request-Id', 'req-1']], reuse_until_ms: Date.now() + 60_000 };

test('response cache: stores only pure 200 reads the core marked replayable, without the request id', async () => {
  const p = pools();
  const { dep } = await p.perform(call('select r1'), ctx(), 'http://w');
  assert.ok(dep, 'a stored miss reports its entry');
  const rc = p.responses;
  rc.store('k-impure', meta200, new Uint8Array(3), replayable([dep], { pure: false }));
  rc.store('k-nodeps', meta200, new Uint8Array(3), replayable([]));
  rc.store('k-404', { ...meta200, status: 404 }, new Uint8Array(3), replayable([dep]));
  rc.store('k-unmarked', { status: 200, headers: [] }, new Uint8Array(3), replayable([dep]));
  rc.store('k-expired', { ...meta200, reuse_until_ms: Date.now() - 1 }, new Uint8Array(3), replayable([dep]));
  rc.store('k-jwks', meta200, new Uint8Array(3), replayable([dep], { until: Date.now() - 1 }));
  assert.equal(rc.lru.size, 0);
  rc.store('k', meta200, new TextEncoder().encode('{}'), replayable([dep]));
  const hit = rc.match('k', 'http://w');
  assert.ok(hit && !(hit instanceof Promise));
  assert.deepEqual(hit.headers, [['Content-Type', 'application/json']]);
  assert.equal(hit.route, '/r');
});

test('response cache: a replay needs the very LRU entry it was computed from, fresh', async () => {
  const p = pools({ maxAgeMs: 300, swrMs: 5000 });
  const first = await p.perform(call('select r2'), ctx(), 'http://w');
  p.responses.store('k', meta200, new Uint8Array(1), replayable([first.dep]));
  assert.ok(p.responses.match('k', 'http://w'));
  await new Promise((r) => setTimeout(r, 350));
  assert.equal(p.responses.match('k', 'http://w'), null, 'a stale entry is the core\'s to serve (and refresh)');
  // The refreshed entry has the same key but is another answer: the old replay is gone.
  const c = ctx();
  assert.equal((await p.perform(call('select r2'), c, 'http://w')).cache, 'stale');
  await Promise.all(c.waits);
  const again = await p.perform(call('select r2'), ctx(), 'http://w');
  assert.equal(again.cache, 'hit');
  assert.notEqual(again.dep.serial, first.dep.serial);
  p.responses.store('k', meta200, new Uint8Array(1), replayable([first.dep]));
  assert.equal(p.responses.match('k', 'http://w'), null, 'computed from an entry since replaced');
});

test('response cache: a write drops the replays of its tables; other tables keep theirs', async () => {
  const p = pools();
  const items = await p.perform(call('select i'), ctx(), 'http://w');
  const other = await p.perform(call('select o', { reads: ['other'] }), ctx(), 'http://w');
  p.responses.store('ki', meta200, new Uint8Array(1), replayable([items.dep]));
  p.responses.store('ko', meta200, new Uint8Array(1), replayable([other.dep]));
  await p.perform(call('insert', { pool: 'direct', cacheable: false, reads: [], writes: ['items'] }), ctx(), 'http://w');
  assert.equal(p.responses.match('ki', 'http://w'), null);
  assert.ok(p.responses.match('ko', 'http://w'));
});

test('response cache: bounded by bytes (a quarter of CACHE_MAX_BYTES) and entries; none when caching is off', async () => {
  const p = pools({ maxTotalBytes: 64 * 1024 });
  const { dep } = await p.perform(call('select b'), ctx(), 'http://w');
  for (let i = 0; i < 100; i++) p.responses.store(`k${i}`, meta200, new Uint8Array(1000), replayable([dep]));
  assert.ok(p.responses.lru.bytes <= 16 * 1024, `${p.responses.lru.bytes} bytes`);
  assert.ok(p.responses.match('k99', 'http://w'), 'the newest stays');
  assert.equal(p.responses.match('k0', 'http://w'), null, 'the oldest was evicted');
  p.responses.store('huge', meta200, new Uint8Array(32 * 1024), replayable([dep]));
  assert.equal(p.responses.match('huge', 'http://w'), null, 'larger than the budget: never stored');
  const q = pools();
  for (let i = 0; i < 1100; i++) q.responses.store(`k${i}`, meta200, new Uint8Array(1), replayable([dep]));
  assert.equal(q.responses.lru.size, 1024);
  assert.equal(pools({ disabled: true }).responses, null);
});

test('response cache: another isolate\'s write (a newer table version) ends the replay; an unchanged recheck keeps it', async () => {
  const p = pools();
  const { dep } = await p.perform(call('select v'), ctx(), 'http://w');
  p.responses.store('k', meta200, new Uint8Array(1), replayable([dep]));
  // The once-a-second recheck finds the same version: the replay stands (asynchronously).
  p.versions.local.set('items', { v: dep.versions[0], checkedAt: 0 });
  const rechecked = p.responses.match('k', 'http://w');
  assert.ok(rechecked instanceof Promise);
  assert.ok(await rechecked);
  // A version learnt from the Cache API (another isolate's write) while the LRU entry is still here.
  p.versions.local.set('items', { v: 'bumped-elsewhere', checkedAt: Date.now() });
  assert.ok(p.current(dep, Date.now()), 'the entry itself is still in this isolate\'s LRU');
  assert.equal(p.responses.match('k', 'http://w'), null);
});

test('replay keys: the request as the core gets it, tracing ids and x-request-id aside; reads without a body only', () => {
  const req = (headers, init = {}) => new Request('http://w/api/x?a=1', { headers, ...init });
  const base = { authorization: 'Bearer a.b.c', origin: 'https://app.example' };
  const key = (r) => replayKey(r, new URL(r.url));
  const k = key(req(base));
  assert.equal(key(req({ ...base, 'x-request-id': 'r1', traceparent: '00-1-2-01', tracestate: 'a=1', 'cf-ray': '1-AMS' })), k);
  assert.notEqual(key(req({ ...base, authorization: 'Bearer a.b.d' })), k);
  assert.notEqual(key(req({ ...base, 'edgefn-bookmark': '0/1' })), k);
  assert.notEqual(key(req({ authorization: base.authorization })), k);
  assert.notEqual(key(new Request('http://w/api/x?a=2', { headers: base })), k);
  assert.notEqual(key(req(base, { method: 'HEAD' })), k);
  assert.equal(key(req(base, { method: 'POST', body: '{}' })), null);
  assert.equal(key(req(base, { method: 'DELETE' })), null);
  const r = req({ ...base, traceparent: '00-1-2-01', 'cf-ray': '1-AMS', 'x-request-id': 'r1' });
  const seenByCore = encodeRequest(r, new URL(r.url)).split('\n').slice(2).filter((_, i) => i % 2 === 0);
  assert.deepEqual(seenByCore.sort(), ['authorization', 'origin', 'x-request-id']);
});

test('codec: request, result and response metadata are lines; a detail keeps its line breaks', () => {
  const r = new Request('http://w/api/x?a=1', { headers: { accept: 'application/json', 'x-a': 'v w' } });
  assert.equal(encodeRequest(r, new URL(r.url)), 'GET\n/api/x?a=1\naccept\napplication/json\nx-a\nv w');
  assert.equal(encodeResult(7, { status: 200, cache: 'hit', db: 'replica' }), '7\nok\n200\n0\nhit\nreplica\n');
  assert.equal(encodeResult(8, { outcome: 'timeout', detail: 'line 1\nline 2' }), '8\ntimeout\n0\n0\n\n\nline 1\nline 2');
  assert.equal(encodeResult(9, { valid: true }), '9\nok\n0\n1\n\n\n');
  assert.deepEqual(decodeResponse('201\n0\nlocation\n/api/x/1\nset-cookie\na=1\nset-cookie\nb=2'),
    { status: 201, reuse_until_ms: 0, headers: [['location', '/api/x/1'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']] });
  assert.deepEqual(decodeResponse('200\n1800000660000'), { status: 200, reuse_until_ms: 1800000660000, headers: [] });
  assert.deepEqual(decodeResponse('204\n0\nx-empty\n'), { status: 204, reuse_until_ms: 0, headers: [['x-empty', '']] });
  assert.throws(() => decodeResponse('200\n0\nname-without-value'), /malformed response metadata/);
  assert.throws(() => decodeResponse('200'), /malformed response metadata/);
});
