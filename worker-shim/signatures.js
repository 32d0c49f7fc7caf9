// verify_signature actions with WebCrypto: RS256 (RSASSA-PKCS1-v1_5 + SHA-256) and ES256
// (ECDSA P-256 + SHA-256, raw r||s signatures, which is WebCrypto's format) against a JWK;
// HS256 against AUTH_DEV_SECRET (development; the secret never enters the core). Any unusable
// key, unknown alg or alg/key mismatch verifies as false.

import { fromBase64 } from './codec.js';

const ALGS = {
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' }, kty: 'RSA' },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' }, kty: 'EC' },
};

/** Imported keys by alg + JWK text (CryptoKeys may be shared between requests). */
const keyCache = new Map();
const KEY_CACHE_MAX = 256;

/** @param {string} alg @param {string} jwkText */
async function importJwk(alg, jwkText) {
  const id = `${alg}\n${jwkText}`;
  let p = keyCache.get(id);
  if (!p) {
    p = (async () => {
      const jwk = JSON.parse(jwkText);
      const spec = ALGS[alg];
      if (jwk.kty !== spec.kty) throw new Error('key type does not match alg');
      if (jwk.alg !== undefined && jwk.alg !== alg) throw new Error('key alg does not match');
      if (alg === 'ES256' && jwk.crv !== 'P-256') throw new Error('curve');
      const pub = spec.kty === 'RSA' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
      return crypto.subtle.importKey('jwk', pub, spec.import, false, ['verify']);
    })();
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(id, p);
  }
  return p;
}

/** The imported HS256 key: one per isolate (AUTH_DEV_SECRET is fixed for an isolate's life). */
let hmacKey = { secret: '', key: /** @type {Promise<CryptoKey> | null} */ (null) };

/** @param {string} secret */
function importHmac(secret) {
  if (hmacKey.key === null || hmacKey.secret !== secret) {
    const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    hmacKey = { secret, key };
    key.catch(() => { if (hmacKey.key === key) hmacKey = { secret: '', key: null }; });
  }
  return hmacKey.key;
}

/**
 * Verifies one JWS signature.
 * @param {{alg: string, key: string, input: string, signature_b64: string}} action
 * @param {string} devSecret AUTH_DEV_SECRET ("" = HS256 refused)
 * @returns {Promise<boolean>}
 */
export async function verifySignature(action, devSecret) {
  try {
    const data = new TextEncoder().encode(action.input);
    const sig = fromBase64(action.signature_b64 ?? '');
    if (action.alg === 'HS256') {
      if (action.key !== '' || !devSecret) return false;
      return await crypto.subtle.verify('HMAC', await importHmac(devSecret), sig, data);
    }
    const spec = ALGS[action.alg];
    if (!spec || !action.key) return false;
    const key = await importJwk(action.alg, action.key);
    return await crypto.subtle.verify(spec.verify, key, sig, data);
  } catch {
    return false;
  }
}
