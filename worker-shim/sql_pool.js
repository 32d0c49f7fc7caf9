// The two database pools, Hyperdrive style.
//
//   direct: every SQL action is a POST /sql.
//   cached: an action the core marked cacheable (a read-only single statement without
//           volatile/stable functions) is answered from an in-isolate LRU, then the Cache API,
//           for max_age (CACHE_MAX_AGE, 60 s); for stale_while_revalidate more (CACHE_SWR,
//           15 s) a stale copy is served while ctx.waitUntil refreshes it. Errors (non-2xx,
//           failed fetches) and bodies over CACHE_MAX_BYTES (1 MiB) are never stored. The
//           cacheability verdict is the core's; this file never re-decides it.
//
// Invalidation: every key includes a version per table the statement reads (TableVersions).
// An action that writes tables bumps their versions before and after it runs, so a later read
// computes a different key: the old entries are unreachable (and dropped from the LRU), and a
// read that started before the write stores under the old key, never the new one. Versions
// live in the isolate (bumped synchronously: no I/O on the write's path) and are published to
// the Cache API (per data centre) in ctx.waitUntil after the write: another isolate of the
// same colo learns a bump within VERSION_RECHECK_MS; other colos only see it expire (max_age +
// swr). With CACHE_DISABLED=true nothing is cached, so writes do no bookkeeping at all.
//
// Bookmarks (what makes read-your-writes hold across isolates and colos): a read the core
// sends with `after_lsn` (the request's Edgefn-Bookmark, a write's WAL position) is answered
// only from an entry whose floor is at or beyond it; every entry keeps as its floor the
// bookmark of the request that fetched it (0 for none), in the LRU and in the Cache API
// (x-edgefn-floor). Such an entry was fetched after that bookmark's write had committed.
//
// Read replica (DATABASE_URL_READ): an action the core marks `replica` (a replica-safe read) is
// sent there instead of the primary, after the cache when it is cacheable; the result reports
// which database answered (`db`: primary | replica; absent for a cache hit). The core decides,
// including when a bookmark requires the primary.
//
// Responses (response_cache.js): a read answered from an LRU entry reports that entry (`dep`),
// so that the final response computed from it can be replayed while it is still the answer.

import { Lru } from './lru.js';
import { postSql } from './neon.js';
import { ResponseCache } from './response_cache.js';

const LRU_ENTRIES = 2048;
const DEFAULT_TOTAL_BYTES = 16 << 20;
const ENTRY_OVERHEAD_BYTES = 256;
/** In-isolate keys up to this many UTF-16 units are the exact key text; longer ones its SHA-256. */
const MAX_TEXT_KEY = 1024;
const VERSION_RECHECK_MS = 1000;
const CACHE_PREFIX = '/__edgefn/cache';
/** Numbers the LRU's entries: a `dep` names its entry by (key, serial), never holding its body. */
let serials = 0;

/** @param {string} text */
async function sha256Hex(text) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The Cache API, when this runtime offers it (not in every context). */
function defaultCache() {
  try {
    return typeof caches !== 'undefined' ? caches.default : null;
  } catch {
    return null;
  }
}

/** Per-table versions (in-isolate, mirrored in the Cache API). */
export class TableVersions {
  /** @param {string} scope a hash of the database identity @param {number} ttlS */
  constructor(scope, ttlS) {
    this.scope = scope;
    this.ttlS = ttlS;
    /** @type {Map<string, {v: string, checkedAt: number}>} */
    this.local = new Map();
  }

  /** @param {string} origin @param {string} table */
  url(origin, table) {
    return `${origin}${CACHE_PREFIX}/table/${this.scope}/${encodeURIComponent(table)}`;
  }

  /**
   * The versions of `tables` when each was checked within VERSION_RECHECK_MS (no I/O, no
   * promise: a cache hit's path), else null (then await get()).
   * @param {string[]} tables @returns {string[] | null}
   */
  fresh(tables) {
    const now = Date.now();
    const out = [];
    for (const t of tables) {
      const l = this.local.get(t);
      if (!l || now - l.checkedAt >= VERSION_RECHECK_MS) return null;
      out.push(l.v);
    }
    return out;
  }

