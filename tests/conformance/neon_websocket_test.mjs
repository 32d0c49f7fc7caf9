// Conformance: the official Neon driver's Pool and Client, and drizzle-orm/neon-serverless, over
// the gateway's WebSocket endpoint (the Postgres wire protocol relayed to the local Postgres),
// with node-postgres straight to Postgres as the referee: same results, same errors with every
// field, interactive transactions that commit or leave nothing, concurrent pool clients, and a
// wrong password refused by Postgres itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Pool, Client } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { pgTable, integer, text } from 'drizzle-orm/pg-core';
import { asc } from 'drizzle-orm';
import {
  loadEnv, useGatewayWebSocket, connectPg, uniqueName, outcome, shapeResult, shapeError, TEST_TIMEOUT_MS,
} from './support.mjs';

const it = (name, fn) => test(name, { timeout: TEST_TIMEOUT_MS }, fn);

const env = loadEnv();
useGatewayWebSocket(env);
const T = uniqueName('conf_ws');
const items = pgTable(T, { id: integer('id').primaryKey(), note: text('note').notNull() });

let pgc;
let pool;

const urlWithPassword = (password) => {
  const u = new URL(env.DATABASE_URL);
  u.password = password;
  return u.toString();
};
const pgIds = async () => (await pgc.query(`select id from ${T} order by id`)).rows.map((r) => r.id);

before(async () => {
  pgc = await connectPg(env);
  await pgc.query(`create table ${T} (id int primary key, note text not null)`);
  pool = new Pool({ connectionString: env.DATABASE_URL, max: 8 });
});
after(async () => {
  await pool?.end();
  await pgc?.query(`drop table if exists ${T}`);
  await pgc?.end();
});

const QUERIES = [
  ['select $1::int + 1 as n, $2::text as t, $3::numeric as d, $4::jsonb as j, $5::int[] as a, $6::timestamptz as ts',
    [41, 'héllo', '12.50', '{"k":[1,null]}', [1, 2, 3], '2024-05-06 07:08:09+02']],
  ['select null::text as nothing, true as yes, $1::bytea as b, 1e300::float8 as big', ['\\xdeadbeef']],
  ['select g from generate_series(1, $1::int) g', [2500]],
];

it('Pool.query with parameters returns what node-postgres returns', async () => {
  for (const [text, params] of QUERIES) {
    const viaGateway = await outcome(() => pool.query(text, params));
    const direct = await outcome(() => pgc.query(text, params));
    assert.ok(viaGateway.ok, JSON.stringify(viaGateway.error));
    assert.deepEqual(viaGateway, direct, text);
  }
});

it('Client errors carry every field node-postgres gets', async () => {
  const client = new Client(env.DATABASE_URL);
  await client.connect();
  try {
    await pgc.query(`insert into ${T} values (1, 'dup')`);
    for (const [text, params] of [
      [`insert into ${T} values ($1, $2)`, [1, 'again']],
      ['select 1/0', []],
      ['select nosuchcolumn from pg_class', []],
    ]) {
      const viaGateway = await outcome(() => client.query(text, params));
      const direct = await outcome(() => pgc.query(text, params));
      assert.ok(viaGateway.error, text);
      assert.deepEqual(viaGateway, direct, text);
    }
    // The connection is still usable after the errors.
    assert.deepEqual((await client.query('select $1::int as v', [7])).rows, [{ v: 7 }]);
  } finally {
    await client.end();
    await pgc.query(`delete from ${T}`);
  }
});

it('an interactive transaction on a Client: ROLLBACK leaves nothing, COMMIT persists', async () => {
  const client = new Client(env.DATABASE_URL);
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`insert into ${T} values ($1, $2)`, [10, 'rolled back']);
    assert.deepEqual((await client.query(`select id from ${T}`)).rows, [{ id: 10 }]);
    assert.deepEqual(await pgIds(), [], 'uncommitted insert visible outside the transaction');
    await client.query('ROLLBACK');
    assert.deepEqual(await pgIds(), []);

    await client.query('BEGIN');
    await client.query(`insert into ${T} values ($1, $2), ($3, $4)`, [11, 'a', 12, 'b']);
    assert.deepEqual(await pgIds(), []);
    await client.query('COMMIT');
    assert.deepEqual(await pgIds(), [11, 12]);
  } finally {
    await client.end();
    await pgc.query(`delete from ${T}`);
  }
});

it('pool.query runs on several connections at once', async () => {
  const n = 24;
  const results = await Promise.all(Array.from({ length: n }, (_, i) =>
    pool.query('select pg_backend_pid() as pid, $1::int * 2 as twice, pg_sleep(0.05)', [i])));
  assert.deepEqual(results.map((r) => r.rows[0].twice), Array.from({ length: n }, (_, i) => i * 2));
  const pids = new Set(results.map((r) => r.rows[0].pid));
  assert.ok(pids.size > 1, `all ${n} queries ran on one backend`);
  assert.ok(pids.size <= 8, `more backends (${pids.size}) than the pool's max`);
});

