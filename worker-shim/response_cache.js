// Final responses replayed without entering the core: a repeated read whose SQL the pool still
// answers with the very same cache entries gets the bytes the core produced from them.
//
// Why it is exact. The core is a pure function of (request metadata, request body, action
// results, time); src/exchange/action.h response::reuse_until_ms is the core saying that for
// this response time only matters up to that instant (a token's expiry), that the response
// carries nothing of this request but its X-Request-Id, and that it is a read answered 200
// (never a write, a refusal, an error, a Server-Timing). An entry is stored only when, in
// addition, every action of the exchange was pure for this isolate:
//   sql               answered by the `cached` pool from an entry of its LRU (a hit, or a miss
//                     whose answer was stored): the entry (its key and serial number), its
//                     tables' versions are recorded (uncacheable, direct, stale or unstored answers:
//                     nothing is stored);
//   verify_signature  a pure function of (alg, key, input, signature) for a fixed
//                     AUTH_DEV_SECRET;
//   fetch_jwks        bounded by the shim's JWKS copy (jwks.js: the entry expires with it);
// anything else (delete_object, …) makes the exchange unreplayable.
// The key is the request as the core sees it: method, target and every header it gets (so the
// token, Origin, Edgefn-Bookmark, …; codec.js TRACE_HEADERS never reach it), x-request-id aside
// (the shim derives the id exactly as the core does and substitutes the header); only GET/HEAD
// without a body. A later request with the same
// key is answered from the entry only if, now:
//   - now < reuse_until_ms and now < the JWKS copy's expiry (an expired token, or one past a
//     key rotation window, goes through the core and gets its 401);
//   - each recorded SQL entry is still the pool's LRU entry for its key (a write deletes the
//     entries reading its tables: pools.invalidate), still fresh (age < max_age: a stale one
//     goes through the core, which serves it and refreshes it, as before), and its tables'
//     versions are the ones recorded (checked as the pool checks them, so another isolate's
//     write is seen within the same second). The bookmark floor needs no check: the
//     Edgefn-Bookmark header is in the key and the entry is the same.
// Then the core would issue the same actions, the pool would answer them with the same bytes
// and the core would render the same response: replaying it is that answer, minus the work.
//
// A replay writes the request log line itself ("cache":"response", db_round_trips 0).
// Entries and bytes are bounded (an LRU); writes drop the entries reading their tables.

import { TRACE_HEADERS } from './codec.js';
import { Lru } from './lru.js';

const MAX_ENTRIES = 1024;
const DEFAULT_MAX_BYTES = 4 << 20;
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * The key of a replayable request: method, target and the headers the core gets but
 * x-request-id; null when the request cannot be replayed (not GET/HEAD, or a body).
 * @param {Request} request @param {URL} url
 * @returns {string | null}
 */
export function replayKey(request, url) {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || request.body !== null) return null;
  let key = `${request.method} ${url.pathname}${url.search}`;
  for (const [k, v] of request.headers) if (k !== 'x-request-id' && !TRACE_HEADERS.has(k)) key += `\n${k}: ${v}`;
  return key;
}

/**
 * @typedef {{id: string, serial: number, storedAt: number, reads: string[], versions: string[]}} SqlDep
 *   one SQL answer a response was computed from: the pool's LRU entry (key, serial; its body is
 *   not held), when it was stored, its tables (sorted) and their versions (sql_pool.js)
 * @typedef {{status: number, headers: Array<[string, string]>, body: Uint8Array, until: number,
 *   deps: SqlDep[], route: string}} Replay
 */

export class ResponseCache {
  /**
   * @param {import('./sql_pool.js').SqlPools} pools whose entries the responses are computed from
   * @param {number} [maxBytes] the responses' total size (keys + bodies + headers + overhead)
   */
  constructor(pools, maxBytes = DEFAULT_MAX_BYTES) {
    this.pools = pools;
    this.lru = new Lru(MAX_ENTRIES, {
      maxBytes,
      sizeOf: (k, e) => k.length * 2 + e.body.length + e.extraBytes + ENTRY_OVERHEAD_BYTES,
    });
  }

  /**
   * The replay for `key` if it is still exactly what the core would answer (see the header);
   * null otherwise. Synchronous unless a table version needs its once-a-second recheck.
   * @param {string} key @param {string} origin
   * @returns {Replay | null | Promise<Replay | null>}
   */
  match(key, origin) {
    const e = this.lru.get(key);
    if (!e) return null;
    const now = Date.now();
    if (now >= e.until || !e.deps.every((d) => this.pools.current(d, now))) {
      this.lru.delete(key);
      return null;
    }
    const pending = [];
    for (const d of e.deps) {
      const v = this.pools.versions.fresh(d.reads);
      if (v === null) pending.push(this.pools.versions.get(d.reads, origin).then((w) => sameVersions(w, d.versions)));
      else if (!sameVersions(v, d.versions)) return this.miss(key);
    }
    if (pending.length === 0) return e;
    return Promise.all(pending).then((ok) => (ok.every(Boolean) ? e : this.miss(key)));
  }

  /** @private */
  miss(key) {
    this.lru.delete(key);
    return null;
  }

  /**
   * Remembers the core's response to the request of `key`.
   * @param {string} key
   * @param {{status: number, headers: Array<[string, string]>, reuse_until_ms?: number}} meta the core's response metadata
   * @param {Uint8Array} body owned by the cache from now on
   * @param {{deps: SqlDep[], until: number, pure: boolean, logLine: string}} exchange what its
   *   actions were, and the core's request log line ("" when not logged)
   */
  store(key, meta, body, exchange) {
    const until = Math.min(meta.reuse_until_ms ?? 0, exchange.until);
    if (!exchange.pure || exchange.deps.length === 0 || meta.status !== 200 || !(until > Date.now())) return;
    let route = '';
    try {
      route = exchange.logLine ? String(JSON.parse(exchange.logLine).route ?? '') : '';
    } catch { /* the core writes JSON; a line that is not only loses the route */ }
    const headers = (meta.headers ?? []).filter(([k]) => k.toLowerCase() !== 'x-request-id');
    let extraBytes = route.length * 2;  // what the entry holds besides its key and body
    for (const [k, v] of headers) extraBytes += (k.length + v.length) * 2;
    for (const d of exchange.deps) extraBytes += d.id.length * 2 + ENTRY_OVERHEAD_BYTES;
    this.lru.set(key, { status: 200, headers, body, extraBytes, until, deps: exchange.deps, route });
  }

  /** Drops the responses computed from reads of `tables` (a write: they are unreachable anyway). @param {Set<string>} tables */
  dropReading(tables) {
    if (this.lru.size) this.lru.deleteWhere((e) => e.deps.some((d) => d.reads.some((t) => tables.has(t))));
  }
}

/** @param {string[]} a @param {string[]} b */
function sameVersions(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
