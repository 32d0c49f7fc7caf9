// Cross-compatibility with drizzle-orm's own migrator (drizzle-orm/neon-http/migrator, through the
// edgefn gateway) on an app's migrations folder (EDGEFN_APP: apps/<app>/migrations), in fresh
// databases:
//  - drizzle first, then `<app> migrate` -> "nothing to do", history and schema unchanged;
//  - `<app> migrate` first, then drizzle's migrator -> applies nothing, schema unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/neon-http';
import { migrate } from 'drizzle-orm/neon-http/migrator';
import { loadEnv, useGateway, TEST_TIMEOUT_MS } from '../conformance/support.mjs';
import * as support from './migrate_support.mjs';

const it = (name, fn) => test(name, { timeout: TEST_TIMEOUT_MS }, fn);
const env = loadEnv();
const neon = useGateway(env);
const app = process.env.EDGEFN_APP ?? 'wardrobe';
const migrationsFolder = join(process.env.EDGEFN_SOURCE_DIR ?? '.', 'apps', app, 'migrations');
const bin = process.env.EDGEFN_APP_BIN;

const freshDatabase = () => support.freshDatabase(env);
const schemaState = (database) => support.schemaState(env, database);
const edgefnMigrate = (url) => support.edgefnMigrate(env, bin, url);

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
