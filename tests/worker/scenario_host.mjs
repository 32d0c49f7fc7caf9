// The Worker host for the scenario suite (tests/scenarios): a fresh database in the `db`
// fixture, `edgefn migrate`, keys, and the Worker in workerd configured from them; the R2
// binding IMAGES backs the "images" controls. Scenarios that stop Postgres get a private
// cluster + gateway + Worker (as the native harness does).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, dropDatabase, migrate, readEnvFile } from '../scenarios/harness.mjs';
import { makeKeys, publicJwks } from '../scenarios/lib/tokens.mjs';
import { closeAgent } from '../scenarios/lib/http.mjs';
import { DEFAULT_AUD, DEFAULT_CORS, DEFAULT_ISS, makeTarget, newRunId } from '../scenarios/run.mjs';
import { SOURCE_DIR, startWorker } from './worker_host.mjs';

function testEnv(cmd, state, ...args) {
  const r = spawnSync('bash', [join(SOURCE_DIR, 'tests/support/test_env.sh'), cmd, state, ...args], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`test_env.sh ${cmd} failed (${r.status}): ${r.stderr}${r.stdout}`);
}

/**
 * Starts the Worker host. Returns {targetFor(scenario), notes, main, stop()}.
 * @param {{bin: string, envFile: string, extraBindings?: Record<string,string>, wasm?: string, log?: (m: string) => void}} o
 */
export async function startWorkerHost({ bin, envFile, extraBindings = {}, wasm = 'edgefn.wasm', log = console.log }) {
  const env = readEnvFile(envFile);
  const runId = newRunId();
  const workDir = mkdtempSync(join(tmpdir(), 'edgefn-worker-scn-'));
  const keys = makeKeys();
  const notes = [];
  const cleanups = [];
  const auth = {
    AUTH_JWKS: JSON.stringify(publicJwks(keys)), AUTH_JWKS_URL: '', AUTH_ISSUER: DEFAULT_ISS, AUTH_AUDIENCE: DEFAULT_AUD,
    AUTH_DEV_SECRET: keys.devSecret, CORS_ORIGINS: `${DEFAULT_CORS},https://other.edgefn.test`, ...extraBindings,
  };
  const imageControl = (worker) => async (name, args) => {
    const bucket = await worker.images();
    if (name === 'image-put') { await bucket.put(args.key, args.content ?? ''); return true; }
    if (name === 'image-exists') return (await bucket.head(args.key)) !== null;
    throw new Error(`unknown control ${name}`);
  };
  const stop = async () => {
    for (const c of cleanups.reverse()) { try { await c(); } catch (e) { log(`cleanup: ${e.message}`); } }
    cleanups.length = 0;
    closeAgent();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const dbName = `edgefn_wrk_${runId}`;
    const databaseUrl = await createDatabase(env, dbName);
    cleanups.push(() => dropDatabase(env, dbName));
    const note = await migrate(bin, env, databaseUrl, dbName, log);
    if (note) notes.push(note);
    const main = await startWorker({ wasm, bindings: { ...auth, DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT } });
    cleanups.push(main.stop);
    const mainTarget = makeTarget({ baseUrl: main.url, keys, runId, capabilities: ['images'], control: imageControl(main) });

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
      const w = await startWorker({ bindings: { ...auth, DATABASE_URL: penv.DATABASE_URL, NEON_FETCH_ENDPOINT: penv.NEON_FETCH_ENDPOINT } });
      cleanups.push(w.stop);
      const images = imageControl(w);
      const control = async (name, args) => {
        if (name === 'db-stop') { testEnv('pg-stop', state); return true; }
        if (name === 'db-start') { testEnv('pg-start', state); return true; }
        return images(name, args);
      };
      privTarget = makeTarget({ baseUrl: w.url, keys, runId, capabilities: ['images', 'db-control'], control });
      return privTarget;
    };
    return {
      notes, main, keys, runId, databaseUrl,
      targetFor: async (s) => ((s.requires ?? []).includes('db-control') ? privateTarget() : mainTarget),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
