// fetch_jwks actions: GET the JWKS document, cached in the isolate for 5 minutes (the core
// keeps nothing between exchanges). Only 200 answers are cached.

import { failureOutcome, fetchBytes } from './neon.js';

const TTL_MS = 300_000;
const TIMEOUT_MS = 10_000;
/** @type {Map<string, {body: Uint8Array, fetchedAt: number}>} */
const cache = new Map();

/**
 * Until when (ms since the epoch) the isolate's copy of `url`'s document is used as is; 0 when
 * there is none (an exchange that used a fresh fetch is bounded by the copy it stored).
 * @param {string} url
 */
export function jwksFreshUntil(url) {
  const hit = cache.get(url);
  return hit ? hit.fetchedAt + TTL_MS : 0;
}

/**
 * @param {string} url
 * @returns {Promise<{outcome: string, status: number, body: Uint8Array, detail?: string}>}
 */
export async function fetchJwks(url) {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.fetchedAt < TTL_MS) return { outcome: 'ok', status: 200, body: hit.body };
  try {
    const { status, body } = await fetchBytes(url, { headers: { Accept: 'application/json' } }, TIMEOUT_MS);
    if (status === 200) cache.set(url, { body, fetchedAt: Date.now() });
    return { outcome: 'ok', status, body };
  } catch (e) {
    const outcome = failureOutcome(e);
    return { outcome, status: 0, body: new Uint8Array(0), detail: `JWKS fetch failed (${outcome})` };
  }
}
