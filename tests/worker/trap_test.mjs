// Traps never poison later requests: the Worker runs wardrobe_testhooks.wasm (the production
// module plus a request header that makes the core trap; never deployed). The trapping request
// gets the API's 500 JSON error, concurrent requests on the dead instance get a clean 500 (or
// finished before), and the next requests run on a rebuilt instance. Also: many concurrent
// requests on one isolate's instance.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkerHost } from './scenario_host.mjs';

let host;
const ORIGIN = 'https://app.example';
before(async () => {
  host = await startWorkerHost({
    bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE, wasm: 'wardrobe_testhooks.wasm', log: () => {},
    extraBindings: { CORS_ORIGINS: ORIGIN },
  });
}, { timeout: 180_000 });
after(async () => { await host?.stop(); });

async function call(user, path = '/api/wardrobe', headers = {}, method = 'GET', json) {
  const target = await host.targetFor({});
  const token = target.mint({ sub: `${host.runId}-${user}` }, () => '');
  const res = await fetch(`${target.baseUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...headers, ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const rebuilt = () => host.main.lines().filter((l) => l.includes('wasm instance rebuilt')).length;

async function waitForLog(pred, ms = 2000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !pred()) await new Promise((r) => setTimeout(r, 20));
}

function assertInternal(r) {
  assert.equal(r.status, 500);
  assert.equal(r.body.error.code, 'internal');
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.ok(r.headers.get('x-request-id'));
}

for (const kind of ['unreachable', 'abort', 'oom']) {
  test(`a trap (${kind}) fails its request with 500 and the next request runs on a rebuilt instance`, async () => {
    assert.equal((await call('t')).status, 200);
    const before = rebuilt();
    const trapped = await call('t', '/api/wardrobe', { 'x-edgefn-test-trap': kind, origin: ORIGIN });
    assertInternal(trapped);
    // The shim's own answer, with the CORS headers the core would have added: a page reads it.
    assert.equal(trapped.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(trapped.headers.get('vary'), 'Origin');
    const served = await call('t', '/api/wardrobe', { origin: ORIGIN });  // the core's own CORS headers
    assert.equal(trapped.headers.get('access-control-expose-headers'), served.headers.get('access-control-expose-headers'));
    const next = await call('t');
    assert.equal(next.status, 200, JSON.stringify(next.body));
    await waitForLog(() => rebuilt() > before);
    assert.equal(rebuilt(), before + 1);
    const logged = host.main.lines().filter((l) => l.includes('wasm instance trapped'));
    assert.ok(logged.length > 0);
    assert.ok(!logged.some((l) => l.includes('test-pass') || l.includes('Bearer')), 'no credentials in logs');
  });
}

test('requests in flight on a trapping instance fail cleanly, none hang, later ones succeed', async () => {
  await call('c0', '/api/wardrobe', {}, 'POST', { name: 'x', size: 'M', type: 't', color: 'c', imageUrl: 'https://i.example/x.png' });
  const inflight = Array.from({ length: 30 }, (_, i) => call(`c${i % 5}`));
  const trap = call('c0', '/api/wardrobe', { 'x-edgefn-test-trap': 'on-result' });
  const results = await Promise.all([...inflight, trap]);
  assertInternal(results.at(-1));
  for (const r of results.slice(0, -1)) {
    if (r.status === 500) assertInternal(r);
    else assert.equal(r.status, 200);
  }
  const later = await Promise.all(Array.from({ length: 10 }, (_, i) => call(`c${i % 5}`)));
  assert.ok(later.every((r) => r.status === 200));
  assert.equal(later.find((r) => r.body.items.length)?.body.items[0].name, 'x');
});

test('many concurrent requests on one instance: every answer is right and belongs to its user', async () => {
  const users = Array.from({ length: 20 }, (_, i) => `m${i}`);
  const creates = await Promise.all(users.map((u) => call(u, '/api/wardrobe', {}, 'POST', { name: u, size: 'S', type: 't', color: 'c', imageUrl: `https://i.example/${u}.png` })));
  assert.ok(creates.every((r) => r.status === 201), JSON.stringify(creates.find((r) => r.status !== 201)?.body));
  const reads = await Promise.all(Array.from({ length: 200 }, (_, i) => users[i % users.length]).map(async (u) => ({ u, r: await call(u) })));
  for (const { u, r } of reads) {
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((i) => i.name), [u]);
  }
});
