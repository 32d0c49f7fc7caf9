// Cross-compatibility with drizzle-orm 1.0's migrator (the `drizzle-orm-v1` alias of
// drizzle-orm@1.0.0-rc.5, neon-http through the edgefn gateway) on drizzle-kit 1.0's folder
// layout: tests/migrate/data/kit1_wardrobe is what `drizzle-kit@1.0.0-rc.5 up` made of
// apps/wardrobe/migrations (same SQL, one <YYYYMMDDHHmmss>_<name>/ folder per migration).
// In fresh databases:
//  - drizzle 1.0 first, then `wardrobe migrate --dir` -> nothing to do, history unchanged;
//  - `wardrobe migrate --dir` first (names, applied_at recorded), then drizzle 1.0 applies nothing;
//  - each side applies part of the history and the other the rest;
//  - a drizzle 0.x table (written by `wardrobe migrate` on the 0.x layout) upgraded by edgefn
//    ends exactly as drizzle 1.0's own upgrade leaves it, and the other side then has nothing to do;
//  - a row without a name in a 1.0 table (an older migrator wrote it) is named, not re-applied;
//  - `wardrobe db check --dir` on drizzle 1.0's history (format 9 snapshots): pending, then no drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm-v1/neon-http';
import { migrate } from 'drizzle-orm-v1/neon-http/migrator';
import { loadEnv, useGateway, TEST_TIMEOUT_MS } from '../conformance/support.mjs';
import * as support from './migrate_support.mjs';

const it = (name, fn) => test(name, { timeout: TEST_TIMEOUT_MS }, fn);
const env = loadEnv();
const neon = useGateway(env);
const source = process.env.EDGEFN_SOURCE_DIR ?? '.';
const kit1Folder = join(source, 'tests', 'migrate', 'data', 'kit1_wardrobe');
const kit0Folder = join(source, 'apps', 'wardrobe', 'migrations');
const bin = process.env.EDGEFN_APP_BIN;
const v1Columns = 'id, hash, created_at, name, applied_at';

const freshDatabase = () => support.freshDatabase(env);
const state = (database) => support.schemaState(env, database, v1Columns);
const edgefn = (url, args = []) => support.edgefnMigrate(env, bin, url, args);
const drizzleV1 = (url, migrationsFolder = kit1Folder) =>
  migrate(drizzle({ client: neon(url) }), { migrationsFolder });

const folders = readdirSync(kit1Folder).sort();

/** drizzle 1.0's record of each folder: name, sha256 of migration.sql, the folder's UTC second. */
function expectedHistory() {
  return folders.map((name) => {
    const d = name.slice(0, 14);
    const when = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(8, 10), +d.slice(10, 12), +d.slice(12, 14));
    return {
      name,
      hash: createHash('sha256').update(readFileSync(join(kit1Folder, name, 'migration.sql'))).digest('hex'),
      created_at: String(when),
    };
  });
}

const recorded = (history) => history.map(({ name, hash, created_at }) => ({ name, hash, created_at }));

/** A copy of the folder with only its first `n` migrations. */
function firstMigrations(n) {
  const dir = mkdtempSync(join(tmpdir(), 'edgefn-kit1-'));
  for (const f of folders.slice(0, n)) cpSync(join(kit1Folder, f), join(dir, f), { recursive: true });
  return dir;
}

it('the fixture holds the same SQL as the 0.x folder it was made from', () => {
  const journal = JSON.parse(readFileSync(join(kit0Folder, 'meta/_journal.json'), 'utf8'));
  assert.equal(folders.length, journal.entries.length);
  journal.entries.forEach((e, i) => {
    assert.equal(folders[i], `${new Date(e.when).toISOString().replace(/\D/g, '').slice(0, 14)}_${e.tag.split('_').slice(1).join('_')}`);
    assert.deepEqual(readFileSync(join(kit1Folder, folders[i], 'migration.sql')), readFileSync(join(kit0Folder, `${e.tag}.sql`)));
  });
});

it('drizzle 1.0 migrator first, then edgefn migrate has nothing to do', async () => {
  assert.ok(bin, 'EDGEFN_APP_BIN is not set');
  const { name, url } = await freshDatabase();
  await drizzleV1(url);
  const before = await state(name);
  assert.deepEqual(recorded(before.history), expectedHistory());
  assert.ok(before.columns.length > 0);

  const r = edgefn(url, ['--dir', kit1Folder]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /nothing to do/);
  assert.deepEqual(await state(name), before);
});

