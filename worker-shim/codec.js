// The byte forms that cross the wasm boundary (the JSON codec of src/exchange/codec.h):
// requests and results are built here, actions and responses decoded here. Bodies that are not
// valid UTF-8 travel as base64 under "<key>_b64".

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** @param {Uint8Array} bytes */
function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** @param {string} b64 */
export function fromBase64(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Sets `obj[key]` to the text of `bytes`, or `obj[key + "_b64"]` when they are not UTF-8.
 * @param {Record<string, unknown>} obj
 * @param {string} key
 * @param {Uint8Array} bytes
 */
export function putBytes(obj, key, bytes) {
  try {
    obj[key] = strictUtf8.decode(bytes);
  } catch {
    obj[`${key}_b64`] = toBase64(bytes);
  }
}

/**
 * Encodes an incoming Request (body already read) as the core's request bytes.
 * @param {Request} request
 * @param {Uint8Array} body
 * @returns {Uint8Array}
 */
export function encodeRequest(request, body) {
  const url = new URL(request.url);
  const headers = [];
  for (const [k, v] of request.headers) headers.push([k, v]);
  const obj = { method: request.method, target: url.pathname + url.search, headers };
  putBytes(obj, 'body', body);
  return utf8.encode(JSON.stringify(obj));
}

/**
 * Encodes the result of action `id` for edgefn_complete.
 * @param {number} id
 * @param {{outcome?: string, status?: number, body?: Uint8Array|string, valid?: boolean, detail?: string, cache?: string}} r
 *   cache: how the pool answered an sql action (hit | miss | stale | bypass)
 * @returns {Uint8Array}
 */
export function encodeResult(id, r) {
  const obj = { id, outcome: r.outcome ?? 'ok', status: r.status ?? 0, valid: !!r.valid, detail: r.detail ?? '' };
  if (r.cache) obj.cache = r.cache;
  if (typeof r.body === 'string') obj.body = r.body;
  else if (r.body) putBytes(obj, 'body', r.body);
  return utf8.encode(JSON.stringify(obj));
}

/**
 * Decodes the core's response bytes into a Response.
 * @param {string} text the encoded response
 * @param {string} method the request method (HEAD answers carry no body)
 * @returns {Response}
 */
export function decodeResponse(text, method) {
  const r = JSON.parse(text);
  const headers = new Headers();
  for (const [k, v] of r.headers ?? []) headers.append(k, v);
  let body = r.body_b64 !== undefined ? fromBase64(r.body_b64) : (r.body ?? '');
  const status = r.status ?? 500;
  if (method === 'HEAD' || status === 204 || status === 304) body = null;
  return new Response(body, { status, headers });
}