  /**
   * The current versions of `tables` (checked against the Cache API at most once a second).
   * @param {string[]} tables @param {string} origin @returns {Promise<string[]>}
   */
  async get(tables, origin) {
    const now = Date.now();
    return Promise.all(tables.map(async (t) => {
      const l = this.local.get(t);
      if (l && now - l.checkedAt < VERSION_RECHECK_MS) return l.v;
      let v = l?.v ?? '0';
      const cache = defaultCache();
      if (cache) {
        try {
          const hit = await cache.match(this.url(origin, t));
          if (hit) v = await hit.text();
        } catch { /* the Cache API is best effort */ }
      }
      this.local.set(t, { v, checkedAt: now });
      return v;
    }));
  }

  /**
   * New versions for `tables`, in this isolate (synchronous: no I/O).
   * @param {string[]} tables
   */
  bump(tables) {
    const now = Date.now();
    for (const t of tables) this.local.set(t, { v: `${now.toString(36)}.${crypto.randomUUID().slice(0, 8)}`, checkedAt: now });
  }

  /**
   * Publishes this isolate's versions of `tables` to the Cache API (for the colo's other
   * isolates). Best effort; run it in ctx.waitUntil.
   * @param {string[]} tables @param {string} origin
   */
  async publish(tables, origin) {
    const cache = defaultCache();
    if (!cache) return;
    await Promise.all(tables.map(async (t) => {
      const v = this.local.get(t)?.v;
      if (v === undefined) return;
      try {
        await cache.put(this.url(origin, t), new Response(v, { headers: { 'Cache-Control': `max-age=${this.ttlS}` } }));
      } catch { /* best effort */ }
    }));
  }
}

/**
 * Performs SQL actions on the `cached` and `direct` pools.
 */
/**
 * The core's cache-status word (Hyperdrive's) for a pool status: hit, stale, miss, or bypass
 * (uncacheable, direct, disabled).
 * @param {string} status
 */
export function cacheWord(status) {
  return status === 'hit' || status === 'stale' || status === 'miss' ? status : 'bypass';
}

/**
 * A WAL position ("16/B374D848") as a BigInt; 0n when absent or malformed (the core only sends
 * well-formed ones).
 * @param {unknown} text
 */
export function lsnValue(text) {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(typeof text === 'string' ? text : '');
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : 0n;
}

export class SqlPools {
  /**
   * @param {{url: string, databaseUrl: string}} target
   * @param {string} identity "user@host:port/database" (never the password)
   * @param {{maxAgeMs: number, swrMs: number, maxBytes: number, maxTotalBytes?: number, disabled: boolean}} options
   *   maxBytes: one result's cap; maxTotalBytes: the in-isolate cache's (default 16 MiB)
   * @param {{url: string, databaseUrl: string} | null} [replica] the read replica, if any
   */
  constructor(target, identity, options, replica = null) {
    this.target = target;
    this.replica = replica;
    this.identity = identity;
    this.options = options;
    // Bounded by bytes (bodies + keys + a fixed overhead per entry), not only by count: one
    // isolate has 128 MB for everything.
    this.lru = new Lru(LRU_ENTRIES, {
      maxBytes: options.maxTotalBytes ?? DEFAULT_TOTAL_BYTES,
      sizeOf: (k, e) => k.length * 2 + (e.body?.length ?? 0) + ENTRY_OVERHEAD_BYTES,
    });
    /** @type {Set<string>} keys being refreshed in the background */
    this.refreshing = new Set();
    this.versions = null;
    this.ready = sha256Hex(identity).then((h) => {
      this.scope = h.slice(0, 16);
      this.versions = new TableVersions(this.scope, Math.ceil((options.maxAgeMs + options.swrMs) / 1000) + 60);
    });
    /** Counters (tests and logs). */
    this.stats = { sent: 0, hit: 0, stale: 0, miss: 0 };
    /** Final responses computed from this pool's entries (none when caching is off). */
    this.responses = options.disabled ? null : new ResponseCache(this, Math.floor((options.maxTotalBytes ?? DEFAULT_TOTAL_BYTES) / 4));
  }

