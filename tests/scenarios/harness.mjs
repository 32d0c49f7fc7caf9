#!/usr/bin/env node
// Native host for the scenario suite: starts `edgefn serve` against a fresh database and runs
// the scenarios against it.
//
//   node tests/scenarios/harness.mjs --host native [--edgefn BIN] [--env-file FILE] [--filter TEXT] [--verbose]
//
// --env-file (default $EDGEFN_TEST_ENV_FILE): the `db` fixture (tests/support/test_env.sh).
// --edgefn (default $EDGEFN_BIN): the edgefn binary.
// What it sets up:
//   - a fresh database in the fixture's cluster (CREATE DATABASE via pg), DATABASE_URL pointing
//     at it through the fixture's gateway; `edgefn migrate` creates the schema (if it fails the
//     harness creates the items table with plain SQL through pg and says so);
//   - RSA-2048 + EC P-256 keys (AUTH_JWKS), a random AUTH_DEV_SECRET, AUTH_ISSUER/AUDIENCE,
//     CORS_ORIGINS, IMAGES_DIR (a temp dir);
//   - for scenarios that need "db-control" (stopping Postgres): a private cluster + gateway
//     (test_env.sh start in a temp state dir, then pg-stop/pg-start) with its own `edgefn serve`,
//     so other tests sharing the fixture never see their database go away.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { makeKeys, publicJwks } from './lib/tokens.mjs';
import { loadScenarios } from './lib/runner.mjs';
import { closeAgent, send } from './lib/http.mjs';
import { DEFAULT_AUD, DEFAULT_CORS, DEFAULT_ISS, makeTarget, newRunId, runAll } from './run.mjs';

const HERE = dirname(new URL(import.meta.url).pathname);
const SOURCE_DIR = process.env.EDGEFN_SOURCE_DIR ?? resolvePath(HERE, '../..');
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

async function waitHealthy(baseUrl, proc, logFile, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`edgefn serve exited (${proc.exitCode ?? proc.signalCode}):\n${tail(logFile)}`);
    }
    try {
      const r = await send({ url: `${baseUrl}/healthz`, timeoutMs: 2000, fresh: true });
      if (r.status === 200) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`edgefn serve did not answer /healthz within ${timeoutMs} ms:\n${tail(logFile)}`);
}

function tail(file, n = 3000) {
  try { const s = readFileSync(file, 'utf8'); return s.slice(-n); } catch { return '(no log)'; }
}

