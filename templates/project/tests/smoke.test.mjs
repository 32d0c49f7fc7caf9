// Smoke test of every route of the {{name}} API, against the native `serve` and (when the wasm
// module is built) the same module in workerd through miniflare. `make test` runs it with
// tests/run.sh, which starts a throwaway Postgres + the gateway, migrates and seeds:
//   APP_BIN              build/native/{{name}}
//   NEON_FETCH_ENDPOINT  the gateway's /sql URL; DATABASE_URL the database behind it
//   EDGEFN_DIR           the edgefn checkout (miniflare and its Worker runner come from there)
//   WASM                 build/wasm/{{name}}.wasm (optional: without it the workerd run is skipped)
// Needs no npm package of its own: node:test, fetch, and the edgefn checkout's node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

const { APP_BIN, NEON_FETCH_ENDPOINT, DATABASE_URL, EDGEFN_DIR, WASM } = process.env;
for (const [k, v] of Object.entries({ APP_BIN, NEON_FETCH_ENDPOINT, DATABASE_URL })) {
  if (!v) throw new Error(`${k} is not set (run the smoke test through tests/run.sh: make test)`);
}
const AUTH_DEV_SECRET = randomBytes(24).toString('hex');
const hostEnv = { DATABASE_URL, NEON_FETCH_ENDPOINT, AUTH_DEV_SECRET };
const token = execFileSync(APP_BIN, ['token', '--sub', 'smoke-user'], { env: { ...process.env, ...hostEnv } })
  .toString().trim();

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startNative() {
  const port = await freePort();
  const proc = spawn(APP_BIN, ['serve', '--port', String(port)], {
    env: { ...process.env, ...hostEnv }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`serve exited ${proc.exitCode}:\n${log}`);
    try { if ((await fetch(`${url}/healthz`)).ok) return { url, stop: async () => proc.kill('SIGTERM') }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`serve did not answer /healthz:\n${log}`);
}

async function startWorkerd() {
  process.env.EDGEFN_SOURCE_DIR = EDGEFN_DIR;
  process.env.EDGEFN_WASM_DIR = dirname(WASM);
  const { startWorker } = await import(join(EDGEFN_DIR, 'tests/worker/worker_host.mjs'));
  const w = await startWorker({ bindings: hostEnv, wasm: basename(WASM), r2: false });
  return { url: w.url, stop: () => w.stop() };
}

/** One request; `auth` adds the bearer token. Returns {status, headers, body (parsed JSON)}. */
async function call(base, method, path, { body, auth = false } = {}) {
  const headers = {};
  if (auth) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  return { status: r.status, headers: r.headers, body: json };
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body?.error?.code, code, JSON.stringify(r.body));
  if (field) assert.ok(JSON.stringify(r.body.error.fields ?? {}).includes(`"${field}"`), `field ${field}: ${JSON.stringify(r.body)}`);
}

/** Every route: list, get, create, update, delete, with their validation, 401 and 404 answers. */
async function exercise(t, base) {
  const title = `smoke ${randomBytes(4).toString('hex')}`;

  const list = await call(base, 'GET', '/notes');
  assert.equal(list.status, 200);
  assert.ok(Array.isArray(list.body) && list.body.length >= 3, `seeded notes: ${JSON.stringify(list.body)}`);
  assert.ok(list.body.some((n) => n.title === 'Read the edgefn README'), 'a seed note is listed');

  assertError(await call(base, 'POST', '/notes', { body: { title } }), 401, 'unauthorized');
  assertError(await call(base, 'POST', '/notes', { body: {}, auth: true }), 400, 'validation_failed', 'title');
  assertError(await call(base, 'POST', '/notes', { body: { title: 'x'.repeat(257) }, auth: true }), 400, 'validation_failed', 'title');
  assertError(await call(base, 'POST', '/notes', { body: { title, id: 7 }, auth: true }), 400, 'validation_failed', 'id');
  assertError(await call(base, 'POST', '/notes', { body: { title, done: 'yes' }, auth: true }), 400, 'validation_failed', 'done');

  const created = await call(base, 'POST', '/notes', { body: { title, body: 'from the smoke test' }, auth: true });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const note = created.body;
  assert.equal(note.title, title);
  assert.equal(note.body, 'from the smoke test');
  assert.equal(note.done, false);
  assert.ok(Number.isInteger(note.id) && note.id > 0);
  assert.ok(!Number.isNaN(Date.parse(note.createdAt)), `createdAt: ${note.createdAt}`);
  assert.equal(created.headers.get('location'), `/notes/${note.id}`);

  const got = await call(base, 'GET', `/notes/${note.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, note);
  const first = await call(base, 'GET', '/notes?limit=1');
  assert.equal(first.status, 200);
  assert.equal(first.body.length, 1);
  assertError(await call(base, 'GET', '/notes?limit=0'), 400, 'validation_failed', 'limit');

  assertError(await call(base, 'PATCH', `/notes/${note.id}`, { body: { done: true } }), 401, 'unauthorized');
  assertError(await call(base, 'PATCH', `/notes/${note.id}`, { body: {}, auth: true }), 400, 'validation_failed');
  const updated = await call(base, 'PATCH', `/notes/${note.id}`, { body: { done: true }, auth: true });
  assert.equal(updated.status, 200, JSON.stringify(updated.body));
  assert.deepEqual(updated.body, { ...note, done: true });
  assert.deepEqual((await call(base, 'GET', `/notes/${note.id}`)).body, { ...note, done: true }, 'the read sees the write');
  assertError(await call(base, 'PATCH', '/notes/2147483647', { body: { done: true }, auth: true }), 404, 'not_found');

  assertError(await call(base, 'DELETE', `/notes/${note.id}`), 401, 'unauthorized');
  const deleted = await call(base, 'DELETE', `/notes/${note.id}`, { auth: true });
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body.id, note.id);
  assertError(await call(base, 'GET', `/notes/${note.id}`), 404, 'not_found');
  assertError(await call(base, 'DELETE', `/notes/${note.id}`, { auth: true }), 404, 'not_found');
  assertError(await call(base, 'GET', '/notes/abc'), 404, 'not_found');
  assert.ok(!(await call(base, 'GET', '/notes')).body.some((n) => n.id === note.id), 'the deleted note is not listed');

  const doc = await call(base, 'GET', '/api/openapi.json');
  assert.equal(doc.status, 200);
  assert.ok(doc.body.paths['/notes'] && doc.body.paths['/notes/{id}'], Object.keys(doc.body.paths ?? {}).join(','));
  t.diagnostic(`${base}: every route answered as documented`);
}

test('native serve: every route', async (t) => {
  const host = await startNative();
  try { await exercise(t, host.url); } finally { await host.stop(); }
});

test('workerd (miniflare): every route', { skip: !WASM || !existsSync(WASM) ? 'no wasm module (make wasm)' : false }, async (t) => {
  const host = await startWorkerd();
  try { await exercise(t, host.url); } finally { await host.stop(); }
});
