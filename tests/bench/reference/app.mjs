// The reference wardrobe API, written the way the seed projects write it: Hono +
// @hono/node-server + drizzle-orm/neon-http + @neondatabase/serverless on Node. Only the routes
// the benchmark drives: list, create, total, delete (+ /healthz). Auth: dev HS256 tokens
// (AUTH_DEV_SECRET), checked by a small hand-written verifier on node:crypto.
//
//   PORT=8788 DATABASE_URL=… NEON_FETCH_ENDPOINT=http://127.0.0.1:4444/sql AUTH_DEV_SECRET=… \
//   IMAGES_DIR=/tmp/images node tests/bench/reference/app.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { neon, neonConfig } from '@neondatabase/serverless';
import { and, count, desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { Hono } from 'hono';
import { items } from './schema.mjs';

if (process.env.NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = process.env.NEON_FETCH_ENDPOINT;
const db = drizzle(neon(process.env.DATABASE_URL), { schema: { items } });
const secret = process.env.AUTH_DEV_SECRET ?? '';
const imagesDir = process.env.IMAGES_DIR;

/** HS256 JWT -> sub, or null. */
function verifyDevToken(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || !secret) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    if (header.alg !== 'HS256') return null;
    const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2], 'base64url');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    const now = Date.now() / 1000;
    if (typeof payload.exp === 'number' && now > payload.exp + 60) return null;
    if (typeof payload.nbf === 'number' && now < payload.nbf - 60) return null;
    return typeof payload.sub === 'string' && payload.sub ? payload.sub : null;
  } catch {
    return null;
  }
}

const app = new Hono();

app.get('/healthz', (c) => c.json({ status: 'ok' }));

app.use('/api/*', async (c, next) => {
  const auth = c.req.header('authorization') ?? '';
  const userId = auth.startsWith('Bearer ') ? verifyDevToken(auth.slice(7)) : null;
  if (!userId) {
    c.header('WWW-Authenticate', 'Bearer');
    return c.json({ error: { code: 'unauthorized', message: 'invalid or missing token' } }, 401);
  }
  c.set('userId', userId);
  await next();
});

app.get('/api/wardrobe', async (c) => {
  const rows = await db.select().from(items).where(eq(items.userId, c.get('userId')))
    .orderBy(desc(items.createdAt), desc(items.id)).limit(100);
  return c.json({ items: rows });
});

const STRING_FIELDS = ['name', 'size', 'type', 'color'];

app.post('/api/wardrobe', async (c) => {
  let body;
  try { body = await c.req.json(); } catch { return c.json({ error: { code: 'invalid_json', message: 'invalid JSON' } }, 400); }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return c.json({ error: { code: 'validation_failed', message: 'body must be a JSON object' } }, 400);
  }
  const fields = {};
  for (const k of Object.keys(body)) if (![...STRING_FIELDS, 'imageUrl'].includes(k)) fields[k] = 'is not a known field';
  for (const k of STRING_FIELDS) {
    const v = body[k];
    if (v !== undefined && v !== null && (typeof v !== 'string' || [...v].length > 256)) fields[k] = 'must be a string of at most 256 characters';
  }
  if (typeof body.imageUrl !== 'string' || !/^https?:\/\/[^/]/.test(body.imageUrl) || body.imageUrl.length > 2048) fields.imageUrl = 'must be an absolute http(s) URL';
  if (Object.keys(fields).length) return c.json({ error: { code: 'validation_failed', message: 'invalid fields', fields } }, 400);
  const [row] = await db.insert(items).values({
    userId: c.get('userId'), name: body.name, size: body.size, type: body.type, color: body.color, imageUrl: body.imageUrl,
  }).returning();
  c.header('Location', `/api/wardrobe/${row.id}`);
  return c.json(row, 201);
});

app.get('/api/wardrobe/total-items', async (c) => {
  const [{ total }] = await db.select({ total: count() }).from(items).where(eq(items.userId, c.get('userId')));
  return c.json({ total });
});

app.delete('/api/wardrobe/:id', async (c) => {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id < 1 || id > 2147483647) return c.json({ error: { code: 'not_found', message: 'not found' } }, 404);
  const [row] = await db.delete(items).where(and(eq(items.id, id), eq(items.userId, c.get('userId')))).returning();
  if (!row) return c.json({ error: { code: 'not_found', message: 'not found' } }, 404);
  if (imagesDir) {
    try {
      const file = join(imagesDir, decodeURIComponent(new URL(row.imageUrl).pathname.slice(1)));
      if (file.startsWith(`${imagesDir}/`)) await rm(file, { force: true });
    } catch { /* best effort */ }
  }
  return c.json(row);
});

app.onError((err, c) => {
  console.error(err.message);
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
});

const port = Number(process.env.PORT ?? 8788);
serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  console.log(`reference listening on http://127.0.0.1:${info.port}`);
});
