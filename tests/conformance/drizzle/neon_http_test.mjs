// Conformance: drizzle-orm/neon-http on top of the official Neon driver, through the edgefn
// gateway. A pgTable is created over HTTP, then select / insert … returning / update … returning /
// delete / db.batch must give exact results, and node-postgres (straight to Postgres) must see
// the same table contents. Spec: /work/shared/specs/neon-sql-over-http.md §7 (drizzle).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { drizzle } from 'drizzle-orm/neon-http';
import { pgTable, pgEnum, serial, text, varchar, integer, numeric, boolean, jsonb, date, timestamp } from 'drizzle-orm/pg-core';
import { eq, gt, asc, sql } from 'drizzle-orm';
import { loadEnv, useGateway, connectPg, uniqueName, TEST_TIMEOUT_MS } from '../support.mjs';

const it = (name, fn) => test(name, { timeout: TEST_TIMEOUT_MS }, fn);

const env = loadEnv();
const neon = useGateway(env);
const T = uniqueName('drz_users');
const E = uniqueName('drz_mood');

const mood = pgEnum(E, ['sad', 'ok', 'happy']);
const users = pgTable(T, {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  email: varchar('email', { length: 64 }).notNull().unique(),
  age: integer('age'),
  score: numeric('score', { precision: 8, scale: 2 }),
  active: boolean('active').notNull().default(true),
  tags: text('tags').array(),
  profile: jsonb('profile'),
  born: date('born'),
  createdAt: timestamp('created_at', { withTimezone: true }),
  mood: mood('mood'),
});

let db;
let pgc;

/** Drizzle wraps single-query failures in DrizzleQueryError; the Neon error is its cause. */
const dbError = (e) => (e?.cause && e.cause.code ? e.cause : e);

async function pgRows() {
  const r = await pgc.query(`select id, name, email, age, score, active, tags, profile, born::text as born,
                             created_at, mood::text as mood from "${T}" order by id`);
  return r.rows;
}

before(async () => {
  pgc = await connectPg(env);
  db = drizzle({ client: neon(env.DATABASE_URL) });
});
after(async () => {
  await pgc?.query(`drop table if exists "${T}"; drop type if exists "${E}"`);
  await pgc?.end();
});

const alice = {
  id: 1, name: 'Alice 🎉', email: 'alice@example.com', age: 34, score: '97.50', active: true,
  tags: ['admin', 'x "y"', null], profile: { theme: 'dark', langs: ['en', 'fr'], n: 1.5 }, born: '1990-02-28',
  createdAt: new Date('2024-06-01T12:00:00.123Z'), mood: 'happy',
};
const bob = {
  id: 2, name: 'Bob', email: 'bob@example.com', age: 25, score: null, active: false, tags: [], profile: null,
  born: null, createdAt: null, mood: null,
};

