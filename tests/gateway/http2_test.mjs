// HTTP/2 on the gateway: h2c with prior knowledge (curl, and the official Neon driver whose
// fetch goes through a node:http2 session), h2c by `Upgrade: h2c` (curl --http2), and h2 over
// TLS chosen by ALPN (a gateway started here with a self-signed certificate made by openssl).
// Every answer must equal the HTTP/1.1 answer to the same request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neon, neonConfig } from '@neondatabase/serverless';
import { loadEnv, useGateway } from '../conformance/support.mjs';

const env = loadEnv();
const conn = env.DATABASE_URL;
const gateway = env.EDGEFN_TEST_GATEWAY_URL;
useGateway(env);

/** Runs curl; returns { version, status, body }. */
function curl(args, url, body) {
  const out = execFileSync('curl', ['-sS', '--max-time', '10', ...args, '-H', `Neon-Connection-String: ${conn}`,
    '--data-binary', body, '-w', '\n%{http_version} %{http_code}', url], { encoding: 'utf8' });
  const cut = out.lastIndexOf('\n');
  const [version, status] = out.slice(cut + 1).split(' ');
  return { version, status: Number(status), body: out.slice(0, cut) };
}

/** A fetch for the Neon driver over one HTTP/2 session (prior knowledge); counts its requests. */
function http2Fetch(origin) {
  const session = http2.connect(origin);
  const state = { requests: 0, session };
  state.fetch = (url, init) => new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = session.request({ ':method': init.method, ':path': u.pathname + u.search, ...init.headers });
    state.requests += 1;
    const chunks = [];
    let head;
    req.on('response', (h) => { head = h; });
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(head)) if (!k.startsWith(':')) headers.set(k, String(v));
      resolve(new Response(Buffer.concat(chunks), { status: head[':status'], headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
  return state;
}

/** The driver's outcome of `run`, as a comparable value (result or error fields). */
async function outcome(run) {
  try {
    return { ok: await run() };
  } catch (e) {
    return { error: { name: e.name, message: e.message, code: e.code, severity: e.severity, position: e.position } };
  }
}

const driverCases = {
  query: (sql) => sql`select ${7}::int as n, 'a' || ${'b'} as s, now() is not null as t`,
  transaction: (sql) => sql.transaction((tx) => [tx`select 1 as one`, tx`select ${'x'}::text as two`],
    { isolationLevel: 'RepeatableRead', readOnly: true }),
  error: (sql) => sql`select 1 from no_such_table_h2`,
};

test('the Neon driver over h2c (node:http2) gets what it gets over HTTP/1.1', async () => {
  const origin = new URL(gateway).origin;
  const h2 = http2Fetch(origin);
  try {
    for (const [name, run] of Object.entries(driverCases)) {
      neonConfig.fetchFunction = undefined;
      const overH1 = await outcome(() => run(neon(conn)));
      neonConfig.fetchFunction = h2.fetch;
      const overH2 = await outcome(() => run(neon(conn)));
      assert.deepEqual(overH2, overH1, name);
      if (name === 'error') assert.equal(overH2.error?.code, '42P01');
      else assert.ok(overH2.ok, name);
    }
    assert.equal(h2.requests, Object.keys(driverCases).length, 'every driver request went over the HTTP/2 session');
    assert.equal(h2.session.alpnProtocol, 'h2c');
  } finally {
    neonConfig.fetchFunction = undefined;
    h2.session.close();
  }
});

test('node:http2 streams run concurrently on one connection', async () => {
  const h2 = http2Fetch(new URL(gateway).origin);
  try {
    neonConfig.fetchFunction = h2.fetch;
    const sql = neon(conn);
    const started = Date.now();
    const rows = await Promise.all([1, 2, 3, 4].map((i) => sql`select ${i}::int as i, pg_sleep(0.3)`));
    const took = Date.now() - started;
    assert.deepEqual(rows.map((r) => r[0].i), [1, 2, 3, 4]);
    assert.ok(took < 1100, `4 × 300 ms streams took ${took} ms: not concurrent`);
  } finally {
    neonConfig.fetchFunction = undefined;
    h2.session.close();
  }
});

const body = '{"query":"select 1 as x, $1::text as y","params":["h2"]}';

test('curl --http2-prior-knowledge and --http2 (Upgrade: h2c) get the HTTP/1.1 body', () => {
  const h1 = curl(['--http1.1'], gateway, body);
  assert.equal(h1.status, 200);
  assert.equal(h1.version, '1.1');
  const prior = curl(['--http2-prior-knowledge'], gateway, body);
  assert.deepEqual(prior, { ...h1, version: '2' });
  const upgraded = curl(['--http2'], gateway, body);
  assert.deepEqual(upgraded, { ...h1, version: '2' });
  const bad = curl(['--http2-prior-knowledge'], gateway, '{"query":');
  assert.equal(bad.status, 400);
  assert.equal(bad.body, curl(['--http1.1'], gateway, '{"query":').body);
});

let dir;
let tls;
let tlsUrl;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgefn-h2-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
    '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  tls = spawn(process.env.EDGEFN_BIN, ['gateway', '--listen', '127.0.0.1:0', '--pg-host', env.EDGEFN_TEST_PG_HOST,
    '--pg-port', env.EDGEFN_TEST_PG_PORT, '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem'),
    '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  tlsUrl = await new Promise((resolve, reject) => {
    let seen = '';
    tls.stderr.on('data', (d) => {
      seen += d;
      const m = /listening on (https:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    tls.on('exit', (code) => reject(new Error(`TLS gateway exited (${code}): ${seen}`)));
  });
});

after(() => {
  tls?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('over TLS, ALPN chooses h2 (curl --http2 -k) and the body equals HTTP/1.1 over TLS', () => {
  assert.match(tlsUrl, /^https:\/\/127\.0\.0\.1:\d+\/sql$/);
  const h1 = curl(['-k', '--http1.1'], tlsUrl, body);
  assert.equal(h1.status, 200);
  assert.equal(h1.version, '1.1');
  assert.equal(h1.body, curl(['--http1.1'], gateway, body).body);
  const h2 = curl(['-k', '--http2'], tlsUrl, body);
  assert.deepEqual(h2, { ...h1, version: '2' });
});
