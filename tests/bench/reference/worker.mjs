// The reference wardrobe API as a Worker: the routes of routes.mjs (Hono + drizzle-orm/neon-http
// over @neondatabase/serverless) in workerd, auth through hono/jwt (HS256 with AUTH_DEV_SECRET).
// The Worker benchmark's peer (tests/bench/worker_bench.mjs bundles it with wrangler).
import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-http';
import { verify } from 'hono/jwt';
import { wardrobeApp } from './routes.mjs';
import { items } from './schema.mjs';

let db = null;
function dbFor(env) {
  if (db === null) {
    if (env.NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = env.NEON_FETCH_ENDPOINT;
    db = drizzle(neon(env.DATABASE_URL), { schema: { items } });
  }
  return db;
}

async function verifyToken(c, token) {
  if (!c.env.AUTH_DEV_SECRET) return null;
  try {
    const payload = await verify(token, c.env.AUTH_DEV_SECRET, 'HS256');
    return typeof payload.sub === 'string' && payload.sub ? payload.sub : null;
  } catch {
    return null;
  }
}

async function deleteImage(c, imageUrl) {
  if (!c.env.IMAGES) return;
  try {
    await c.env.IMAGES.delete(decodeURIComponent(new URL(imageUrl).pathname.slice(1)));
  } catch { /* best effort */ }
}

export default wardrobeApp({ db: (c) => dbFor(c.env), verifyToken, deleteImage });
