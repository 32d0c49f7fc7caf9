// Neon SQL-over-HTTP transport: where /sql lives for a connection string (as the official
// driver derives it), who the database identity is (for cache keys: never the password), and
// one POST /sql. The connection string is added here and nowhere else.

/** The limit of a /sql request whose action names no deadline (timeout_ms). */
const SQL_TIMEOUT_MS = 60_000;

/**
 * The /sql URL the official driver uses for `databaseUrl`: the host's first DNS label becomes
 * "api" (ep-x.region.aws.neon.tech -> https://api.region.aws.neon.tech/sql), the port is
 * dropped, a host without a dot stays. `fetchEndpoint` (NEON_FETCH_ENDPOINT) wins verbatim.
 * @param {string} databaseUrl
 * @param {string} [fetchEndpoint]
 * @returns {string}
 */
export function sqlUrl(databaseUrl, fetchEndpoint) {
  if (fetchEndpoint) return fetchEndpoint;
  const host = parseConnectionString(databaseUrl).host;
  return `https://${host.replace(/^[^.]+\./, 'api.')}/sql`;
}

/**
 * The parts of a postgres:// URL that identify a database (no password).
 * @param {string} databaseUrl
 * @returns {{user: string, host: string, port: string, database: string}}
 */
export function parseConnectionString(databaseUrl) {
  let u;
  try {
    u = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a URL');  // never echo the value: it holds the password
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error('DATABASE_URL must be a postgres:// URL');
  return {
    user: decodeURIComponent(u.username),
    host: u.hostname,
    port: u.port,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

/**
 * "user@host:port/database" for cache keys.
 * @param {string} databaseUrl
 */
export function databaseIdentity(databaseUrl) {
  const c = parseConnectionString(databaseUrl);
  return `${c.user}@${c.host}:${c.port || '5432'}/${c.database}`;
}

/**
 * How a failed fetch maps onto the core's outcomes.
 * @param {unknown} e
 * @returns {"dns"|"connect"|"tls"|"timeout"|"failed"}
 */
export function failureOutcome(e) {
  const name = /** @type {any} */ (e)?.name ?? '';
  const msg = String(/** @type {any} */ (e)?.message ?? e);
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out/i.test(msg)) return 'timeout';
  if (/dns|resolve|ENOTFOUND|name/i.test(msg) && !/refused/i.test(msg)) return 'dns';
  if (/tls|ssl|certificate/i.test(msg)) return 'tls';
  if (/connect|refused|network|reset|unreachable/i.test(msg)) return 'connect';
  return 'failed';
}

/**
 * A fetch bounded by `ms`, its timer cleared as soon as the response body has been read (or the
 * fetch failed). Not AbortSignal.timeout: its timer cannot be cancelled, so every finished
 * request kept its timer and signal alive for the whole deadline (60 s for /sql), some 10,000 of
 * them at the benchmark's rate (in workerd, +13 to +20 MiB of RSS over 10,000 requests for a
 * Worker doing one such fetch per request). Resolves to {status, body}; rejects as fetch does,
 * with a TimeoutError past the deadline.
 * @param {string} url @param {RequestInit} init @param {number} ms
 * @returns {Promise<{status: number, body: Uint8Array}>}
 */
export async function fetchBytes(url, init, ms) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  try {
    const res = await fetch(url, { ...init, signal: abort.signal });
    return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One POST /sql. Resolves to {outcome, status, body} (never rejects). Past `timeoutMs` the
 * request is aborted (its connection dropped, so the gateway cancels the backend query) and
 * the outcome is "timeout".
 * @param {{url: string, databaseUrl: string}} target
 * @param {Array<[string, string]>} headers the action's Neon-* headers
 * @param {string} body the /sql JSON body
 * @param {number} [timeoutMs] the action's deadline (0 or absent: SQL_TIMEOUT_MS)
 * @returns {Promise<{outcome: string, status: number, body: Uint8Array, detail?: string}>}
 */
export async function postSql(target, headers, body, timeoutMs = 0) {
  const h = new Headers();
  for (const [k, v] of headers) h.append(k, v);
  h.set('Neon-Connection-String', target.databaseUrl);
  h.set('Content-Type', 'application/json');
  try {
    const res = await fetchBytes(target.url, { method: 'POST', headers: h, body }, timeoutMs > 0 ? timeoutMs : SQL_TIMEOUT_MS);
    return { outcome: 'ok', status: res.status, body: res.body };
  } catch (e) {
    const outcome = failureOutcome(e);
    return { outcome, status: 0, body: new Uint8Array(0), detail: `database request failed (${outcome})` };
  }
}
