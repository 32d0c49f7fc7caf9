// Isolate startup (worker-shim/index.js): the instance is built and warmed at global scope, and
// none of that shows: a refused configuration still loads the module and fails each request
// with the API's 500 and one log line per request, as a lazily built instance did; lines of a
// build at startup are written by the first request, not at startup; the warm-up request leaves
// no log line (even at LOG_LEVEL=info) and draws no request id. No database: every request
// here is answered before any SQL (401 without a token, or 500 for the configuration).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWorker } from './worker_host.mjs';

const DUMMY_DB = 'postgres://user:secret-pass@127.0.0.1:9/db';

/** Lets workerd's stdout/stderr reach the captured lines. */
const settle = () => new Promise((r) => setTimeout(r, 300));

async function get(w, path = '/api/wardrobe') {
  const res = await fetch(`${w.url}${path}`);
  return { status: res.status, id: res.headers.get('x-request-id'), type: res.headers.get('content-type'), body: await res.json() };
}

const parsed = (w) => w.lines().filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

test('a refused configuration still loads the module; each request gets the 500 JSON error and one log line', { timeout: 60_000 }, async () => {
  const w = await startWorker({ bindings: { DATABASE_URL: DUMMY_DB, SQL_TIMEOUT_MS: 'soon' } });
  try {
    await settle();
    assert.deepEqual(w.lines(), [], 'nothing is logged before the first request');
    for (let i = 1; i <= 2; i++) {
      const r = await get(w);
      assert.equal(r.status, 500);
      assert.match(r.type, /^application\/json/);
      assert.deepEqual(r.body, { error: { code: 'internal', message: 'the function is misconfigured' } });
      assert.ok(r.id);
      await settle();
      const lines = parsed(w);
      assert.equal(lines.length, i, w.lines().join('\n'));
      assert.equal(lines.at(-1).level, 'error');
      assert.equal(lines.at(-1).msg, 'configuration refused');
      assert.match(lines.at(-1).error, /SQL_TIMEOUT_MS/);
    }
    assert.ok(!w.lines().some((l) => l.includes('secret-pass')), 'no credentials in logs');
  } finally {
    await w.stop();
  }
});

test('lines of the build at startup are written by the first request, once', { timeout: 60_000 }, async () => {
  const w = await startWorker({ bindings: { LOG_LEVEL: 'warn' } });  // no DATABASE_URL: logged as an error
  try {
    await settle();
    assert.deepEqual(w.lines(), [], 'nothing is logged at startup');
    assert.equal((await get(w)).status, 401);
    assert.equal((await get(w)).status, 401);
    await settle();
    const lines = parsed(w);
    assert.deepEqual(lines.map((l) => l.msg), ['database not configured'], w.lines().join('\n'));
    assert.match(lines[0].error, /DATABASE_URL is not set/);
  } finally {
    await w.stop();
  }
});

test('the warm-up leaves no log line and draws no request id, even at LOG_LEVEL=info', { timeout: 60_000 }, async () => {
  const w = await startWorker({ bindings: { DATABASE_URL: DUMMY_DB, LOG_LEVEL: 'info' } });
  try {
    const first = await get(w);
    assert.equal(first.status, 401);
    assert.match(first.id, /^[0-9a-f]{8}00000001$/, 'the first request gets the isolate\'s first host id');
    const notFound = await get(w, '/__edgefn/warm-up');
    assert.equal(notFound.status, 404, 'the warm-up path is an ordinary unknown path');
    await settle();
    const lines = parsed(w);
    assert.deepEqual(lines.map((l) => [l.msg, l.route ?? null, l.status ?? null]), [
      ['wasm instance created', null, null],
      ['request', '/api/wardrobe', 401],
      ['request', '(unmatched)', 404],
    ], w.lines().join('\n'));
    assert.equal(lines[1].request_id, first.id);
    assert.equal(lines[2].request_id, notFound.id);
    assert.match(notFound.id, /^[0-9a-f]{8}00000002$/);
  } finally {
    await w.stop();
  }
});
