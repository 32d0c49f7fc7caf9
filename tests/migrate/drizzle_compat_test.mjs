// Cross-compatibility with drizzle-orm's own migrator (drizzle-orm/neon-http/migrator, through the
// edgefn gateway) on an app's migrations folder (EDGEFN_APP: apps/<app>/migrations), in fresh
// databases:
//  - drizzle first, then `<app> migrate` -> "nothing to do", history and schema unchanged;
//  - `<app> migrate` first, then drizzle's migrator -> applies nothing, schema unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/neon-http';
import { migrate } from 'drizzle-orm/neon-http/migrator';
import { loadEnv, useGateway, uniqueName, TEST_TIMEOUT_MS } from '../conformance/support.mjs';

const it = (name, fn) => test(name, { timeout: TEST_TIMEOUT_MS }, fn);
const env = loadEnv();
const neon = useGateway(env);
const app = process.env.EDGEFN_APP ?? 'wardrobe';
const migrationsFolder = join(process.env.EDGEFN_SOURCE_DIR ?? '.', 'apps', app, 'migrations');
const bin = process.env.EDGEFN_APP_BIN;

function pgClient(database) {
  return new pg.Client({
    host: env.EDGEFN_TEST_PG_HOST,
    port: Number(env.EDGEFN_TEST_PG_PORT),
    user: env.EDGEFN_TEST_PG_USER,
    password: env.EDGEFN_TEST_PG_PASSWORD,
    database,
  });
}

async function freshDatabase() {
  const name = uniqueName('migcompat');
  const admin = pgClient('postgres');
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function query(database, sql) {
  const c = pgClient(database);
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

// Everything about the public tables and the history a migration could change.
async function schemaState(database) {
  return {
    columns: await query(database, `select table_name, column_name, data_type, character_maximum_length,
        is_nullable, column_default from information_schema.columns
        where table_schema = 'public' order by table_name, ordinal_position`),
    indexes: await query(database, `select indexname, indexdef from pg_indexes
        where schemaname = 'public' order by indexname`),
    constraints: await query(database, `select conname, pg_get_constraintdef(oid) as def from pg_constraint
        where connamespace = 'public'::regnamespace order by conname`),
    history: await query(database, 'select id, hash, created_at from drizzle.__drizzle_migrations order by id'),
  };
}

function edgefnMigrate(url) {
  const cwd = mkdtempSync(join(tmpdir(), 'edgefn-migcompat-'));
  try {
    const childEnv = { ...process.env, DATABASE_URL: url, NEON_FETCH_ENDPOINT: env.EDGEFN_TEST_GATEWAY_URL };
    delete childEnv.ENVIRONMENT;
    delete childEnv.NODE_ENV;
    const r = spawnSync(bin, ['migrate'], { cwd, env: childEnv, encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The column count of the newest snapshot (every table): what the migrations must create. */
function newestSnapshotColumns() {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
  const idx = String(journal.entries.at(-1).idx).padStart(4, '0');
  const snap = JSON.parse(readFileSync(join(migrationsFolder, `meta/${idx}_snapshot.json`), 'utf8'));
  return Object.values(snap.tables).reduce((n, t) => n + Object.keys(t.columns).length, 0);
}

function expectedHistory() {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
  return journal.entries.map((e) => ({
    hash: createHash('sha256').update(readFileSync(join(migrationsFolder, `${e.tag}.sql`))).digest('hex'),
    created_at: String(e.when),
  }));
}

it('drizzle migrator first, then edgefn migrate has nothing to do', async () => {
  assert.ok(bin, 'EDGEFN_APP_BIN is not set');
  const { name, url } = await freshDatabase();
  await migrate(drizzle(neon(url)), { migrationsFolder });
  const before = await schemaState(name);
  assert.deepEqual(before.history.map(({ hash, created_at }) => ({ hash, created_at })), expectedHistory());
  assert.equal(before.columns.length, newestSnapshotColumns());

  const r = edgefnMigrate(url);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /nothing to do/);
  assert.deepEqual(await schemaState(name), before);
});

it('edgefn migrate first, then the drizzle migrator applies nothing', async () => {
  const { name, url } = await freshDatabase();
  const r = edgefnMigrate(url);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /applied 0000_/);
  const before = await schemaState(name);
  assert.deepEqual(before.history.map(({ hash, created_at }) => ({ hash, created_at })), expectedHistory());

  await migrate(drizzle(neon(url)), { migrationsFolder });
  assert.deepEqual(await schemaState(name), before);
});
