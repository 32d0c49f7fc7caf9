// verify_signature actions with WebCrypto: RS256 (RSASSA-PKCS1-v1_5 + SHA-256), ES256
// (ECDSA P-256 + SHA-256, raw r||s signatures, which is WebCrypto's format) and EdDSA (Ed25519,
// OKP JWKs per RFC 8037; the core sends "EdDSA" for header algs "EdDSA" and "Ed25519") against
// a JWK; HS256 against AUTH_DEV_SECRET (development; the secret never enters the core). Any
// unusable key, unknown alg or alg/key mismatch verifies as false.
//
// Clients send the same token on every request: the core remembers positive verdicts
// (src/auth/verdicts.h), so a repeated token sends no verify_signature action at all; this file
// verifies every action it gets (one memo, in the core, for both hosts). Claims such as exp are
// checked by the core on every request.
//
// HS256 is verified here, not in the core, although the core could compute HMAC-SHA256: the
// development secret stays in the host (never in module memory, never in a core log line); with
// the core's memo only a token's first request pays the round trip.

import { fromBase64 } from './codec.js';

const ALGS = {
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' }, kty: 'RSA' },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' }, kty: 'EC', crv: 'P-256' },
  EdDSA: { import: { name: 'Ed25519' }, verify: { name: 'Ed25519' }, kty: 'OKP', crv: 'Ed25519', keyAlgs: ['EdDSA', 'Ed25519'] },
};

/** The public members WebCrypto needs, by key type (nothing else of the JWK is passed on). */
const PUBLIC = {
  RSA: (k) => ({ kty: 'RSA', n: k.n, e: k.e }),
  EC: (k) => ({ kty: 'EC', crv: k.crv, x: k.x, y: k.y }),
  OKP: (k) => ({ kty: 'OKP', crv: k.crv, x: k.x }),
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
      if (jwk.alg !== undefined && !(spec.keyAlgs ?? [alg]).includes(jwk.alg)) throw new Error('key alg does not match');
      if (jwk.use !== undefined && jwk.use !== 'sig') throw new Error('not a signing key');
      if (spec.crv && jwk.crv !== spec.crv) throw new Error('curve');
      return crypto.subtle.importKey('jwk', PUBLIC[spec.kty](jwk), spec.import, false, ['verify']);
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
    const spec = Object.hasOwn(ALGS, action.alg) ? ALGS[action.alg] : undefined;
    if (!spec || !action.key) return false;
    const key = await importJwk(action.alg, action.key);
    return await crypto.subtle.verify(spec.verify, key, sig, data);
  } catch {
    return false;
  }
}
