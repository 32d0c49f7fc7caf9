// The reference wardrobe API's routes, written the way the seed projects write them: Hono +
// drizzle-orm (neon-http). Shared by the Node app (app.mjs, @hono/node-server) and the Worker
// (worker.mjs, workerd); each host brings its db, its token check and its image deletion.
import { and, count, desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { STRING_FIELDS, invalidFields } from './fields.mjs';
import { items } from './schema.mjs';

const MAX_ID = 2147483647;

const notFound = (c) => c.json({ error: { code: 'not_found', message: 'not found' } }, 404);
const itemId = (c) => {
  const id = Number(c.req.param('id'));
  return Number.isInteger(id) && id >= 1 && id <= MAX_ID ? id : null;
};

/** Parses a JSON object body, or answers 400 (returns [body, null] or [null, response]). */
async function objectBody(c) {
  let body;
  try { body = await c.req.json(); } catch { return [null, c.json({ error: { code: 'invalid_json', message: 'invalid JSON' } }, 400)]; }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [null, c.json({ error: { code: 'validation_failed', message: 'body must be a JSON object' } }, 400)];
  }
  return [body, null];
}

/**
 * The app.
 * @param {{db: (c: any) => any, verifyToken: (c: any, token: string) => Promise<string|null> | string | null,
 *   deleteImage?: (c: any, imageUrl: string) => Promise<void>}} host
 */
export function wardrobeApp({ db, verifyToken, deleteImage }) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.use('/api/*', async (c, next) => {
    const auth = c.req.header('authorization') ?? '';
    const userId = auth.startsWith('Bearer ') ? await verifyToken(c, auth.slice(7)) : null;
    if (!userId) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: { code: 'unauthorized', message: 'invalid or missing token' } }, 401);
    }
    c.set('userId', userId);
    await next();
  });

  app.get('/api/wardrobe', async (c) => {
    const rows = await db(c).select().from(items).where(eq(items.userId, c.get('userId')))
      .orderBy(desc(items.createdAt), desc(items.id)).limit(100);
    return c.json({ items: rows });
  });

  app.post('/api/wardrobe', async (c) => {
    const [body, refused] = await objectBody(c);
    if (refused) return refused;
    const fields = invalidFields(body, true);
    if (Object.keys(fields).length) return c.json({ error: { code: 'validation_failed', message: 'invalid fields', fields } }, 400);
    const [row] = await db(c).insert(items).values({
      userId: c.get('userId'), name: body.name, size: body.size, type: body.type, color: body.color, imageUrl: body.imageUrl,
    }).returning();
    c.header('Location', `/api/wardrobe/${row.id}`);
    return c.json(row, 201);
  });

  app.get('/api/wardrobe/total-items', async (c) => {
    const [{ total }] = await db(c).select({ total: count() }).from(items).where(eq(items.userId, c.get('userId')));
    return c.json({ total });
  });

  app.get('/api/wardrobe/:id', async (c) => {
    const id = itemId(c);
    if (id === null) return notFound(c);
    const [row] = await db(c).select().from(items).where(and(eq(items.id, id), eq(items.userId, c.get('userId'))));
    return row ? c.json(row) : notFound(c);
  });

  app.put('/api/wardrobe/:id', async (c) => {
    const id = itemId(c);
    if (id === null) return notFound(c);
    const [body, refused] = await objectBody(c);
    if (refused) return refused;
    const fields = invalidFields(body, false);
    if (!Object.keys(body).length) fields.body = 'at least one field';
    if (Object.keys(fields).length) return c.json({ error: { code: 'validation_failed', message: 'invalid fields', fields } }, 400);
    const set = Object.fromEntries([...STRING_FIELDS, 'imageUrl'].filter((k) => k in body).map((k) => [k, body[k]]));
    const [row] = await db(c).update(items).set(set).where(and(eq(items.id, id), eq(items.userId, c.get('userId')))).returning();
    return row ? c.json(row) : notFound(c);
  });

  app.delete('/api/wardrobe/:id', async (c) => {
    const id = itemId(c);
    if (id === null) return notFound(c);
    const [row] = await db(c).delete(items).where(and(eq(items.id, id), eq(items.userId, c.get('userId')))).returning();
    if (!row) return notFound(c);
    if (deleteImage) await deleteImage(c, row.imageUrl);
    return c.json(row);
  });

  app.onError((err, c) => {
    console.error(err.message);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}
