// fetch_jwks actions: GET the JWKS document, cached in the isolate (the core keeps nothing
// between exchanges), with the native host's rules (native/host/host.cpp): a copy is used for
// 5 minutes; an action marked `refresh` (the core met an unknown kid: a key rotation, or a
// forged kid) refetches only when the copy is over 30 seconds old, so that a rotation is picked
// up within 30 s and tokens with made-up kids cannot make every request a fetch. Concurrent
// fetches of one URL are one fetch. Only 200 answers are cached.

import { failureOutcome, fetchBytes } from './neon.js';

const TTL_MS = 300_000;
/** An unknown kid refetches a copy at most this old (native/host/host.cpp k_jwks_refresh_min_ms). */
const REFRESH_MIN_MS = 30_000;
const TIMEOUT_MS = 10_000;
/** @type {Map<string, {body: Uint8Array, fetchedAt: number}>} */
const cache = new Map();
/** Fetches under way, by URL: the requests that need the document meanwhile share them. */
const inflight = new Map();

/**
 * Until when (ms since the epoch) the isolate's copy of `url`'s document is used as is; 0 when
 * there is none (an exchange that used a fresh fetch is bounded by the copy it stored).
 * @param {string} url
 */
export function jwksFreshUntil(url) {
  const hit = cache.get(url);
  return hit ? hit.fetchedAt + TTL_MS : 0;
}

/** @param {string} url */
async function fetchDocument(url) {
  try {
    const { status, body } = await fetchBytes(url, { headers: { Accept: 'application/json' } }, TIMEOUT_MS);
    if (status === 200) cache.set(url, { body, fetchedAt: Date.now() });
    return { outcome: 'ok', status, body };
  } catch (e) {
    const outcome = failureOutcome(e);
    return { outcome, status: 0, body: new Uint8Array(0), detail: `JWKS fetch failed (${outcome})` };
  }
}

/**
 * The JWKS document at `url`: the isolate's copy while it is fresh enough, else a fetch (shared
 * with any other request fetching it now).
 * @param {string} url
 * @param {boolean} [refresh] the core met an unknown kid in the copy it had
 * @returns {Promise<{outcome: string, status: number, body: Uint8Array, detail?: string}>}
 */
export function fetchJwks(url, refresh = false) {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.fetchedAt < (refresh ? REFRESH_MIN_MS : TTL_MS)) {
    return Promise.resolve({ outcome: 'ok', status: 200, body: hit.body });
  }
  let pending = inflight.get(url);
  if (!pending) {
    pending = fetchDocument(url).finally(() => inflight.delete(url));
    inflight.set(url, pending);
  }
  return pending;
}
