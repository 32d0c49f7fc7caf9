// Conformance: `sql.transaction([...])` of the official Neon driver through the gateway (an
// HTTP batch, spec §4 "Batch", §6 "Batch") must behave like the same statements run by
// node-postgres inside one explicit transaction: same per-query results on success, the same
// first error on failure, nothing left behind after a failure, and the isolation / read-only /
// deferrable options applied to the transaction.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { loadEnv, useGateway, connectPg, uniqueName, outcome, shapeResult, shapeError, TEST_TIMEOUT_MS } from './support.mjs';

const it = (name, fn) => test(name, { timeout: TEST_TIMEOUT_MS }, fn);

const env = loadEnv();
const neon = useGateway(env);
const S = uniqueName('conf_tx');

let pgc;
let sql;

before(async () => {
  pgc = await connectPg(env);
  sql = neon(env.DATABASE_URL);
  await pgc.query(`
    create schema ${S};
    create table ${S}.acct (id int primary key, owner text not null unique, balance numeric(10,2) not null
      check (balance >= 0), tags text[], opened timestamptz);
    create table ${S}.ref (id int primary key,
      acct_id int references ${S}.acct (id) deferrable initially deferred);
  `);
});
after(async () => {
  await pgc?.query(`drop schema if exists ${S} cascade`);
  await pgc?.end();
});
beforeEach(async () => {
  await pgc.query(`truncate ${S}.ref, ${S}.acct; insert into ${S}.acct values (1, 'seed', 100.00, '{a}', '2024-01-01 00:00:00+00')`);
});

