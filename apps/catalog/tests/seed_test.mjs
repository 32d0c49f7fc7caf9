// `catalog migrate` + `catalog seed` on a fresh database: the guide's 3 authors and 7 books, a
// second seed inserts nothing, `seed --reset` starts over with ids 1..; then the relational read
// (`catalog request GET /authors/1`) returns Tolkien with his three books.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadEnv, uniqueName } from '../../../tests/conformance/support.mjs';

const env = loadEnv();
const bin = process.env.EDGEFN_APP_BIN;

function pgConfig(database) {
  return {
    host: env.EDGEFN_TEST_PG_HOST, port: Number(env.EDGEFN_TEST_PG_PORT), user: env.EDGEFN_TEST_PG_USER,
    password: env.EDGEFN_TEST_PG_PASSWORD, database,
  };
}

async function sql(database, text) {
  const c = new pg.Client(pgConfig(database));
  await c.connect();
  try { return (await c.query(text)).rows; } finally { await c.end(); }
}

function run(url, ...args) {
  const cwd = mkdtempSync(join(tmpdir(), 'edgefn-catalog-seed-'));
  try {
    const childEnv = { ...process.env, DATABASE_URL: url, NEON_FETCH_ENDPOINT: env.EDGEFN_TEST_GATEWAY_URL, AUTH_DEV_SECRET: 'dev' };
    delete childEnv.ENVIRONMENT;
    delete childEnv.NODE_ENV;
    const r = spawnSync(bin, args, { cwd, env: childEnv, encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

test('catalog seed: the guide data, idempotent, resettable; the relational read', { timeout: 120_000 }, async () => {
  assert.ok(bin, 'EDGEFN_APP_BIN is not set');
  const name = uniqueName('catseed');
  await sql('postgres', `create database ${name}`);
  try {
    const url = new URL(env.DATABASE_URL);
    url.pathname = `/${name}`;
    const m = run(url.toString(), 'migrate');
    assert.equal(m.status, 0, m.out);
    assert.match(m.out, /applied 0000_init/);
    assert.match(m.out, /applied 0001_add_country/);

    const s1 = run(url.toString(), 'seed');
    assert.equal(s1.status, 0, s1.out);
    assert.match(s1.out, /seeded 10 rows/);
    const counts = async () => (await sql(name, 'select (select count(*) from authors)::int a, (select count(*) from books)::int b'))[0];
    assert.deepEqual(await counts(), { a: 3, b: 7 });

    const s2 = run(url.toString(), 'seed');
    assert.equal(s2.status, 0, s2.out);
    assert.match(s2.out, /seeded 0 rows/);
    assert.deepEqual(await counts(), { a: 3, b: 7 });

    await sql(name, "insert into authors (name) values ('extra')");
    const s3 = run(url.toString(), 'seed', '--reset');
    assert.equal(s3.status, 0, s3.out);
    assert.deepEqual(await counts(), { a: 3, b: 7 });
    assert.deepEqual((await sql(name, 'select id from authors order by id')).map((r) => r.id), [1, 2, 3]);
    const orphans = await sql(name, 'select count(*)::int n from books where author_id is null');
    assert.equal(orphans[0].n, 0);

    const r = run(url.toString(), 'request', 'GET', '/authors/1');
    assert.equal(r.status, 0, r.out);
    const body = JSON.parse(r.out.slice(r.out.indexOf('\n\n') + 2).trim().split('\n')[0]);
    assert.equal(body.name, 'J.R.R. Tolkien');
    assert.deepEqual(body.books.map((b) => b.title), ['The Fellowship of the Ring', 'The Two Towers', 'The Return of the King']);
    assert.ok(body.books.every((b) => b.authorId === 1));
  } finally {
    await sql('postgres', `drop database if exists ${name} with (force)`);
  }
});
