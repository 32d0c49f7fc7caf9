// worker-shim/signatures.js in real workerd (miniflare, no wasm, no database): the signature
// corpus, including EdDSA through workerd's WebCrypto Ed25519, must get the same verdicts as
// under node.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Miniflare } from 'miniflare';
import { COMPATIBILITY_DATE, SHIM_DIR } from './worker_host.mjs';
import { signatureCorpus } from './signature_corpus.mjs';

// POST {action, devSecret} -> {"valid": bool}
const ENTRY = `import { verifySignature } from './signatures.js';
export default {
  async fetch(req) {
    const { action, devSecret } = await req.json();
    return Response.json({ valid: await verifySignature(action, devSecret) });
  },
};`;

let mf;
before(async () => {
  const shim = (f) => ({ type: 'ESModule', path: join(SHIM_DIR, f), contents: readFileSync(join(SHIM_DIR, f), 'utf8') });
  mf = new Miniflare({
    modules: [{ type: 'ESModule', path: join(SHIM_DIR, 'entry_signatures_test.js'), contents: ENTRY }, shim('signatures.js'), shim('codec.js'), shim('lru.js')],
    modulesRoot: SHIM_DIR,
    compatibilityDate: COMPATIBILITY_DATE,
  });
  await mf.ready;
});
after(async () => { await mf?.dispose(); });

async function verify(action, devSecret = '') {
  const r = await mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify({ action, devSecret }) });
  assert.equal(r.status, 200);
  return (await r.json()).valid;
}

test('signature corpus (RS256, ES256, EdDSA) in workerd', async () => {
  const cases = await signatureCorpus();
  assert.ok(cases.some((c) => c.action.alg === 'EdDSA' && c.expected), 'the corpus has valid EdDSA cases');
  for (const { name, action, expected } of cases) assert.equal(await verify(action), expected, name);
});
