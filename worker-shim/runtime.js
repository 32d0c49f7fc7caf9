// The request loop: one wasm instance (one engine) serves every request of the isolate, many
// exchanges in flight at once. The core never suspends: the shim starts an exchange, drains
// the actions it yields, performs them concurrently (each as its own promise), feeds each
// result back as it arrives and drains again, until the core yields the response.
//
// Traps: any exception out of the module marks this runtime dead. Every exchange still in it
// (the failing one and any concurrent ones) is answered 500 with the API's JSON error, results
// that arrive later are dropped, and the next request gets a fresh instance (index.js).

import { EMPTY, readBody } from './body.js';
import { decodeAction, decodeResponse, encodeRequest, encodeResult, requestMeta, responseOf } from './codec.js';
import { addCors } from './cors.js';
import { WasmEngine } from './instance.js';
import { deleteObject } from './objects.js';
import { fetchJwks, jwksFreshUntil } from './jwks.js';
import { coreLog, log, logEnabled } from './log.js';
import { databaseIdentity, sqlUrl } from './neon.js';
import { replayKey } from './response_cache.js';
import { verifySignature } from './signatures.js';
import { SqlPools, cacheWord } from './sql_pool.js';

/** Exchanges older than this are cancelled (their invocation is gone: results never come). */
const ABANDONED_MS = 5 * 60_000;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** The rank that turns the core's log lines off (log.js LOG_LEVELS). */
const LOG_OFF = 4;
/** What warm() asks the engine: a path no app serves, answered 404 by the router, no I/O. */
const WARM_TARGET = '/__edgefn/warm-up';

/**
 * A 500/503 in the API's error envelope, for answers the shim gives itself, with the CORS
 * headers the core would add for `request`'s Origin (cors.js).
 * @param {number} status @param {string} code @param {string} message @param {string} requestId
 * @param {Request} request @param {string[]} corsOrigins
 */
export function errorResponse(status, code, message, requestId, request, corsOrigins) {
  const headers = { 'Content-Type': 'application/json', 'X-Request-Id': requestId };
  if (status === 503) headers['Retry-After'] = '5';
  addCors(headers, request.headers.get('origin'), corsOrigins);
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers });
}

/** What an exchange settles with when it cannot finish normally. */
const INTERNAL = Object.freeze({ error: { status: 500, code: 'internal' } });

/** This isolate's request-id prefix (random, drawn on first use: not at module scope). */
let idPrefix = '';
let idCount = 0;

/**
 * A request id for requests without a usable X-Request-Id: 16 hex characters, a random
 * per-isolate prefix and a counter (unique within the isolate; ids name log lines, they are not
 * secrets, so one random draw per isolate replaces one per request).
 */
function hostRequestId() {
  if (idPrefix === '') {
    idPrefix = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
  }
  idCount = (idCount + 1) >>> 0;
  return idPrefix + idCount.toString(16).padStart(8, '0');
}

export class Runtime {
  /**
   * @param {WebAssembly.Module} module the compiled core
   * @param {ReturnType<import('./config.js').readConfig>} config
   */
  constructor(module, config) {
    this.config = config;
    this.engine = new WasmEngine(module, config.engine);
    this.engine.setLogRank(config.logRank);
    this.dead = false;
    this.generation = Runtime.generations = (Runtime.generations ?? 0) + 1;
    /** @type {Map<number, {resolve: (r: {meta?: string, body?: Uint8Array, cache?: string[], error?: object}) => void, ctx: any, origin: string, requestId: string, startedAt: number, cache: string[]}>} */
    this.pending = new Map();
    this.pools = null;
    this.poolError = '';
    try {
      if (!config.databaseUrl) throw new Error('DATABASE_URL is not set (wrangler secret put DATABASE_URL)');
      const target = { url: sqlUrl(config.databaseUrl, config.fetchEndpoint), databaseUrl: config.databaseUrl };
      let replica = null;
      if (config.databaseUrlRead) {
        try {
          databaseIdentity(config.databaseUrlRead);  // throws unless a postgres:// URL
        } catch {
          throw new Error('DATABASE_URL_READ must be a postgres:// URL');  // never the value: it holds a password
        }
        replica = { url: sqlUrl(config.databaseUrlRead, config.fetchEndpoint), databaseUrl: config.databaseUrlRead };
      }
      this.pools = new SqlPools(target, databaseIdentity(config.databaseUrl), config.cache, replica);
    } catch (e) {
      this.poolError = String(e.message);
      log('error', 'database not configured', { error: this.poolError });
    }
  }