/** Starts `edgefn serve`; returns {baseUrl, proc, logFile, stop()}. */
export async function startServe(bin, extraEnv, workDir, name = 'serve') {
  const port = await freePort();
  const logFile = join(workDir, `${name}.log`);
  const out = createWriteStream(logFile);
  const proc = spawn(bin, ['serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.pipe(out);
  proc.stderr.pipe(out);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  try { await waitHealthy(baseUrl, proc, logFile); } catch (e) { await stop(); throw e; }
  return { baseUrl, proc, logFile, stop };
}

function testEnv(cmd, state, ...args) {
  const r = spawnSync('bash', [TEST_ENV_SH, cmd, state, ...args], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`test_env.sh ${cmd} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Sets up the native host. Returns {targetFor(scenario), notes, stop(), workDir}.
 */
export async function startNative({ bin, envFile, log = console.log }) {
  if (!bin || !existsSync(bin)) throw new Error(`edgefn binary not found: ${bin} (set EDGEFN_BIN or --edgefn)`);
  if (!envFile || !existsSync(envFile)) throw new Error(`fixture env file not found: ${envFile} (set EDGEFN_TEST_ENV_FILE or --env-file)`);
  const env = readEnvFile(envFile);
  const runId = newRunId();
  const workDir = mkdtempSync(join(tmpdir(), 'edgefn-scenarios-'));
  const imagesDir = join(workDir, 'images');
  mkdirSync(imagesDir);
  const keys = makeKeys();
  const notes = [];
  const cleanups = [];
  const authEnv = {
    AUTH_JWKS: JSON.stringify(publicJwks(keys)), AUTH_JWKS_URL: '', AUTH_ISSUER: DEFAULT_ISS, AUTH_AUDIENCE: DEFAULT_AUD,
    AUTH_DEV_SECRET: keys.devSecret, CORS_ORIGINS: `${DEFAULT_CORS},https://other.edgefn.test`,
  };
  const imageControl = async (name, args) => {
    const file = join(imagesDir, args.key);
    if (name === 'image-put') { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, args.content ?? ''); return true; }
    if (name === 'image-exists') return existsSync(file);
    throw new Error(`unknown control ${name}`);
  };

  const stopAll = async () => {
    for (const c of cleanups.reverse()) { try { await c(); } catch (e) { log(`cleanup: ${e.message}`); } }
    cleanups.length = 0;
    closeAgent();
  };

  try {
    // The main stack: a fresh database in the shared fixture.
    const dbName = `edgefn_scn_${runId}`;
    const databaseUrl = await createDatabase(env, dbName);
    cleanups.push(() => dropDatabase(env, dbName));
    const note = await migrate(bin, env, databaseUrl, dbName, log);
    if (note) notes.push(note);
    const main = await startServe(bin, {
      ...authEnv, DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT, IMAGES_DIR: imagesDir,
    }, workDir, 'serve');
    cleanups.push(main.stop);
    const mainTarget = makeTarget({ baseUrl: main.baseUrl, keys, runId, capabilities: ['images'], control: imageControl });

    // The private stack for scenarios that stop Postgres, started on first use.
    let privTarget;
    const privateTarget = async () => {
      if (privTarget) return privTarget;
      const state = join(workDir, 'private-db');
      mkdirSync(state);
      testEnv('start', state, bin);
      cleanups.push(() => testEnv('stop', state));
      const penv = readEnvFile(join(state, 'env'));
      const pnote = await migrate(bin, penv, penv.DATABASE_URL, penv.EDGEFN_TEST_PG_DATABASE, log);
      if (pnote) notes.push(`(private db) ${pnote}`);
      const srv = await startServe(bin, {
        ...authEnv, DATABASE_URL: penv.DATABASE_URL, NEON_FETCH_ENDPOINT: penv.NEON_FETCH_ENDPOINT, IMAGES_DIR: imagesDir,
      }, workDir, 'serve-private');
      cleanups.push(srv.stop);
      const control = async (name, args) => {
        if (name === 'db-stop') { testEnv('pg-stop', state); return true; }
        if (name === 'db-start') { testEnv('pg-start', state); return true; }
        return imageControl(name, args);
      };
      privTarget = makeTarget({ baseUrl: srv.baseUrl, keys, runId, capabilities: ['images', 'db-control'], control });
      return privTarget;
    };

    return {
      notes, workDir, mainTarget,
      targetFor: async (s) => ((s.requires ?? []).includes('db-control') ? privateTarget() : mainTarget),
      stop: async () => { await stopAll(); rmSync(workDir, { recursive: true, force: true }); },
    };
  } catch (e) {
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: 'native' }, edgefn: { type: 'string' }, 'env-file': { type: 'string' },
      filter: { type: 'string' }, verbose: { type: 'boolean' }, keep: { type: 'boolean' },
    },
  });
  if (values.host !== 'native') { console.error(`unknown --host ${values.host} (only "native"; for another host run run.mjs --base-url)`); process.exit(2); }
  const host = await startNative({ bin: values.edgefn ?? process.env.EDGEFN_BIN, envFile: values['env-file'] ?? process.env.EDGEFN_TEST_ENV_FILE });
  let r;
  try {
    r = await runAll(loadScenarios(undefined, values.filter), host.targetFor, { verbose: values.verbose });
  } finally {
    if (values.keep) console.log(`kept ${host.workDir}`);
    else await host.stop();
  }
  for (const n of host.notes) console.log(n);
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  process.exitCode = r.failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await main();
