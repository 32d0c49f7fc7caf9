// Bookmarks across "colos": two separate workerd instances (each its own isolate, LRU and Cache
// API) over one database. A write through the first returns Edgefn-Bookmark; the same read
// through the second is served from its cache (stale, within max-age) without the bookmark and
// observes the write with it. Observed with the debug header x-edgefn-cache.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStacks } from '../scenarios/lib/stack.mjs';
import { startWorker } from './worker_host.mjs';

let stacks;
let colo; // {a, b}: the two workers

before(async () => {
  stacks = await startStacks({
    bin: process.env.EDGEFN_BIN, appBin: process.env.EDGEFN_APP_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE,
    workPrefix: 'edgefn-worker-bm-', dbPrefix: 'edgefn_bm_', extraBindings: { EDGEFN_DEBUG: 'true' }, log: () => {},
    app: () => async ({ bindings }) => {
      const a = await startWorker({ bindings });
      const b = await startWorker({ bindings });
      const stop = async () => { await a.stop(); await b.stop(); };
      return { server: { a, b }, baseUrl: a.url, stop, images: async () => false };
    },
  });
  colo = stacks.main;
}, { timeout: 180_000 });
after(async () => { await stacks?.stop(); });

async function call(worker, method, path, { json, bookmark } = {}) {
  const token = stacks.mainTarget.mint({ sub: `${stacks.runId}-bm` }, () => '');
  const headers = { authorization: `Bearer ${token}` };
  if (json) headers['content-type'] = 'application/json';
  if (bookmark !== undefined) headers['edgefn-bookmark'] = bookmark;
  const res = await fetch(`${worker.url}${path}`, { method, headers, body: json ? JSON.stringify(json) : undefined });
  return {
    status: res.status, body: await res.json(), bookmark: res.headers.get('edgefn-bookmark'),
    cache: res.headers.get('x-edgefn-cache') ?? '',
  };
}
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}:[1-9][0-9]*$/; // WAL position:transaction id
const item = { name: 'bm', size: 'M', type: 'shirt', color: 'blue', imageUrl: 'https://img.example.com/bm.png' };

test('a write through one colo, then a read with its bookmark through another observes it', async () => {
  const { a, b } = colo;
  assert.deepEqual((await call(b, 'GET', '/api/wardrobe/total-items')).body, { total: 0 });
  assert.equal((await call(b, 'GET', '/api/wardrobe/total-items')).cache, 'hit', 'b caches the read');

  const created = await call(a, 'POST', '/api/wardrobe', { json: item });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.bookmark ?? '', LSN, 'the write response carries its bookmark');

  const stale = await call(b, 'GET', '/api/wardrobe/total-items');
  assert.deepEqual(stale.body, { total: 0 }, 'without the bookmark: today\'s semantics, the other colo\'s cached answer');
  assert.equal(stale.cache, 'hit');

  const fresh = await call(b, 'GET', '/api/wardrobe/total-items', { bookmark: created.bookmark });
  assert.deepEqual(fresh.body, { total: 1 }, 'with the bookmark the write is observed');
  assert.equal(fresh.cache, 'miss');
  const again = await call(b, 'GET', '/api/wardrobe/total-items', { bookmark: created.bookmark });
  assert.deepEqual(again.body, { total: 1 });
  assert.equal(again.cache, 'hit', 'the entry fetched for the bookmark serves it from then on');
  assert.equal(again.bookmark, null, 'reads carry no bookmark');

  // A later write (through b) has a later bookmark, which b's entry (floor: the first) is too old for.
  const second = await call(b, 'POST', '/api/wardrobe', { json: { ...item, name: 'bm2' } });
  assert.equal(second.status, 201);
  const [first, later] = [created.bookmark, second.bookmark].map((t) => t.split(':')[0].split('/').map((h) => BigInt(`0x${h}`)))
    .map(([hi, lo]) => (hi << 32n) | lo);
  assert.ok(later > first, `${second.bookmark} after ${created.bookmark}`);
  const onA = await call(a, 'GET', '/api/wardrobe/total-items', { bookmark: second.bookmark });
  assert.deepEqual(onA.body, { total: 2 });
});

test('a bookmark that does not parse is ignored, never an error', async () => {
  const r = await call(colo.b, 'GET', '/api/wardrobe/total-items', { bookmark: 'not-a-bookmark' });
  assert.equal(r.status, 200);
  assert.ok('total' in r.body);
});
