// The wire forms that cross the wasm boundary (src/exchange/codec.h): each message is compact
// JSON metadata plus a body of raw bytes that crosses on its own (written straight into module
// memory, read straight out of it: never escaped inside the JSON, never base64). Request and
// result metadata are built here, action and response metadata decoded here.

const text = new TextDecoder();

/** @param {string} b64 */
export function fromBase64(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Headers the core never sees: tracing ids that differ on every request (Cloudflare's ray id,
 * W3C trace context). The core names requests by X-Request-Id; without these, two requests that
 * differ only in them are the same request to the core (what response_cache.js relies on).
 */
export const TRACE_HEADERS = Object.freeze(new Set(['cf-ray', 'traceparent', 'tracestate']));

/**
 * The metadata of an incoming Request (its body crosses separately), without TRACE_HEADERS.
 * @param {Request} request
 * @param {URL} url its URL, parsed
 * @returns {string}
 */
export function encodeRequest(request, url) {
  const headers = [];
  for (const [k, v] of request.headers) if (!TRACE_HEADERS.has(k)) headers.push([k, v]);
  return JSON.stringify({ method: request.method, target: url.pathname + url.search, headers });
}

/**
 * The metadata of the result of action `id` for edgefn_complete (its body crosses separately),
 * as text (written into module memory by the engine).
 * @param {number} id
 * @param {{outcome?: string, status?: number, valid?: boolean, detail?: string, cache?: string}} r
 *   cache: how the pool answered an sql action (hit | miss | stale | bypass); the body goes to
 *   engine.complete separately
 * @returns {string}
 */
export function encodeResult(id, r) {
  const obj = { id, outcome: r.outcome ?? 'ok', status: r.status ?? 0, valid: !!r.valid, detail: r.detail ?? '' };
  if (r.cache) obj.cache = r.cache;
  if (r.db) obj.db = r.db;  // sql: the database that answered (primary | replica)
  return JSON.stringify(obj);
}

/**
 * An action from its metadata and payload bytes: `body` (sql) or `line` (log) is the payload
 * as text.
 * @param {string} meta
 * @param {Uint8Array} payload a view of module memory, read before the next call on the engine
 */
export function decodeAction(meta, payload) {
  const a = JSON.parse(meta);
  if (a.kind === 'sql') a.body = text.decode(payload);
  else if (a.kind === 'log') a.line = text.decode(payload);
  return a;
}

/**
 * A Response from the core's response metadata, already parsed.
 * @param {{status?: number, headers?: Array<[string, string]>}} r
 * @param {Uint8Array} body (owned: not a view of module memory)
 * @param {string} method the request method (HEAD answers carry no body)
 * @returns {Response}
 */
export function responseOf(r, body, method) {
  const headers = new Headers();
  for (const [k, v] of r.headers ?? []) headers.append(k, v);
  const status = r.status ?? 500;
  const noBody = method === 'HEAD' || status === 204 || status === 304;
  return new Response(noBody ? null : body, { status, headers });
}
