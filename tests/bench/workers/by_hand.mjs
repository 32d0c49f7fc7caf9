// The Worker benchmark's hand-written Worker: the wardrobe's six routes as one would write them
// for workerd with no framework, no ORM and no driver. What the peer's routes do (routes.mjs:
// the same statements, validation, JSON and statuses, the image object deleted with the item),
// and nothing more: the token checked with a CryptoKey imported once per isolate, the route
// found by comparing strings, one POST /sql (raw text, array mode), the rows mapped by position.
// Its overhead above the floor is about the least a Worker serving these routes pays in workerd:
// tests/bench/worker_bench.mjs prints it beside edgefn's and the peer's, so that the targets
// read against what workerd itself costs.
import { STRING_FIELDS, invalidFields } from '../reference/fields.mjs';
import { SQL, updateSql } from './statements.mjs';

const FIELDS = [...STRING_FIELDS, 'imageUrl'];
const COLUMN = { name: 'name', size: 'size', type: 'type', color: 'color', imageUrl: 'image_url' };
const MAX_ID = 2147483647;
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** @type {Promise<CryptoKey> | null} */
let key = null;

function base64url(s) {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

/** The token's subject when it is a valid, unexpired HS256 token; else null. */
async function subjectOf(request, secret) {
  const auth = request.headers.get('authorization');
  if (!secret || !auth || !auth.startsWith('Bearer ')) return null;
  const token = auth.slice(7);
  const a = token.indexOf('.'), b = token.indexOf('.', a + 1);
  if (a < 0 || b < 0) return null;
  try {
    if (JSON.parse(text.decode(base64url(token.slice(0, a)))).alg !== 'HS256') return null;
    key ??= crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    if (!await crypto.subtle.verify('HMAC', await key, base64url(token.slice(b + 1)), utf8.encode(token.slice(0, b)))) return null;
    const claims = JSON.parse(text.decode(base64url(token.slice(a + 1, b))));
    if (typeof claims.exp === 'number' && claims.exp <= Date.now() / 1000) return null;
    return typeof claims.sub === 'string' && claims.sub ? claims.sub : null;
  } catch {
    return null;
  }
}

/** One statement over POST /sql; its rows (arrays of text). Throws on a database error. */
async function sql(env, query, params) {
  const res = await fetch(env.NEON_FETCH_ENDPOINT, {
    method: 'POST',
    headers: {
      'Neon-Connection-String': env.DATABASE_URL, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ query, params }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(body.message ?? `status ${res.status}`);
  return body.rows;
}

const item = (r) => ({
  id: Number(r[0]), userId: r[1], name: r[2], size: r[3], type: r[4], color: r[5],
  createdAt: r[6] === null ? null : `${r[6].replace(' ', 'T')}Z`, imageUrl: r[7],
});
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const notFound = () => json({ error: { code: 'not_found', message: 'not found' } }, 404);

/** The request's JSON object body and its field errors, or the 400 to answer. */
async function objectBody(request, all) {
  let body;
  try {
    body = await request.json();
  } catch {
    return [null, json({ error: { code: 'invalid_json', message: 'invalid JSON' } }, 400)];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [null, json({ error: { code: 'validation_failed', message: 'body must be a JSON object' } }, 400)];
  }
  const fields = invalidFields(body, all);
  if (!all && !Object.keys(body).length) fields.body = 'at least one field';
  if (Object.keys(fields).length) return [null, json({ error: { code: 'validation_failed', message: 'invalid fields', fields } }, 400)];
  return [body, null];
}

async function route(request, env, user, path) {
  const { method } = request;
  if (path === '/api/wardrobe') {
    if (method === 'GET') {
      const rows = await sql(env, SQL.list, [user, 100]);
      return json({ items: rows.map(item) });
    }
    if (method === 'POST') {
      const [body, refused] = await objectBody(request, true);
      if (refused) return refused;
      const [row] = await sql(env, SQL.create,
        [user, body.name ?? null, body.size ?? null, body.type ?? null, body.color ?? null, body.imageUrl]);
      return json(item(row), 201, { Location: `/api/wardrobe/${row[0]}` });
    }
    return notFound();
  }
  if (path === '/api/wardrobe/total-items' && method === 'GET') {
    const [[total]] = await sql(env, SQL.total, [user]);
    return json({ total: Number(total) });
  }
  if (!path.startsWith('/api/wardrobe/')) return notFound();
  const id = Number(path.slice('/api/wardrobe/'.length));
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) return notFound();
  if (method === 'GET') {
    const [row] = await sql(env, SQL.get, [id, user]);
    return row ? json(item(row)) : notFound();
  }
  if (method === 'PUT') {
    const [body, refused] = await objectBody(request, false);
    if (refused) return refused;
    const names = FIELDS.filter((k) => k in body);
    const [row] = await sql(env, updateSql(names.map((k) => COLUMN[k])), [...names.map((k) => body[k]), id, user]);
    return row ? json(item(row)) : notFound();
  }
  if (method === 'DELETE') {
    const [row] = await sql(env, SQL.delete, [id, user]);
    if (!row) return notFound();
    if (env.IMAGES && row[7]) {
      try {
        await env.IMAGES.delete(decodeURIComponent(new URL(row[7]).pathname.slice(1)));
      } catch { /* best effort, as the peer */ }
    }
    return json(item(row));
  }
  return notFound();
}

export default {
  async fetch(request, env) {
    const url = request.url;
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2)).split('?')[0];
    if (!path.startsWith('/api/')) return notFound();
    const user = await subjectOf(request, env.AUTH_DEV_SECRET);
    if (user === null) return json({ error: { code: 'unauthorized', message: 'invalid or missing token' } }, 401, { 'WWW-Authenticate': 'Bearer' });
    try {
      return await route(request, env, user, path);
    } catch (e) {
      console.error(e.message);
      return json({ error: { code: 'internal', message: 'internal error' } }, 500);
    }
  },
};
