// The wire forms that cross the wasm boundary (src/exchange/codec.h): each message is metadata
// plus a body of raw bytes that crosses on its own (written straight into module memory, read
// straight out of it: never escaped, never base64). Request, result and response metadata are
// fields one per line (a split, where JSON cost a stringify or parse here and a parse in the
// core on every request); actions' metadata is JSON. Request and result metadata are built
// here, action and response metadata decoded here.

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
 * Request metadata from its parts: METHOD, TARGET, then a NAME and a VALUE line per header.
 * Names and values hold no line break (the Fetch standard forbids CR, LF and NUL in both, and a
 * Request's Headers enforce it), nor do a method or a URL's path and query.
 * @param {string} method @param {string} target @param {Iterable<[string, string]>} headers
 * @returns {string}
 */
export function requestMeta(method, target, headers) {
  let meta = `${method}\n${target}`;
  for (const [k, v] of headers) meta += `\n${k}\n${v}`;
  return meta;
}

/**
 * The metadata of an incoming Request (its body crosses separately), without TRACE_HEADERS.
 * @param {Request} request
 * @param {URL} url its URL, parsed
 * @returns {string}
 */
export function encodeRequest(request, url) {
  const headers = [];
  for (const pair of request.headers) if (!TRACE_HEADERS.has(pair[0])) headers.push(pair);
  return requestMeta(request.method, url.pathname + url.search, headers);
}

/**
 * The metadata of the result of action `id` for edgefn_complete (its body crosses separately):
 * ID, OUTCOME, STATUS, VALID, CACHE, DB lines, then the detail (the rest, any text).
 * @param {number} id
 * @param {{outcome?: string, status?: number, valid?: boolean, detail?: string, cache?: string, db?: string}} r
 *   cache: how the pool answered an sql action (hit | miss | stale | bypass); db: the database
 *   that answered it (primary | replica); the body goes to engine.complete separately
 * @returns {string}
 */
export function encodeResult(id, r) {
  return `${id}\n${r.outcome ?? 'ok'}\n${r.status ?? 0}\n${r.valid ? 1 : 0}\n${r.cache ?? ''}\n${r.db ?? ''}\n${r.detail ?? ''}`;
}

/**
 * The core's response metadata (STATUS, REUSE_UNTIL_MS, then NAME and VALUE lines) as
 * {status, reuse_until_ms, headers}. Throws on metadata that is not in that form.
 * @param {string} meta
 * @returns {{status: number, reuse_until_ms: number, headers: Array<[string, string]>}}
 */
export function decodeResponse(meta) {
  const f = meta.split('\n');
  if (f.length % 2 !== 0) throw new Error('malformed response metadata');
  const headers = [];
  for (let i = 2; i < f.length; i += 2) headers.push([f[i], f[i + 1]]);
  return { status: Number(f[0]), reuse_until_ms: Number(f[1]), headers };
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