  /**
   * Serves one request through the core.
   * @param {Request} request
   * @param {{waitUntil(p: Promise<unknown>): void}} ctx
   * @returns {Promise<Response>}
   */
  async serve(request, ctx) {
    const hostId = hostRequestId();
    const headerId = request.headers.get('x-request-id') ?? '';
    const requestId = REQUEST_ID.test(headerId) ? headerId : hostId;
    // At most the engine's limit + 1 bytes: a longer body gets the core's 413 (body.js).
    const body = await readBody(request, this.engine.maxBodyBytes);
    if (this.dead) return this.refuse(request, requestId);
    this.sweep();
    const url = new URL(request.url);
    // A read the core answered before from cache entries that are still the answer: replayed
    // (response_cache.js), the core not entered.
    const responses = this.pools?.responses ?? null;
    const key = responses !== null ? replayKey(request, url) : null;
    if (key !== null) {
      let hit = responses.match(key, url.origin);
      if (hit instanceof Promise) hit = await hit;
      if (hit !== null) return this.replay(hit, request.method, requestId);
    }
    // Exchanges settle with a plain descriptor; the Response is built here, in this request's
    // own context (workerd refuses I/O objects made by another request's handler).
    // Until the exchange settles, this request's own context holds a timer: what settles it may
    // run in other requests' contexts (pump drains every exchange; a token's verdict is asked
    // once for all its requests), and workerd cancels a request whose context has nothing
    // pending as hung. Cleared at once after (a timer per fetch that outlived it held memory).
    const hold = setTimeout(() => {}, ABANDONED_MS);
    const done = await new Promise((resolve) => {
      try {
        const id = this.engine.start(encodeRequest(request, url), body, hostId, Date.now());
        if (id === 0) {
          log('error', 'request refused by the engine', { error: this.engine.lastError(), request_id: requestId });
          resolve(INTERNAL);
          return;
        }
        // key, deps, until, pure, logLine: what the response cache needs (response_cache.js)
        this.pending.set(id, {
          resolve, ctx, origin: url.origin, requestId, startedAt: Date.now(), cache: [],
          key, deps: [], until: Infinity, pure: true, logLine: '',
        });
      } catch (e) {
        resolve(INTERNAL);
        this.die(e);
        return;
      }
      this.pump();
    }).finally(() => clearTimeout(hold));
    if (done.error) return this.refuse(request, requestId, done.error.status, done.error.code, done.error.message);
    let response, meta;
    try {
      meta = decodeResponse(done.meta);
      response = responseOf(meta, done.body, request.method);
    } catch (e) {
      log('error', 'undecodable response from the engine', { error: String(e?.message ?? e), request_id: requestId });
      return this.refuse(request, requestId);
    }
    if (key !== null && done.exchange) responses.store(key, meta, done.body, done.exchange);
    if (this.config.debug) response.headers.set('x-edgefn-cache', done.cache.join(',') || 'none');
    return response;
  }

  /**
   * @private An answer the shim gives itself (a 500 naming the request id unless told otherwise),
   * with the CORS headers the core would add.
   * @param {Request} request @param {string} requestId @param {number} [status] @param {string} [code]
   * @param {string} [message]
   */
  refuse(request, requestId, status = 500, code = 'internal', message = `internal error (request ${requestId})`) {
    return errorResponse(status, code, message, requestId, request, this.config.corsOrigins);
  }

  /**
   * @private The response a replay answers, with this request's id and the log line the core
   * would have written.
   * @param {import('./response_cache.js').Replay} e @param {string} method @param {string} requestId
   */
  replay(e, method, requestId) {
    if (logEnabled('info')) {
      log('info', 'request', { method, route: e.route, status: e.status, duration_ms: 0, db_round_trips: 0, request_id: requestId, cache: 'response' });
    }
    const headers = new Headers(e.headers);
    headers.set('X-Request-Id', requestId);
    if (this.config.debug) {
      headers.set('x-edgefn-cache', e.deps.map(() => 'hit').join(','));
      headers.set('x-edgefn-response-cache', 'hit');
    }
    return new Response(method === 'HEAD' ? null : e.body, { status: e.status, headers });
  }

  /**
   * Runs one request through the engine that it answers without I/O (a 404), so that V8
   * compiles the request path (wasm functions are compiled on first call) at isolate startup
   * instead of in the first real request. It leaves nothing behind: the core's log lines are
   * off meanwhile, no host request id is drawn (and no random value: not allowed at startup),
   * nothing reaches the pools or the response cache, and an action the core would want is never
   * performed (the exchange is cancelled). Throws what the engine throws (a trap).
   */
  warm() {
    this.engine.setLogRank(LOG_OFF);
    try {
      const meta = requestMeta('GET', WARM_TARGET, [['accept', 'application/json']]);
      const id = this.engine.start(meta, EMPTY, 'warm-up', Date.now());
      if (id === 0) return;
      while (this.engine.nextAction() !== null);
      let answered = false;
      for (let done = this.engine.nextResponse(); done !== null; done = this.engine.nextResponse()) {
        if (done.exchange === id) answered = true;
        decodeResponse(done.meta);
      }
      if (!answered) this.engine.cancel(id);
    } finally {
      this.engine.setLogRank(this.config.logRank);
    }
  }

