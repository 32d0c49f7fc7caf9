// What every scenario host sets up before its server starts (tests/scenarios/harness.mjs for
// `edgefn serve`, tests/worker/scenario_host.mjs for the Worker): a fresh database in the `db`
// fixture, `edgefn migrate`, keys and auth settings, and, on first use by a scenario that needs
// "db-control" (stopping Postgres), a private cluster + gateway (test_env.sh start in a temp
// state dir, then pg-stop/pg-start) with its own server, so other tests sharing the fixture
// never see their database go away.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import pg from 'pg';
import { makeKeys, publicJwks } from './tokens.mjs';
import { closeAgent } from './http.mjs';
import { DEFAULT_AUD, DEFAULT_CORS, DEFAULT_ISS, makeTarget, newRunId } from '../run.mjs';

const HERE = dirname(new URL(import.meta.url).pathname);
const SOURCE_DIR = process.env.EDGEFN_SOURCE_DIR ?? resolvePath(HERE, '../../..');
const TEST_ENV_SH = join(SOURCE_DIR, 'tests/support/test_env.sh');

export const ITEMS_SQL = `CREATE TABLE IF NOT EXISTS "items" (
  "id" serial PRIMARY KEY NOT NULL,
  "user_id" text NOT NULL,
  "name" varchar(256),
  "size" varchar(256),
  "type" varchar(256),
  "color" varchar(256),
  "created_at" timestamp DEFAULT now(),
  "image_url" text NOT NULL
);
CREATE INDEX IF NOT EXISTS "name_idx" ON "items" USING btree ("user_id");`;

