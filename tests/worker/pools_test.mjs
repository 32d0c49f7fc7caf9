// The `cached` and `direct` pools through the real core in workerd, observed with the debug
// header x-edgefn-cache (EDGEFN_DEBUG=true: the cache status of each SQL action of the
// request, in issue order): hit on the second read, a write invalidating cached reads,
// writes never cached, stale-while-revalidate with tiny TTLs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkerHost } from './scenario_host.mjs';

let host; // CACHE_MAX_AGE 60 / SWR 15 (defaults)
let swrHost; // CACHE_MAX_AGE 1 / SWR 3
let offHost; // CACHE_DISABLED=true

const base = { bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE, log: () => {} };
before(async () => {
  [host, swrHost, offHost] = await Promise.all([
    startWorkerHost({ ...base, extraBindings: { EDGEFN_DEBUG: 'true' } }),
    startWorkerHost({ ...base, extraBindings: { EDGEFN_DEBUG: 'true', CACHE_MAX_AGE: '1', CACHE_SWR: '3' } }),
    startWorkerHost({ ...base, extraBindings: { EDGEFN_DEBUG: 'true', CACHE_DISABLED: 'true' } }),
  ]);
}, { timeout: 180_000 });
after(async () => { await host?.stop(); await swrHost?.stop(); await offHost?.stop(); });

async function call(h, user, method, path, json) {
  const target = await h.targetFor({});
  const token = target.mint({ sub: `${h.runId}-${user}` }, () => '');
  const res = await fetch(`${target.baseUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  const body = await res.json();
  return { status: res.status, body, cache: (res.headers.get('x-edgefn-cache') ?? '').split(','), bookmark: res.headers.get('edgefn-bookmark') };
}
const item = (name) => ({ name, size: 'M', type: 'shirt', color: 'blue', imageUrl: `https://img.example.com/${name}.png` });
const sqlStatuses = ['hit', 'miss', 'stale', 'uncacheable', 'direct', 'disabled'];

test('a cached read is served from cache on the second call', async () => {
  const a = await call(host, 'hit', 'GET', '/api/wardrobe');
  const b = await call(host, 'hit', 'GET', '/api/wardrobe');
  assert.equal(a.status, 200);
  assert.deepEqual(b.body, a.body);
  assert.ok(a.cache.includes('miss'), `first: ${a.cache}`);
  assert.ok(b.cache.includes('hit') && !b.cache.includes('miss'), `second: ${b.cache}`);
});

test('writes are never cached, and a write invalidates the cached reads of its table', async () => {
  const before1 = await call(host, 'inv', 'GET', '/api/wardrobe/total-items');
  const before2 = await call(host, 'inv', 'GET', '/api/wardrobe/total-items');
  assert.deepEqual(before2.body, { total: 0 });
  assert.ok(before2.cache.includes('hit'), `${before2.cache} (after ${before1.cache})`);
  for (const name of ['one', 'two']) {
    const created = await call(host, 'inv', 'POST', '/api/wardrobe', item(name));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(created.cache.every((s) => sqlStatuses.includes(s) && !['hit', 'miss', 'stale'].includes(s)), `write: ${created.cache}`);
  }
  const after1 = await call(host, 'inv', 'GET', '/api/wardrobe/total-items');
  assert.deepEqual(after1.body, { total: 2 }, 'read-after-write through this function is fresh');
  assert.ok(after1.cache.includes('miss'), `${after1.cache}`);
  const list = await call(host, 'inv', 'GET', '/api/wardrobe');
  assert.deepEqual(list.body.items.map((i) => i.name), ['two', 'one']);
  const id = list.body.items[0].id;
  const del = await call(host, 'inv', 'DELETE', `/api/wardrobe/${id}`);
  assert.ok([200, 204].includes(del.status), `delete: ${del.status}`);
  assert.deepEqual((await call(host, 'inv', 'GET', '/api/wardrobe/total-items')).body, { total: 1 });
});

test('stale-while-revalidate: stale within max_age + swr, refreshed in the background', async () => {
  const a = await call(swrHost, 'swr', 'GET', '/api/wardrobe/total-items');
  assert.ok(a.cache.includes('miss'), `${a.cache}`);
  assert.ok((await call(swrHost, 'swr', 'GET', '/api/wardrobe/total-items')).cache.includes('hit'));
  await new Promise((r) => setTimeout(r, 1300));
  const stale = await call(swrHost, 'swr', 'GET', '/api/wardrobe/total-items');
  assert.ok(stale.cache.includes('stale'), `${stale.cache}`);
  assert.deepEqual(stale.body, a.body);
  await new Promise((r) => setTimeout(r, 300));
  const refreshed = await call(swrHost, 'swr', 'GET', '/api/wardrobe/total-items');
  assert.ok(refreshed.cache.includes('hit'), `after the background refresh: ${refreshed.cache}`);
  await new Promise((r) => setTimeout(r, 4300));
  const expired = await call(swrHost, 'swr', 'GET', '/api/wardrobe/total-items');
  assert.ok(expired.cache.includes('miss'), `past max_age + swr: ${expired.cache}`);
});

test('with the cache on, a write answers its bookmark (read inside its own transaction)', async () => {
  const created = await call(host, 'bookmarked', 'POST', '/api/wardrobe', item('bookmarked'));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.bookmark ?? '', /^[0-9A-F]+\/[0-9A-F]+:[0-9]+$/);
});

test('CACHE_DISABLED: every SQL action goes to the database (disabled or direct), reads see each write', async () => {
  const first = await call(offHost, 'off', 'GET', '/api/wardrobe/total-items');
  const again = await call(offHost, 'off', 'GET', '/api/wardrobe/total-items');
  assert.deepEqual([first.status, first.body, again.body], [200, { total: 0 }, { total: 0 }]);
  for (const r of [first, again]) assert.ok(r.cache.length > 0 && r.cache.every((s) => s === 'disabled' || s === 'direct'), `${r.cache}`);
  const created = await call(offHost, 'off', 'POST', '/api/wardrobe', item('off'));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.ok(created.cache.every((s) => s === 'direct'), `write: ${created.cache}`);
  // Nothing can answer a read from older data: the write is sent alone, without the bookmark
  // query, and answers no bookmark (with the cache on it does: the next test).
  assert.equal(created.bookmark, null);
  assert.deepEqual((await call(offHost, 'off', 'GET', '/api/wardrobe/total-items')).body, { total: 1 });
  const list = await call(offHost, 'off', 'GET', '/api/wardrobe');
  assert.deepEqual(list.body.items.map((i) => i.name), ['off']);
});
