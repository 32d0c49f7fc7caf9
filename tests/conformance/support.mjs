// Shared helpers for the conformance tests: read the `db` fixture's env file, open the two
// clients under comparison (the official Neon driver via the gateway, node-postgres direct),
// and turn their results/errors into plain comparable values.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { neon, neonConfig } from '@neondatabase/serverless';
import WebSocket from 'ws';

/** Parses $EDGEFN_TEST_ENV_FILE (KEY=VALUE lines written by tests/support/test_env.sh). */
export function loadEnv(file = process.env.EDGEFN_TEST_ENV_FILE) {
  if (!file) throw new Error('EDGEFN_TEST_ENV_FILE is not set (run under the ctest `db` fixture)');
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  for (const k of ['DATABASE_URL', 'EDGEFN_TEST_GATEWAY_URL', 'EDGEFN_TEST_PG_HOST', 'EDGEFN_TEST_PG_PORT']) {
    if (!env[k]) throw new Error(`${file}: missing ${k}`);
  }
  return env;
}

/** Points the (global) Neon driver config at the local gateway. */
export function useGateway(env) {
  neonConfig.fetchEndpoint = env.EDGEFN_TEST_GATEWAY_URL;
  return neon;
}

/**
 * Points the (global) Neon driver config at the gateway's WebSocket endpoint, for Pool/Client:
 * plain ws:// (no TLS, Postgres-level TLS off), no pipelined connect (SCRAM needs round trips),
 * and the `ws` package since Node 20 has no global WebSocket. `style` 'v2' uses a function
 * (path /v2, as Neon's proxy); 'v1' a string the driver appends `?address=host:port` to (as
 * Neon's wsproxy).
 */
export function useGatewayWebSocket(env, style = 'v2') {
  const gateway = new URL(env.EDGEFN_TEST_GATEWAY_URL).host;
  neonConfig.webSocketConstructor = WebSocket;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  neonConfig.wsProxy = style === 'v1'
    ? `${gateway}/v1`
    : (host, port) => `${gateway}/v2?address=${host}:${port}`;
}

/** A node-postgres client straight to Postgres with the fixture's credentials. */
export async function connectPg(env) {
  const client = new pg.Client({
    host: env.EDGEFN_TEST_PG_HOST,
    port: Number(env.EDGEFN_TEST_PG_PORT),
    user: env.EDGEFN_TEST_PG_USER,
    password: env.EDGEFN_TEST_PG_PASSWORD,
    database: env.EDGEFN_TEST_PG_DATABASE,
  });
  await client.connect();
  return client;
}

/** A fresh identifier (schema/table name) so reruns never collide. */
export function uniqueName(prefix) {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * Turns a decoded value into plain data that assert.deepStrictEqual can compare across the two
 * drivers: the Neon bundle ships its own Buffer polyfill and its own copies of the pg-types
 * classes (PostgresInterval…), so prototypes differ even when the values are identical.
 */
export function normalize(v) {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) {
    const t = v.getTime();
    return { $date: Number.isNaN(t) ? 'Invalid Date' : v.toISOString() };
  }
  if (ArrayBuffer.isView(v)) {
    return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  }
  if (Array.isArray(v)) return v.map(normalize);
  const proto = Object.getPrototypeOf(v);
  const out = {};
  if (proto !== Object.prototype && proto !== null) out.$class = v.constructor?.name ?? '?';
  for (const k of Object.keys(v)) out[k] = normalize(v[k]);
  return out;
}

export const FIELD_KEYS = ['name', 'tableID', 'columnID', 'dataTypeID', 'dataTypeSize', 'dataTypeModifier', 'format'];

/** The comparable part of a pg Result or a Neon fullResults object. */
export function shapeResult(r) {
  return {
    command: r.command,
    rowCount: r.rowCount,
    rowAsArray: r.rowAsArray,
    fields: r.fields.map((f) => Object.fromEntries(FIELD_KEYS.map((k) => [k, f[k]]))),
    rows: normalize(r.rows),
  };
}

export const ERROR_KEYS = [
  'message', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'severity',
  'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
];

/** The comparable part of a pg DatabaseError or a NeonDbError (absent fields -> null). */
export function shapeError(e) {
  if (!(e instanceof Error)) return { notAnError: String(e) };
  return Object.fromEntries(ERROR_KEYS.map((k) => [k, e[k] ?? null]));
}

/** Runs fn and returns {ok: shaped result} or {error: shaped error}. */
export async function outcome(fn, shape = shapeResult) {
  try {
    return { ok: shape(await fn()) };
  } catch (e) {
    return { error: shapeError(e) };
  }
}

/** Per-test timeout so a hung gateway fails the case instead of hanging the run. */
export const TEST_TIMEOUT_MS = 60_000;