const RESET = `truncate ${S}.ref, ${S}.acct; insert into ${S}.acct values (1, 'seed', 100.00, '{a}', '2024-01-01 00:00:00+00')`;
const BEGIN_SQL = {
  ReadUncommitted: 'READ UNCOMMITTED', ReadCommitted: 'READ COMMITTED', RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/** pg reference: the same statements inside START TRANSACTION … COMMIT (ROLLBACK on error). */
async function pgBatch(queries, { isolationLevel, readOnly, deferrable } = {}) {
  const opts = [];
  if (isolationLevel) opts.push(` ISOLATION LEVEL ${BEGIN_SQL[isolationLevel]}`);
  if (readOnly) opts.push(' READ ONLY');
  if (deferrable) opts.push(' DEFERRABLE');
  await pgc.query(`START TRANSACTION${opts.join(',')}`);
  const results = [];
  try {
    for (const q of queries) {
      results.push(shapeResult(await pgc.query({
        text: q.text, values: q.params ?? [], queryMode: 'extended', rowMode: q.arrayMode ? 'array' : undefined,
      })));
    }
    await pgc.query('COMMIT');
    return { ok: results };
  } catch (e) {
    await pgc.query('ROLLBACK');
    return { error: shapeError(e) };
  }
}

/** The same statements as one Neon batch through the gateway. */
function neonBatch(queries, txOpts = {}) {
  return outcome(
    () => sql.transaction(
      queries.map((q) => sql.query(q.text, q.params ?? [], q.arrayMode === undefined ? {} : { arrayMode: q.arrayMode })),
      { fullResults: true, ...txOpts }),
    (rs) => rs.map(shapeResult));
}

async function compareBatch(queries, txOpts = {}) {
  await pgc.query(RESET);
  const viaNeon = await neonBatch(queries, txOpts);
  const neonState = (await pgc.query(`select * from ${S}.acct order by id`)).rows;
  await pgc.query(RESET);
  const viaPg = await pgBatch(queries, txOpts);
  const pgState = (await pgc.query(`select * from ${S}.acct order by id`)).rows;
  assert.deepStrictEqual(viaNeon, viaPg);
  assert.deepStrictEqual(neonState, pgState, 'table contents after the batch differ');
  return { viaNeon, state: neonState };
}

const seedOnly = [{ id: 1, owner: 'seed', balance: '100.00', tags: ['a'], opened: new Date('2024-01-01T00:00:00Z') }];

describe('sql.transaction batches via gateway behave like a pg transaction', () => {
  it('successful batch: insert/update/delete/select results match pg and all writes are committed', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `insert into ${S}.acct values ($1, $2, $3, $4, $5) returning *`,
        params: [2, 'alice 🎉', '10.50', ['x', null, 'y z'], new Date(Date.UTC(2024, 5, 1, 12))] },
      { text: `insert into ${S}.acct (id, owner, balance) values (3, 'bob', 0), (4, 'carol', 7.25)` },
      { text: `update ${S}.acct set balance = balance + 1 where id >= $1 returning id, balance`, params: [3] },
      { text: `delete from ${S}.acct where owner = 'carol'` },
      { text: `select id, owner, balance from ${S}.acct order by id` },
    ]);
    assert.ok(viaNeon.ok, JSON.stringify(viaNeon.error));
    assert.deepEqual(viaNeon.ok.map((r) => [r.command, r.rowCount]),
      [['INSERT', 1], ['INSERT', 2], ['UPDATE', 2], ['DELETE', 1], ['SELECT', 3]]);
    assert.deepEqual(state.map((r) => r.id), [1, 2, 3]);
  });

  it('later statements in a batch see the writes of earlier ones', async () => {
    const { viaNeon } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (5, 'dave', 1)` },
      { text: `select count(*)::int as n, sum(balance) as total from ${S}.acct` },
    ]);
    assert.deepEqual(viaNeon.ok[1].rows, [{ n: 2, total: '101.00' }]);
  });

  it('per-query arrayMode inside a batch is honoured for each result', async () => {
    const { viaNeon } = await compareBatch([
      { text: `select id, owner from ${S}.acct`, arrayMode: true },
      { text: `select id, owner from ${S}.acct`, arrayMode: false },
      { text: `select 1 as a, 'x' as b` },
    ]);
    assert.deepEqual(viaNeon.ok.map((r) => r.rowAsArray), [true, false, false]);
  });

  it('non-fullResults batch returns an array of row arrays; function form with txn template works', async () => {
    const res = await sql.transaction((txn) => [
      txn`insert into ${sql.unsafe(`${S}.acct`)} (id, owner, balance) values (${6}, ${'erin'}, ${'2.50'})`,
      txn`select owner, balance from ${sql.unsafe(`${S}.acct`)} where id = ${6}`,
    ]);
    assert.deepStrictEqual(res, [[], [{ owner: 'erin', balance: '2.50' }]]);
  });

  it('empty batch resolves to an empty array', async () => {
    assert.deepStrictEqual(await sql.transaction([]), []);
  });

  it('batch failing half-way with division by zero: same error as pg and no rows left behind', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (7, 'frank', 1)` },
      { text: `update ${S}.acct set balance = 0 where id = 1` },
      { text: `select 1/0` },
      { text: `insert into ${S}.acct (id, owner, balance) values (8, 'grace', 1)` },
    ]);
    assert.equal(viaNeon.error?.code, '22012');
    assert.deepStrictEqual(state, seedOnly);
  });

  it('batch failing on a unique violation: constraint/table/schema/detail match pg and nothing is written', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (9, 'heidi', 1)` },
      { text: `insert into ${S}.acct (id, owner, balance) values (10, $1, 1)`, params: ['seed'] },
    ]);
    assert.equal(viaNeon.error?.code, '23505');
    assert.equal(viaNeon.error.constraint, 'acct_owner_key');
    assert.equal(viaNeon.error.table, 'acct');
    assert.equal(viaNeon.error.schema, S);
    assert.equal(viaNeon.error.detail, 'Key (owner)=(seed) already exists.');
    assert.deepStrictEqual(state, seedOnly);
  });

  it('batch failing on a check violation in the last statement rolls back the earlier ones', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (11, 'ivan', 5)` },
      { text: `update ${S}.acct set balance = balance - 50 where id = 11` },
    ]);
    assert.equal(viaNeon.error?.code, '23514');
    assert.deepStrictEqual(state, seedOnly);
  });

  it('batch failing on a syntax error reports its position and leaves nothing', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `delete from ${S}.acct` },
      { text: `selec 1` },
    ]);
    assert.equal(viaNeon.error?.code, '42601');
    assert.equal(viaNeon.error.position, '1');
    assert.deepStrictEqual(state, seedOnly);
  });

  it('batch failing on a wrong param count (08P01) leaves nothing', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (12, 'judy', 1)` },
      { text: `select $1::int + $2::int`, params: [1] },
    ]);
    assert.equal(viaNeon.error?.code, '08P01');
    assert.deepStrictEqual(state, seedOnly);
  });

  it('batch whose COMMIT fails (deferred foreign key) reports 23503 like pg and leaves nothing', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (17, 'olga', 1)` },
      { text: `insert into ${S}.ref values (1, 999) returning *` },
      { text: `select count(*)::int as n from ${S}.ref` },
    ]);
    assert.equal(viaNeon.error?.code, '23503');
    assert.equal(viaNeon.error.constraint, 'ref_acct_id_fkey');
    assert.deepStrictEqual(state, seedOnly);
    const refs = await pgc.query(`select count(*)::int as n from ${S}.ref`);
    assert.deepEqual(refs.rows, [{ n: 0 }]);
  });

  it('batch with a 10 000-row result next to writes returns every row like pg', async () => {
    const { viaNeon } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (18, 'pat', 3)` },
      { text: `select g, g::text || 'é' as s, array[g, null] as a from generate_series(1, 10000) g` },
      { text: `select id, owner from ${S}.acct order by id`, arrayMode: true },
    ]);
    assert.equal(viaNeon.ok?.[1].rows.length, 10000);
  });

  it('SET LOCAL inside a batch applies to later statements (statement_timeout cancels with 57014)', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `insert into ${S}.acct (id, owner, balance) values (19, 'quinn', 1)` },
      { text: `set local statement_timeout = '100ms'` },
      { text: `select pg_sleep(2)` },
    ]);
    assert.equal(viaNeon.error?.code, '57014');
    assert.deepStrictEqual(state, seedOnly);
  });

  it('SET LOCAL inside a batch changes output of later statements (IntervalStyle)', async () => {
    const { viaNeon } = await compareBatch([
      { text: `set local intervalstyle = 'iso_8601'` },
      { text: `select '1 day 2 hours'::interval::text as i` },
    ]);
    assert.deepEqual(viaNeon.ok?.[1].rows, [{ i: 'P1DT2H' }]);
    const [after] = await sql.query(`select '1 day 2 hours'::interval::text as i`);
    assert.deepEqual(after, { i: '1 day 02:00:00' });
  });

  for (const level of Object.keys(BEGIN_SQL)) {
    it(`isolationLevel ${level} runs the batch at ${BEGIN_SQL[level].toLowerCase()}`, async () => {
      const { viaNeon } = await compareBatch([
        { text: 'show transaction_isolation' },
        { text: `insert into ${S}.acct (id, owner, balance) values (13, 'kim', 1) returning id` },
      ], { isolationLevel: level });
      assert.deepEqual(viaNeon.ok?.[0].rows, [{ transaction_isolation: BEGIN_SQL[level].toLowerCase() }]);
    });
  }

  it('without options the batch runs read committed, read-write, not deferrable', async () => {
    const { viaNeon } = await compareBatch([
      { text: `select current_setting('transaction_isolation') i, current_setting('transaction_read_only') r,
               current_setting('transaction_deferrable') d` },
    ]);
    assert.deepEqual(viaNeon.ok?.[0].rows, [{ i: 'read committed', r: 'off', d: 'off' }]);
  });

  it('readOnly: true makes the batch read only', async () => {
    const { viaNeon } = await compareBatch([{ text: 'show transaction_read_only' }, { text: `select count(*) from ${S}.acct` }],
      { readOnly: true });
    assert.deepEqual(viaNeon.ok?.[0].rows, [{ transaction_read_only: 'on' }]);
  });

  it('readOnly: true rejects a write with 25006 like pg and writes nothing', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: `select 1` },
      { text: `insert into ${S}.acct (id, owner, balance) values (14, 'lee', 1)` },
    ], { readOnly: true });
    assert.equal(viaNeon.error?.code, '25006');
    assert.deepStrictEqual(state, seedOnly);
  });

  it('readOnly: false allows writes', async () => {
    const { viaNeon, state } = await compareBatch([
      { text: 'show transaction_read_only' },
      { text: `insert into ${S}.acct (id, owner, balance) values (15, 'mia', 1)` },
    ], { readOnly: false, isolationLevel: 'RepeatableRead' });
    assert.deepEqual(viaNeon.ok?.[0].rows, [{ transaction_read_only: 'off' }]);
    assert.equal(state.length, 2);
  });

  it('deferrable: true with Serializable + readOnly runs a deferrable transaction', async () => {
    const { viaNeon } = await compareBatch([
      { text: `select current_setting('transaction_isolation') i, current_setting('transaction_read_only') r,
               current_setting('transaction_deferrable') d` },
    ], { isolationLevel: 'Serializable', readOnly: true, deferrable: true });
    assert.deepEqual(viaNeon.ok?.[0].rows, [{ i: 'serializable', r: 'on', d: 'on' }]);
  });

  it('deferrable: false leaves the transaction not deferrable', async () => {
    const { viaNeon } = await compareBatch([{ text: 'show transaction_deferrable' }],
      { isolationLevel: 'Serializable', readOnly: true, deferrable: false });
    assert.deepEqual(viaNeon.ok?.[0].rows, [{ transaction_deferrable: 'off' }]);
  });
});

describe('no session state survives between gateway requests (spec §6)', () => {
  it('a bare BEGIN in one request does not leave the next request inside a transaction', async () => {
    await sql.query('begin');
    const [a] = await sql.query('select pg_current_xact_id()::text as x');
    const [b] = await sql.query('select pg_current_xact_id()::text as x');
    assert.notEqual(a.x, b.x);
    // A write after the stray BEGIN is committed (visible to another connection).
    await sql.query('begin');
    await sql.query(`insert into ${S}.acct (id, owner, balance) values (16, 'nina', 1)`);
    const seen = await pgc.query(`select owner from ${S}.acct where id = 16`);
    assert.deepEqual(seen.rows, [{ owner: 'nina' }]);
  });

  it('a session GUC set in one request is not visible in the next', async () => {
    await sql.query(`select set_config('edgefn.probe', 'leaked', false)`);
    const [r] = await sql.query(`select current_setting('edgefn.probe', true) as v`);
    assert.notEqual(r.v, 'leaked');
  });

  it('a temp table created in one request is gone in the next', async () => {
    await sql.query('create temp table edgefn_tmp_probe (x int)');
    await assert.rejects(sql.query('select * from edgefn_tmp_probe'), (e) => e.code === '42P01');
  });
});