  /**
   * Performs one sql action. Resolves to the result for the core, the cache status
   * (hit | stale | miss | uncacheable | direct | disabled) and, when the answer is an entry of
   * the in-isolate LRU (a hit, or a miss it stored), that entry as `dep` (response_cache.js).
   * @param {{pool: string, cacheable: boolean, reads: string[], writes: string[], headers: Array<[string,string]>, body: string, timeout_ms?: number}} call
   * @param {{waitUntil(p: Promise<unknown>): void}} ctx
   * @param {string} origin the Worker's origin (Cache API keys live under it)
   */
  async perform(call, ctx, origin) {
    if (this.options.disabled) {
      return { result: await this.send(call), cache: call.pool !== 'cached' ? 'direct' : 'disabled' };
    }
    if (this.versions === null) await this.ready;
    const writes = call.writes ?? [];
    if (writes.length) this.invalidate(writes);
    if (call.pool !== 'cached' || !call.cacheable) {
      const result = await this.send(call);
      if (writes.length) {
        this.invalidate(writes);
        ctx.waitUntil(this.versions.publish(writes, origin));
      }
      return { result, cache: call.pool !== 'cached' ? 'direct' : 'uncacheable' };
    }

    const key = await this.key(call, origin);
    const after = lsnValue(call.after_lsn);
    let found = this.lru.get(key.id);
    if (!found || found.floor < after) found = await this.matchShared(key, origin);
    if (found && found.floor < after) found = null;  // fetched before the bookmark's write: not for this read
    if (found) {
      const age = Date.now() - found.storedAt;
      if (age < this.options.maxAgeMs) {
        this.stats.hit++;
        return { result: { outcome: 'ok', status: found.status, body: found.body }, cache: 'hit', dep: this.depOf(key, found) };
      }
      if (age < this.options.maxAgeMs + this.options.swrMs) {
        this.stats.stale++;
        if (!this.refreshing.has(key.id)) {
          this.refreshing.add(key.id);
          ctx.waitUntil(this.fetchAndStore(call, key, origin, ctx, after).finally(() => this.refreshing.delete(key.id)));
        }
        return { result: { outcome: 'ok', status: found.status, body: found.body }, cache: 'stale' };
      }
      this.lru.delete(key.id);
    }
    this.stats.miss++;
    const { result, entry } = await this.fetchAndStore(call, key, origin, ctx, after);
    return { result, cache: 'miss', dep: this.depOf(key, entry) };
  }

  /**
   * Whether the answer `dep` (from perform) is still what a read of its key gets from the LRU
   * and still fresh at `now`; its tables' versions are checked apart (response_cache.js).
   * @param {import('./response_cache.js').SqlDep} dep @param {number} now
   */
  current(dep, now) {
    return now - dep.storedAt < this.options.maxAgeMs && this.lru.get(dep.id)?.serial === dep.serial;
  }

  /**
   * @private The `dep` of an answer: `entry` while it is the LRU's entry for `key`, else null.
   * @returns {import('./response_cache.js').SqlDep | null}
   */
  depOf(key, entry) {
    if (entry === null || this.lru.map.get(key.id) !== entry) return null;
    return { id: key.id, serial: entry.serial, storedAt: entry.storedAt, reads: key.reads, versions: key.versions };
  }

  /** @private Sends `call` to the replica when it is marked for one and there is one. */
  async send(call) {
    this.stats.sent++;
    const toReplica = call.replica === true && this.replica !== null;
    const result = await postSql(toReplica ? this.replica : this.target, call.headers ?? [], call.body, call.timeout_ms ?? 0);
    return { ...result, db: toReplica ? 'replica' : 'primary' };
  }

