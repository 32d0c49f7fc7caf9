// Shared helpers of the drizzle migrator cross-compatibility tests: fresh databases on the `db`
// fixture, direct reads through node-postgres, and `<app> migrate` as a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { uniqueName } from '../conformance/support.mjs';

function pgClient(env, database) {
  return new pg.Client({
    host: env.EDGEFN_TEST_PG_HOST,
    port: Number(env.EDGEFN_TEST_PG_PORT),
    user: env.EDGEFN_TEST_PG_USER,
    password: env.EDGEFN_TEST_PG_PASSWORD,
    database,
  });
}

/** A new empty database: its name and its DATABASE_URL. */
export async function freshDatabase(env) {
  const name = uniqueName('migcompat');
  const admin = pgClient(env, 'postgres');
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** The rows of `sql` run directly on `database`. */
export async function query(env, database, sql) {
  const c = pgClient(env, database);
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Everything about the public tables and the history a migration could change. `historyColumns`
 * lists the tracking table's columns to compare (drizzle 1.0's table adds name, applied_at).
 */
export async function schemaState(env, database, historyColumns = 'id, hash, created_at') {
  return {
    columns: await query(env, database, `select table_name, column_name, data_type, character_maximum_length,
        is_nullable, column_default from information_schema.columns
        where table_schema = 'public' order by table_name, ordinal_position`),
    indexes: await query(env, database, `select indexname, indexdef from pg_indexes
        where schemaname = 'public' order by indexname`),
    constraints: await query(env, database, `select conname, pg_get_constraintdef(oid) as def from pg_constraint
        where connamespace = 'public'::regnamespace order by conname`),
    history: await query(env, database, `select ${historyColumns} from drizzle.__drizzle_migrations order by id`),
  };
}

/** Runs `<bin> migrate ...args` against `url` through the gateway, from an empty directory. */
export function edgefnMigrate(env, bin, url, args = []) {
  return edgefnRun(env, bin, url, ['migrate', ...args]);
}

/** Runs `<bin> ...args` against `url` through the gateway, from an empty directory. */
export function edgefnRun(env, bin, url, args) {
  const cwd = mkdtempSync(join(tmpdir(), 'edgefn-migcompat-'));
  try {
    const childEnv = { ...process.env, DATABASE_URL: url, NEON_FETCH_ENDPOINT: env.EDGEFN_TEST_GATEWAY_URL };
    delete childEnv.ENVIRONMENT;
    delete childEnv.NODE_ENV;
    const r = spawnSync(bin, args, { cwd, env: childEnv, encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
