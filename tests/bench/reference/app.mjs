// The reference wardrobe API on Node: the routes of routes.mjs (Hono + drizzle-orm/neon-http)
// served by @hono/node-server over @neondatabase/serverless. Auth: dev HS256 tokens
// (AUTH_DEV_SECRET), checked by a small hand-written verifier on node:crypto. The same routes run
// in workerd as worker.mjs (the Worker benchmark's peer).
//
//   PORT=8788 DATABASE_URL=… NEON_FETCH_ENDPOINT=http://127.0.0.1:4444/sql AUTH_DEV_SECRET=… \
//   IMAGES_DIR=/tmp/images node tests/bench/reference/app.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-http';
import { wardrobeApp } from './routes.mjs';
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

async function deleteImage(_c, imageUrl) {
  if (!imagesDir) return;
  try {
    const file = join(imagesDir, decodeURIComponent(new URL(imageUrl).pathname.slice(1)));
    if (file.startsWith(`${imagesDir}/`)) await rm(file, { force: true });
  } catch { /* best effort */ }
}

const app = wardrobeApp({ db: () => db, verifyToken: (_c, token) => verifyDevToken(token), deleteImage });

const port = Number(process.env.PORT ?? 8788);
serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  console.log(`reference listening on http://127.0.0.1:${info.port}`);
});