  /**
   * @private Fetches and stores a cacheable read (2xx, size-capped) with its floor (a BigInt).
   * Resolves to the result and the stored entry (null when not stored).
   */
  async fetchAndStore(call, key, origin, ctx, floor) {
    const result = await this.send(call);
    const ok = result.outcome === 'ok' && result.status >= 200 && result.status < 300;
    if (ok && result.body.length <= this.options.maxBytes) {
      const entry = { status: result.status, body: result.body, storedAt: Date.now(), reads: call.reads ?? [], floor, serial: ++serials };
      this.lru.set(key.id, entry);
      ctx.waitUntil(this.putShared(key, origin, entry));
      return { result, entry };
    }
    return { result, entry: null };
  }

  /**
   * @private The key of a cacheable read: its headers, body and the read tables' versions
   * (this pool serves one database). `id` keys the in-isolate LRU: the exact text (a Map
   * compares it whole, so no two statements can share an entry), or its SHA-256 when long.
   * `hash()` gives the SHA-256 (with the database identity) that names the Cache API entry,
   * computed only when the Cache API is used: a hit in the LRU hashes nothing. `reads` (sorted)
   * and `versions` are what the key was computed from.
   * @returns {Promise<{id: string, hash: () => Promise<string>, reads: string[], versions: string[]}>}
   */
  async key(call, origin) {
    const reads = call.reads ?? [];
    if (reads.length > 1) reads.sort();
    const versions = this.versions.fresh(reads) ?? (await this.versions.get(reads, origin));
    const text = `${JSON.stringify(call.headers ?? [])}\n${call.body}\n${JSON.stringify(reads.map((t, i) => [t, versions[i]]))}`;
    let hashed = null;
    const hash = () => (hashed ??= sha256Hex(`${this.identity}\n${text}`));
    return { id: text.length <= MAX_TEXT_KEY ? text : `#${await hash()}`, hash, reads, versions };
  }

  /** @private */
  async entryUrl(key, origin) {
    return `${origin}${CACHE_PREFIX}/sql/${this.scope}/${await key.hash()}`;
  }

  /** @private Looks the key up in the Cache API (shared by the isolates of a data centre). */
  async matchShared(key, origin) {
    const cache = defaultCache();
    if (!cache) return null;
    try {
      const res = await cache.match(await this.entryUrl(key, origin));
      if (!res) return null;
      const entry = {
        status: Number(res.headers.get('x-edgefn-status') ?? 200),
        storedAt: Number(res.headers.get('x-edgefn-stored-at') ?? 0),
        body: new Uint8Array(await res.arrayBuffer()),
        reads: JSON.parse(res.headers.get('x-edgefn-reads') ?? '[]'),
        floor: BigInt(res.headers.get('x-edgefn-floor') ?? '0'),
        serial: ++serials,
      };
      this.lru.set(key.id, entry);
      return entry;
    } catch {
      return null;
    }
  }

  /** @private */
  async putShared(key, origin, entry) {
    const cache = defaultCache();
    if (!cache) return;
    const ttl = Math.ceil((this.options.maxAgeMs + this.options.swrMs) / 1000);
    try {
      await cache.put(await this.entryUrl(key, origin), new Response(entry.body, {
        headers: {
          'Content-Type': 'application/json',
          'Cache-Control': `max-age=${Math.max(ttl, 1)}`,
          'x-edgefn-status': String(entry.status),
          'x-edgefn-stored-at': String(entry.storedAt),
          'x-edgefn-reads': JSON.stringify(entry.reads),
          'x-edgefn-floor': entry.floor.toString(),
        },
      }));
    } catch { /* best effort */ }
  }

  /** @private Writes make cached reads of their tables unreachable (in this isolate, no I/O). */
  invalidate(tables) {
    const set = new Set(tables);
    this.lru.deleteWhere((e) => e.reads.some((t) => set.has(t)));
    this.responses?.dropReading(set);
    this.versions.bump(tables);
  }
}
