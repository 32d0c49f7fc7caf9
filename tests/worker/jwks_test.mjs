// AUTH_JWKS_URL in the Worker (worker-shim/jwks.js), against a local JWKS endpoint that counts
// its requests: the document is fetched once for concurrent requests and cached; an unknown kid
// refetches it only when the copy is over 30 s old (the native host's rule), so a key rotation
// is picked up within 30 s and tokens with made-up kids cause no fetches. No database: a request
// that authenticates is answered 503 (the database is unreachable), one that does not 401.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { makeKeys, mint, publicJwks } from '../scenarios/lib/tokens.mjs';
import { startWorker } from './worker_host.mjs';

const keys = makeKeys();
const published = publicJwks(keys).keys;
const docWith = (...kids) => JSON.stringify({ keys: published.filter((k) => kids.includes(k.kid)) });
const token = (spec) => mint(keys, spec, { sub: (name) => `jwks-${name}` });

let served = docWith('ec-1');
let fetches = 0;
let firstFetchAt = 0;
const server = http.createServer((req, res) => {
  fetches++;
  firstFetchAt ||= Date.now();
  // Slow enough that concurrent requests overlap the fetch.
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(served), 100);
});
let w;

before(async () => {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  w = await startWorker({
    bindings: {
      DATABASE_URL: 'postgres://u:p@127.0.0.1:9/db', NEON_FETCH_ENDPOINT: 'http://127.0.0.1:9/sql',
      AUTH_JWKS_URL: `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`,
    },
  });
});
after(async () => {
  await w?.stop();
  server.close();
});

/** The statuses of one request per token, all at once. */
async function statuses(tokens) {
  return Promise.all(tokens.map(async (t) => {
    const res = await fetch(`${w.url}/api/wardrobe/total-items`, { headers: { authorization: `Bearer ${t}` } });
    await res.arrayBuffer();
    return res.status;
  }));
}

const AUTHENTICATED = 503;  // past authentication, the database is unreachable
const randomKid = () => ({ alg: 'ES256', kid: `forged-${randomBytes(4).toString('hex')}` });

test('concurrent first requests share one fetch; the copy serves later ones', { timeout: 60_000 }, async () => {
  const tokens = Array.from({ length: 12 }, (_, i) => token({ alg: 'ES256', user: `u${i}` }));
  assert.deepEqual(await statuses(tokens), Array(12).fill(AUTHENTICATED));
  assert.equal(fetches, 1, 'one fetch for twelve concurrent requests');
  assert.deepEqual(await statuses([token({ alg: 'ES256', user: 'later' })]), [AUTHENTICATED]);
  assert.equal(fetches, 1);
});

test('an unknown kid refetches only a copy over 30 s old: rotation within 30 s, no fetch per forged kid', { timeout: 90_000 }, async () => {
  assert.equal(fetches, 1, 'runs after the first test');
  served = docWith('ec-1', 'ed-1');  // the issuer adds a key and signs with it
  const rotated = token({ alg: 'EdDSA', user: 'rotated' });
  assert.deepEqual(await statuses([rotated]), [401], 'a copy under 30 s old is not refetched');
  assert.deepEqual(await statuses(Array.from({ length: 16 }, () => token(randomKid()))), Array(16).fill(401));
  assert.equal(fetches, 1, 'forged kids fetched nothing');

  await new Promise((r) => setTimeout(r, Math.max(0, firstFetchAt + 31_000 - Date.now())));
  assert.deepEqual(await statuses([rotated]), [AUTHENTICATED], 'the rotated key is fetched and accepted');
  assert.equal(fetches, 2);
  assert.deepEqual(await statuses(Array.from({ length: 16 }, () => token(randomKid()))), Array(16).fill(401));
  assert.deepEqual(await statuses([token({ alg: 'ES256', user: 'still' })]), [AUTHENTICATED], 'the old key still works');
  assert.equal(fetches, 2, 'the refreshed copy serves the next 30 s');
});