  /** Drains actions (dispatching each) and finished exchanges. */
  pump() {
    if (this.dead) return;
    try {
      for (let a = this.engine.nextAction(); a !== null; a = this.engine.nextAction()) this.dispatch(decodeAction(a.meta, a.payload));
      for (let done = this.engine.nextResponse(); done !== null; done = this.engine.nextResponse()) this.finish(done);
    } catch (e) {
      this.die(e);
    }
  }

  /** @private Performs one action; its result is fed back when it settles. */
  dispatch(action) {
    if (action.kind === 'log') {
      coreLog(action.line);
      const ex = this.pending.get(action.exchange);
      if (ex?.key && action.line.includes('"msg":"request"')) ex.logLine = action.line;
      return;
    }
    const ex = this.pending.get(action.exchange);
    this.perform(action, ex).then(
      (result) => this.feed(action, result),
      (e) => this.feed(action, { outcome: 'failed', detail: String(e?.message ?? e) }),
    );
  }

  /** @private */
  async perform(action, ex) {
    const ctx = ex?.ctx ?? { waitUntil() {} };
    switch (action.kind) {
      case 'sql': {
        if (!this.pools) return { outcome: 'failed', detail: this.poolError };
        const { result, cache, dep } = await this.pools.perform(action, ctx, ex?.origin ?? 'https://edgefn.invalid');
        ex?.cache.push(cache);
        if (ex && dep) ex.deps.push(dep);
        else if (ex) ex.pure = false;
        if (this.config.debug && logEnabled('debug')) log('debug', 'sql', { pool: action.pool, cache, status: result.status, request_id: ex?.requestId });
        return { ...result, cache: cacheWord(cache) };
      }
      case 'verify_signature':
        return { outcome: 'ok', valid: await verifySignature(action, this.config.devSecret) };
      case 'fetch_jwks': {
        const r = await fetchJwks(action.url, action.refresh === true);
        if (ex) ex.until = Math.min(ex.until, jwksFreshUntil(action.url));  // a replay lives no longer than the keys
        return r;
      }
      case 'delete_object':
        if (ex) ex.pure = false;
        return deleteObject(this.config.images, action.key);
      default:
        if (ex) ex.pure = false;
        return { outcome: 'failed', detail: `unknown action kind ${action.kind}` };
    }
  }

  /** @private Feeds a result back into the engine and drains what it unblocked. */
  feed(action, result) {
    if (this.dead) return;
    try {
      if (this.engine.complete(action.id, encodeResult(action.id, result), result.body, Date.now()) < 0) {
        // Never happens with a matching shim and module; fail the exchange rather than hang it.
        log('error', 'result refused by the engine', { error: this.engine.lastError(), action: action.kind });
        this.engine.cancel(action.exchange);
        const ex = this.pending.get(action.exchange);
        this.pending.delete(action.exchange);
        ex?.resolve(INTERNAL);
      }
    } catch (e) {
      this.die(e);
      return;
    }
    this.pump();
  }

  /** @private */
  finish({ exchange, meta, body }) {
    const ex = this.pending.get(exchange);
    if (!ex) return;
    this.pending.delete(exchange);
    ex.resolve({ meta, body, cache: ex.cache, exchange: ex });
  }

  /** @private A trap: answer everything in flight with 500 and never touch the instance again. */
  die(e) {
    if (this.dead) return;
    this.dead = true;
    log('error', 'wasm instance trapped; it will be rebuilt', {
      error: String(e?.message ?? e), kind: e instanceof WebAssembly.RuntimeError ? 'trap' : 'exception',
      in_flight: this.pending.size, generation: this.generation,
    });
    for (const ex of this.pending.values()) ex.resolve(INTERNAL);
    this.pending.clear();
  }

  /** @private Cancels exchanges whose invocation went away without their results. */
  sweep() {
    const now = Date.now();
    for (const [id, ex] of this.pending) {
      if (now - ex.startedAt < ABANDONED_MS) continue;
      this.pending.delete(id);
      try {
        this.engine.cancel(id);
      } catch (e) {
        this.die(e);
        return;
      }
      ex.resolve({ error: { status: 503, code: 'service_unavailable', message: 'request abandoned' } });
    }
  }
}