it('a transaction held open on one pool client does not block the others', async () => {
  const held = await pool.connect();
  try {
    await held.query('BEGIN');
    await held.query(`insert into ${T} values (20, 'held')`);
    const others = await Promise.all([1, 2, 3].map((i) => pool.query(`select count(*)::int as c, $1::int as i from ${T}`, [i])));
    assert.deepEqual(others.map((r) => r.rows[0]), [{ c: 0, i: 1 }, { c: 0, i: 2 }, { c: 0, i: 3 }]);
    await held.query('COMMIT');
    assert.deepEqual(await pgIds(), [20]);
  } finally {
    held.release();
    await pgc.query(`delete from ${T}`);
  }
});

it('a wrong password is refused by Postgres, with the error node-postgres gets', async () => {
  const bad = urlWithPassword('not-the-password');
  const client = new Client(bad);
  const viaGateway = await outcome(() => client.connect(), () => 'connected');
  const direct = await outcome(async () => {
    const c = new pg.Client(bad);
    try { await c.connect(); } finally { await c.end().catch(() => {}); }
  }, () => 'connected');
  assert.equal(viaGateway.error?.code, '28P01', JSON.stringify(viaGateway));
  assert.deepEqual(viaGateway, direct);
  const badPool = new Pool({ connectionString: bad });
  await assert.rejects(badPool.query('select 1'), (e) => e.code === '28P01');
  await badPool.end();
});

it('LISTEN on a Client receives a NOTIFY sent by node-postgres', async () => {
  const client = new Client(env.DATABASE_URL);
  await client.connect();
  try {
    const channel = uniqueName('chan');
    const got = new Promise((resolve) => client.on('notification', resolve));
    await client.query(`listen ${channel}`);
    await pgc.query('select pg_notify($1, $2)', [channel, 'payload ✓']);
    const n = await got;
    assert.equal(n.channel, channel);
    assert.equal(n.payload, 'payload ✓');
  } finally {
    await client.end();
  }
});

it('the wsproxy-style endpoint (/v1, the driver appending ?address=host:port) works too', async () => {
  useGatewayWebSocket(env, 'v1');
  try {
    const client = new Client(env.DATABASE_URL);
    await client.connect();
    try {
      assert.deepEqual(shapeResult(await client.query('select $1::text as s', ['v1'])),
        shapeResult(await pgc.query('select $1::text as s', ['v1'])));
    } finally {
      await client.end();
    }
  } finally {
    useGatewayWebSocket(env);
  }
});

it('drizzle-orm/neon-serverless: db.transaction commits, rolls back, and nests savepoints', async () => {
  const db = drizzle({ client: pool });
  try {
    await db.transaction(async (tx) => {
      await tx.insert(items).values({ id: 1, note: 'committed' });
      await tx.insert(items).values({ id: 2, note: 'committed too' });
    });
    assert.deepEqual(await pgIds(), [1, 2]);

    await assert.rejects(db.transaction(async (tx) => {
      await tx.insert(items).values({ id: 3, note: 'thrown away' });
      throw new Error('abort');
    }), /abort/);
    assert.deepEqual(await pgIds(), [1, 2]);

    await assert.rejects(db.transaction(async (tx) => {
      await tx.insert(items).values({ id: 4, note: 'rolled back' });
      tx.rollback();
    }), /Rollback/);
    assert.deepEqual(await pgIds(), [1, 2]);

    await db.transaction(async (tx) => {
      await tx.insert(items).values({ id: 5, note: 'outer' });
      await assert.rejects(tx.transaction(async (inner) => {
        await inner.insert(items).values({ id: 6, note: 'inner, undone' });
        inner.rollback();
      }));
      await tx.transaction(async (inner) => {
        await inner.insert(items).values({ id: 7, note: 'inner, kept' });
      });
    });
    assert.deepEqual(await pgIds(), [1, 2, 5, 7]);

    // A failing statement inside the transaction rolls it back with Postgres' error.
    const failed = await db.transaction(async (tx) => {
      await tx.insert(items).values({ id: 8, note: 'before the duplicate' });
      await tx.insert(items).values({ id: 1, note: 'duplicate' });
    }).then(() => null, (e) => e);
    assert.equal((failed?.cause ?? failed)?.code, '23505', String(failed));
    assert.deepEqual(await pgIds(), [1, 2, 5, 7]);

    const rows = await db.select().from(items).orderBy(asc(items.id));
    assert.deepEqual(rows, (await pgc.query(`select id, note from ${T} order by id`)).rows);
  } finally {
    await pgc.query(`delete from ${T}`);
  }
});

it('the gateway refuses what is not a WebSocket upgrade on its WebSocket paths', async () => {
  const base = new URL(env.EDGEFN_TEST_GATEWAY_URL);
  const res = await fetch(`${base.origin}/v2?address=localhost:5432`);
  assert.equal(res.status, 400);
  assert.match((await res.json()).message, /WebSocket upgrade/);
});
