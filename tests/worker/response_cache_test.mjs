// The response cache (worker-shim/response_cache.js) through the real core in workerd: a
// repeated read is answered with the bytes the core produced, without entering it, only while
// that is exactly what the core would answer. Observed with EDGEFN_DEBUG=true headers:
// x-edgefn-response-cache: hit on a replay (absent when the core answered).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkerHost } from './scenario_host.mjs';

let host;
let target;
before(async () => {
  host = await startWorkerHost({ bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE, log: () => {}, extraBindings: { EDGEFN_DEBUG: 'true' } });
  target = await host.targetFor({});
}, { timeout: 180_000 });
after(async () => { await host?.stop(); });

const tokenFor = (user, spec = {}) => target.mint({ sub: `${host.runId}-${user}`, ...spec }, () => '');

async function call(token, method, path, { json, headers = {} } = {}) {
  const res = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
    body: json ? JSON.stringify(json) : undefined,
  });
  const text = await res.text();
  const h = Object.fromEntries(res.headers);
  return { status: res.status, text, headers: h, replayed: h['x-edgefn-response-cache'] === 'hit' };
}
const item = (name) => ({ name, size: 'M', type: 'shirt', color: 'blue', imageUrl: `https://img.example.com/${name}.png` });
/** The headers the core decides, without the per-request and debug ones. */
const decided = (h) => Object.fromEntries(Object.entries(h).filter(([k]) => !['x-request-id', 'date', 'x-edgefn-cache', 'x-edgefn-response-cache'].includes(k)));

test('a replay answers the bytes and headers the core produced, with the request\'s own X-Request-Id', async () => {
  const t = tokenFor('same');
  assert.equal((await call(t, 'POST', '/api/wardrobe', { json: item('one') })).status, 201);
  const first = await call(t, 'GET', '/api/wardrobe', { headers: { 'x-request-id': 'first-1' } });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.replayed, false, 'the first read goes through the core');
  const again = await call(t, 'GET', '/api/wardrobe', { headers: { 'x-request-id': 'again-2' } });
  assert.equal(again.replayed, true, `the same read is replayed (x-edgefn-cache ${again.headers['x-edgefn-cache']})`);
  assert.equal(again.text, first.text);
  assert.deepEqual(decided(again.headers), decided(first.headers));
  assert.equal(again.headers['x-request-id'], 'again-2');
  assert.equal(again.headers['x-edgefn-cache'], 'hit');
  const third = await call(t, 'GET', '/api/wardrobe');
  assert.equal(third.replayed, true);
  assert.equal(third.text, first.text, 'replayed bytes stay intact for the next replay');
  assert.match(third.headers['x-request-id'], /^[0-9a-f]{16}$/, 'no client id: a fresh host id, as the core gives');
  assert.notEqual(third.headers['x-request-id'], again.headers['x-request-id']);
});

test('requests that differ only in per-request tracing ids (cf-ray, traceparent) are replayed', async () => {
  const t = tokenFor('traced');
  const trace = (i) => ({ traceparent: `00-${String(i).padStart(32, '0')}-00f067aa0ba902b7-01`, tracestate: `k=${i}`, 'cf-ray': `8c${i}-AMS` });
  const first = await call(t, 'GET', '/api/wardrobe/total-items', { headers: trace(1) });
  assert.equal(first.status, 200, first.text);
  const second = await call(t, 'GET', '/api/wardrobe/total-items', { headers: trace(2) });
  assert.equal(second.replayed, true);
  assert.equal(second.text, first.text);
});

test('a write invalidates the replays of the tables it touches', async () => {
  const t = tokenFor('writer');
  const before1 = await call(t, 'GET', '/api/wardrobe/total-items');
  assert.equal(before1.text, '{"total":0}');
  assert.equal((await call(t, 'GET', '/api/wardrobe/total-items')).replayed, true);
  assert.equal((await call(t, 'POST', '/api/wardrobe', { json: item('new') })).status, 201);
  const after1 = await call(t, 'GET', '/api/wardrobe/total-items');
  assert.equal(after1.replayed, false, 'after the write the core answers');
  assert.equal(after1.text, '{"total":1}');
  const after2 = await call(t, 'GET', '/api/wardrobe/total-items');
  assert.equal(after2.replayed, true);
  assert.equal(after2.text, '{"total":1}');
});

test('another user, another token or another Origin never gets the replay', async () => {
  const alice = tokenFor('alice');
  assert.equal((await call(alice, 'POST', '/api/wardrobe', { json: item('alices') })).status, 201);
  const a1 = await call(alice, 'GET', '/api/wardrobe');
  assert.equal((await call(alice, 'GET', '/api/wardrobe')).replayed, true);
  assert.equal(JSON.parse(a1.text).items.length, 1);
  const bob = await call(tokenFor('bob'), 'GET', '/api/wardrobe');
  assert.equal(bob.replayed, false);
  assert.equal(JSON.parse(bob.text).items.length, 0, 'bob sees his own (empty) wardrobe');
  const fresh = await call(tokenFor('alice', { claims: { jti: 'another' } }), 'GET', '/api/wardrobe');
  assert.equal(fresh.replayed, false, 'a different token is authenticated by the core');
  assert.equal(fresh.text, a1.text);
  const cors = await call(alice, 'GET', '/api/wardrobe', { headers: { origin: 'https://other.edgefn.test' } });
  assert.equal(cors.replayed, false);
  assert.equal(cors.headers['access-control-allow-origin'], 'https://other.edgefn.test');
  assert.equal(a1.headers['access-control-allow-origin'], undefined);
});

test('an expired token never gets a replay: the core answers 401 once it has expired', async () => {
  // exp 57 s ago: with the core's 60 s leeway the token is valid for about 3 s more.
  const t = tokenFor('expiring', { exp: -57 });
  const ok = await call(t, 'GET', '/api/wardrobe/total-items');
  assert.equal(ok.status, 200, ok.text);
  const replayed = await call(t, 'GET', '/api/wardrobe/total-items');
  assert.equal(replayed.replayed, true);
  await new Promise((r) => setTimeout(r, 3300));
  const expired = await call(t, 'GET', '/api/wardrobe/total-items');
  assert.equal(expired.status, 401, expired.text);
  assert.equal(expired.replayed, false);
  assert.equal(JSON.parse(expired.text).error.code, 'unauthorized');
});

test('a bad signature or a missing token is never answered from a replay', async () => {
  const t = tokenFor('forged');
  assert.equal((await call(t, 'GET', '/api/wardrobe/total-items')).status, 200);
  assert.equal((await call(t, 'GET', '/api/wardrobe/total-items')).replayed, true);
  const forged = await call(tokenFor('forged', { tamper: 'signature' }), 'GET', '/api/wardrobe/total-items');
  assert.equal(forged.status, 401);
  const none = await fetch(`${target.baseUrl}/api/wardrobe/total-items`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('x-edgefn-response-cache'), null);
});