describe('drizzle-orm/neon-http via gateway', () => {
  it('creates an enum and a pgTable over HTTP (command CREATE, rowCount null)', async () => {
    const r1 = await db.execute(sql.raw(`create type "${E}" as enum ('sad', 'ok', 'happy')`));
    assert.equal(r1.command, 'CREATE');
    const r2 = await db.execute(sql.raw(`create table "${T}" (
      id serial primary key, name text not null, email varchar(64) not null unique, age integer,
      score numeric(8,2), active boolean not null default true, tags text[], profile jsonb, born date,
      created_at timestamp with time zone, mood "${E}")`));
    assert.equal(r2.command, 'CREATE');
    assert.equal(r2.rowCount, null);
    assert.deepEqual(r2.rows, []);
    const seen = await pgc.query(`select count(*)::int n from "${T}"`);
    assert.deepEqual(seen.rows, [{ n: 0 }]);
  });

  it('insert … returning returns the inserted rows with defaults and exact types', async () => {
    const rows = await db.insert(users).values([
      { name: alice.name, email: alice.email, age: 34, score: '97.5', tags: alice.tags, profile: alice.profile,
        born: alice.born, createdAt: alice.createdAt, mood: 'happy' },
      { name: 'Bob', email: 'bob@example.com', age: 25, active: false, tags: [] },
    ]).returning();
    assert.deepStrictEqual(rows, [alice, bob]);
    assert.deepStrictEqual(await pgRows(), [
      { id: 1, name: 'Alice 🎉', email: 'alice@example.com', age: 34, score: '97.50', active: true,
        tags: ['admin', 'x "y"', null], profile: alice.profile, born: '1990-02-28',
        created_at: new Date('2024-06-01T12:00:00.123Z'), mood: 'happy' },
      { id: 2, name: 'Bob', email: 'bob@example.com', age: 25, score: null, active: false, tags: [], profile: null,
        born: null, created_at: null, mood: null },
    ]);
  });

  it('select returns all rows ordered, partial selects and where filters', async () => {
    assert.deepStrictEqual(await db.select().from(users).orderBy(asc(users.id)), [alice, bob]);
    assert.deepStrictEqual(
      await db.select({ id: users.id, name: users.name, tags: users.tags }).from(users).where(eq(users.email, 'bob@example.com')),
      [{ id: 2, name: 'Bob', tags: [] }]);
    assert.deepStrictEqual(await db.select().from(users).where(gt(users.age, 100)), []);
    assert.deepStrictEqual(
      await db.select({ n: sql`count(*)::int`.mapWith(Number), total: sql`sum(${users.age})` }).from(users),
      [{ n: 2, total: '59' }]);
  });

  it('update … returning returns the changed rows and pg sees the change', async () => {
    const rows = await db.update(users)
      .set({ age: sql`${users.age} + 1`, score: '1.005', mood: 'ok' })
      .where(gt(users.age, 30))
      .returning({ id: users.id, age: users.age, score: users.score, mood: users.mood });
    assert.deepStrictEqual(rows, [{ id: 1, age: 35, score: '1.01', mood: 'ok' }]);
    const r = await pgc.query(`select age, score, mood::text from "${T}" where id = 1`);
    assert.deepStrictEqual(r.rows, [{ age: 35, score: '1.01', mood: 'ok' }]);
  });

  it('update matching nothing returns an empty list', async () => {
    assert.deepStrictEqual(await db.update(users).set({ age: 0 }).where(eq(users.id, 999)).returning(), []);
  });

  it('delete without returning reports command DELETE and rowCount 1', async () => {
    await db.insert(users).values({ name: 'Tmp', email: 'tmp@example.com' });
    const r = await db.delete(users).where(eq(users.email, 'tmp@example.com'));
    assert.equal(r.command, 'DELETE');
    assert.equal(r.rowCount, 1);
    const left = await pgc.query(`select count(*)::int n from "${T}" where email = 'tmp@example.com'`);
    assert.deepEqual(left.rows, [{ n: 0 }]);
  });

  it('delete … returning returns the deleted row', async () => {
    await db.insert(users).values({ id: 50, name: 'Gone', email: 'gone@example.com', age: 1 });
    assert.deepStrictEqual(await db.delete(users).where(eq(users.id, 50)).returning({ id: users.id, name: users.name }),
      [{ id: 50, name: 'Gone' }]);
  });

  it('db.batch runs insert, update, select and delete in one transaction with per-query results', async () => {
    const [ins, upd, sel, del] = await db.batch([
      db.insert(users).values({ id: 10, name: 'Carol', email: 'carol@example.com', age: 41, mood: 'sad' })
        .returning({ id: users.id, name: users.name }),
      db.update(users).set({ active: true }).where(eq(users.id, 2)).returning({ id: users.id, active: users.active }),
      db.select({ id: users.id, active: users.active, mood: users.mood }).from(users).orderBy(asc(users.id)),
      db.delete(users).where(eq(users.id, 10)),
    ]);
    assert.deepStrictEqual(ins, [{ id: 10, name: 'Carol' }]);
    assert.deepStrictEqual(upd, [{ id: 2, active: true }]);
    assert.deepStrictEqual(sel, [{ id: 1, active: true, mood: 'ok' }, { id: 2, active: true, mood: null },
      { id: 10, active: true, mood: 'sad' }]);
    assert.equal(del.command, 'DELETE');
    assert.equal(del.rowCount, 1);
    const r = await pgc.query(`select id, active from "${T}" order by id`);
    assert.deepStrictEqual(r.rows, [{ id: 1, active: true }, { id: 2, active: true }]);
  });

  it('a db.batch failing on a unique violation rejects with 23505 and leaves nothing behind', async () => {
    const before = await pgRows();
    await assert.rejects(db.batch([
      db.insert(users).values({ id: 20, name: 'Dave', email: 'dave@example.com' }),
      db.update(users).set({ name: 'changed' }).where(eq(users.id, 1)),
      db.insert(users).values({ id: 21, name: 'Dup', email: 'alice@example.com' }),
      db.insert(users).values({ id: 22, name: 'Never', email: 'never@example.com' }),
    ]), (e) => {
      const err = dbError(e);
      assert.equal(err.code, '23505');
      assert.equal(err.constraint, `${T}_email_key`);
      assert.equal(err.table, T);
      assert.equal(err.schema, 'public');
      assert.equal(err.detail, 'Key (email)=(alice@example.com) already exists.');
      return true;
    });
    assert.deepStrictEqual(await pgRows(), before);
  });

  it('a failing single insert surfaces the Postgres not-null error', async () => {
    await assert.rejects(db.execute(sql.raw(`insert into "${T}" (email) values ('x@example.com')`)), (e) => {
      const err = dbError(e);
      assert.equal(err.code, '23502');
      assert.equal(err.column, 'name');
      return true;
    });
  });

  it('db.execute returns date/timestamptz/interval as strings (drizzle identity parsers)', async () => {
    const r = await db.execute(sql`select '2024-01-02'::date d, '2024-01-02 03:04:05+00'::timestamptz t,
      '1 day'::interval i, ${5}::int n`);
    assert.deepStrictEqual(r.rows, [{ d: '2024-01-02', t: '2024-01-02 03:04:05+00', i: '1 day', n: 5 }]);
  });

  it('db.transaction is rejected by the neon-http driver', async () => {
    await assert.rejects(db.transaction(async () => {}), /No transactions support in neon-http driver/);
  });
});