it('edgefn migrate first records names and applied_at, then drizzle 1.0 applies nothing', async () => {
  const { name, url } = await freshDatabase();
  const r = edgefn(url, ['--dir', kit1Folder]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, new RegExp(`applied ${folders[0]}`));
  const before = await state(name);
  assert.deepEqual(recorded(before.history), expectedHistory());
  for (const row of before.history) assert.ok(row.applied_at instanceof Date, JSON.stringify(row));

  await drizzleV1(url);
  assert.deepEqual(await state(name), before);
});

it('each migrator applies the part of the history the other has not', async () => {
  const partial = firstMigrations(1);
  try {
    const a = await freshDatabase();
    assert.equal(edgefn(a.url, ['--dir', partial]).status, 0);
    await drizzleV1(a.url);
    const b = await freshDatabase();
    await drizzleV1(b.url, partial);
    const r = edgefn(b.url, ['--dir', kit1Folder]);
    assert.equal(r.status, 0, r.out);
    assert.doesNotMatch(r.out, new RegExp(`applied ${folders[0]}`));
    for (const db of [a, b]) {
      const s = await state(db.name);
      assert.deepEqual(recorded(s.history), expectedHistory());
    }
    const [sa, sb] = [await state(a.name), await state(b.name)];
    assert.deepEqual({ ...sa, history: [] }, { ...sb, history: [] });
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
});

it('a drizzle 0.x table is upgraded by edgefn as drizzle 1.0 upgrades it', async () => {
  // Both databases start with the 0.x table and history that `wardrobe migrate` writes.
  const [byEdgefn, byDrizzle] = [await freshDatabase(), await freshDatabase()];
  for (const db of [byEdgefn, byDrizzle]) {
    const r = edgefn(db.url);
    assert.equal(r.status, 0, r.out);
    const cols = await support.query(env, db.name, `select column_name from information_schema.columns
        where table_schema = 'drizzle' and table_name = '__drizzle_migrations' order by ordinal_position`);
    assert.deepEqual(cols.map((c) => c.column_name), ['id', 'hash', 'created_at']);
  }

  const r = edgefn(byEdgefn.url, ['--dir', kit1Folder]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /upgraded the migration table to drizzle 1\.0's shape \(3 names back-filled\)/);
  assert.match(r.out, /nothing to do/);
  await drizzleV1(byDrizzle.url);

  const [mine, theirs] = [await state(byEdgefn.name), await state(byDrizzle.name)];
  assert.deepEqual(mine, theirs);
  assert.deepEqual(mine.history.map((h) => [h.name, h.applied_at]), folders.map((f) => [f, null]));

  await drizzleV1(byEdgefn.url);
  assert.deepEqual(await state(byEdgefn.name), mine);
  const again = edgefn(byDrizzle.url, ['--dir', kit1Folder]);
  assert.equal(again.status, 0, again.out);
  assert.match(again.out, /nothing to do/);
  assert.doesNotMatch(again.out, /upgraded/);
  assert.deepEqual(await state(byDrizzle.name), theirs);
});

it('a row without a name in a drizzle 1.0 table is named, not re-applied', async () => {
  const { name, url } = await freshDatabase();
  await drizzleV1(url);
  // What drizzle-orm 0.x or an older edgefn leaves in a 1.0 table: a row with hash and created_at only.
  await support.query(env, name, 'update drizzle.__drizzle_migrations set name = null where id = 3');
  const r = edgefn(url, ['--dir', kit1Folder]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /named 1 row of the migration table that had no name/);
  assert.match(r.out, /nothing to do/);
  const after = await state(name);
  assert.deepEqual(recorded(after.history), expectedHistory());
  await drizzleV1(url);
  assert.deepEqual(await state(name), after);
});

it('db check reads drizzle 1.0\'s history and its format 9 snapshots', async () => {
  const { url } = await freshDatabase();
  const pending = support.edgefnRun(env, bin, url, ['db', 'check', '--dir', kit1Folder]);
  assert.equal(pending.status, 1, pending.out);
  assert.match(pending.out, new RegExp(`migration ${folders[2]} is not applied`));
  await drizzleV1(url);
  const r = support.edgefnRun(env, bin, url, ['db', 'check', '--dir', kit1Folder]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /no drift/);
  assert.doesNotMatch(r.out, /warning/);
});