export function readEnvFile(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return env;
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

function pgConfig(env, database) {
  return {
    host: env.EDGEFN_TEST_PG_HOST, port: Number(env.EDGEFN_TEST_PG_PORT), user: env.EDGEFN_TEST_PG_USER,
    password: env.EDGEFN_TEST_PG_PASSWORD, database: database ?? env.EDGEFN_TEST_PG_DATABASE,
  };
}

/** CREATE DATABASE <name> in the fixture cluster; returns its DATABASE_URL. */
export async function createDatabase(env, name) {
  const c = new pg.Client(pgConfig(env));
  await c.connect();
  try { await c.query(`CREATE DATABASE "${name}"`); } finally { await c.end(); }
  const u = new URL(env.DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(env, name) {
  const c = new pg.Client(pgConfig(env));
  await c.connect();
  try { await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } catch { /* best effort */ } finally { await c.end(); }
}

/** `edgefn migrate`; falls back to ITEMS_SQL through pg. Returns a note when it fell back. */
export async function migrate(bin, env, databaseUrl, database, log) {
  const r = spawnSync(bin, ['migrate', '--endpoint', env.NEON_FETCH_ENDPOINT], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT }, encoding: 'utf8', timeout: 60000,
  });
  if (r.status === 0) return null;
  const note = `NOTE: \`edgefn migrate\` failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().slice(0, 300)}; created the items table with plain SQL instead`;
  log(note);
  const c = new pg.Client(pgConfig(env, database));
  await c.connect();
  try { await c.query(ITEMS_SQL); } finally { await c.end(); }
  return note;
}

/**
 * Adds the "sql" control (`args: {query, params}` -> the rows, through pg straight to the
 * stack's database: backdating or counting what the API cannot show) to a host's controls.
 */
function withSql(control, config) {
  return async (name, args) => {
    if (name !== 'sql') return control(name, args);
    const c = new pg.Client(config);
    await c.connect();
    try { return (await c.query(args.query, args.params ?? [])).rows; } finally { await c.end(); }
  };
}

/** tests/support/test_env.sh CMD STATE ARGS...; returns its stdout, throws when it fails. */
export function testEnv(cmd, state, ...args) {
  const r = spawnSync('bash', [TEST_ENV_SH, cmd, state, ...args], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`test_env.sh ${cmd} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Sets up the databases and keys of a scenario host and starts its servers through `app`.
 * Returns {targetFor(scenario), notes, workDir, keys, runId, databaseUrl, main, mainTarget, stop()}.
 *
 * `app(workDir)` prepares the host (it may create files in the temporary `workDir`) and returns
 * `start({stack, bindings})`, called with stack "main" first and "private" on first use of
 * "db-control"; `bindings` are the auth settings plus DATABASE_URL and NEON_FETCH_ENDPOINT.
 * `start` resolves to {server, baseUrl, stop(), images(name, args)}: `server` is the host's own
 * handle (returned as `main` for the main stack), `images` serves the "images" controls
 * (image-put, image-exists).
 * `bin` is the edgefn tool (its gateway serves private stacks), `appBin` the app's binary
 * (migrate, serve).
 * @param {{bin: string, appBin?: string, envFile: string, workPrefix: string, dbPrefix: string,
 *   extraBindings?: Record<string,string>, log?: (m: string) => void, app: Function}} o
 */
export async function startStacks({ bin, appBin = bin, envFile, workPrefix, dbPrefix, extraBindings = {}, log = console.log, app }) {
  const env = readEnvFile(envFile);
  const runId = newRunId();
  const workDir = mkdtempSync(join(tmpdir(), workPrefix));
  const notes = [];
  const cleanups = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) { try { await c(); } catch (e) { log(`cleanup: ${e.message}`); } }
    cleanups.length = 0;
    closeAgent();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const start = app(workDir);
    const keys = makeKeys();
    const auth = {
      AUTH_JWKS: JSON.stringify(publicJwks(keys)), AUTH_JWKS_URL: '', AUTH_ISSUER: DEFAULT_ISS, AUTH_AUDIENCE: DEFAULT_AUD,
      AUTH_DEV_SECRET: keys.devSecret, CORS_ORIGINS: `${DEFAULT_CORS},https://other.edgefn.test`, ...extraBindings,
    };

    // The main stack: a fresh database in the shared fixture.
    const dbName = `${dbPrefix}${runId}`;
    const databaseUrl = await createDatabase(env, dbName);
    cleanups.push(() => dropDatabase(env, dbName));
    const note = await migrate(appBin, env, databaseUrl, dbName, log);
    if (note) notes.push(note);
    const main = await start({ stack: 'main', bindings: { ...auth, DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT } });
    cleanups.push(main.stop);
    const mainTarget = makeTarget({ baseUrl: main.baseUrl, keys, runId, capabilities: ['images', 'sql'], control: withSql(main.images, pgConfig(env, dbName)) });

    // The private stack for scenarios that stop Postgres, started on first use.
    let privTarget;
    const privateTarget = async () => {
      if (privTarget) return privTarget;
      const state = join(workDir, 'private-db');
      mkdirSync(state);
      testEnv('start', state, bin);
      cleanups.push(() => testEnv('stop', state));
      const penv = readEnvFile(join(state, 'env'));
      const pnote = await migrate(appBin, penv, penv.DATABASE_URL, penv.EDGEFN_TEST_PG_DATABASE, log);
      if (pnote) notes.push(`(private db) ${pnote}`);
      const srv = await start({ stack: 'private', bindings: { ...auth, DATABASE_URL: penv.DATABASE_URL, NEON_FETCH_ENDPOINT: penv.NEON_FETCH_ENDPOINT } });
      cleanups.push(srv.stop);
      const control = async (name, args) => {
        if (name === 'db-stop') { testEnv('pg-stop', state); return true; }
        if (name === 'db-start') { testEnv('pg-start', state); return true; }
        return srv.images(name, args);
      };
      privTarget = makeTarget({ baseUrl: srv.baseUrl, keys, runId, capabilities: ['images', 'db-control', 'sql'],
        control: withSql(control, pgConfig(penv, penv.EDGEFN_TEST_PG_DATABASE)) });
      return privTarget;
    };

    return {
      notes, workDir, keys, runId, databaseUrl, main: main.server, mainTarget,
      targetFor: async (s) => ((s.requires ?? []).includes('db-control') ? privateTarget() : mainTarget),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
