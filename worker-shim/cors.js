// CORS for the answers the shim gives itself: a trapped or dead instance's 500, an abandoned
// request's 503, a refused configuration's 500. The core decorates its own answers
// (src/api/cors.cpp decorate); these never reach it, and without the headers a page sees a
// network error instead of the status, the message and Retry-After. The same rule as the core's:
// CORS_ORIGINS is a comma-separated list ("*" allows any origin; spaces and trailing slashes
// dropped), an allowed origin is echoed ("*" when only the wildcard allows it).

/** What the core exposes to pages (src/api/cors.cpp). */
const EXPOSE = 'Location, X-Request-Id, Edgefn-Bookmark, Idempotent-Replayed, Retry-After, WWW-Authenticate';

/** @param {unknown} text CORS_ORIGINS @returns {string[]} */
export function parseOrigins(text) {
  const out = [];
  for (let part of (typeof text === 'string' ? text : '').split(',')) {
    part = part.replace(/^[ \t]+|[ \t]+$/g, '');
    while (part.length > 1 && part.endsWith('/')) part = part.slice(0, -1);
    if (part) out.push(part);
  }
  return out;
}

/**
 * Adds the CORS headers for a request from `origin` to `headers` (a plain object) when one of
 * `allowed` admits it.
 * @param {Record<string, string>} headers @param {string | null} origin @param {string[]} allowed
 */
export function addCors(headers, origin, allowed) {
  if (!origin || !allowed.some((a) => a === '*' || a === origin)) return;
  headers['Access-Control-Allow-Origin'] = allowed.includes(origin) ? origin : '*';
  headers['Access-Control-Expose-Headers'] = EXPOSE;
  headers.Vary = 'Origin';
}
