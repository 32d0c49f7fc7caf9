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
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadScenarios } from './lib/runner.mjs';
import { send } from './lib/http.mjs';
import { freePort, startStacks } from './lib/stack.mjs';
import { runAll } from './run.mjs';

export { ITEMS_SQL, createDatabase, dropDatabase, freePort, migrate, readEnvFile } from './lib/stack.mjs';

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

/**
 * Sets up the native host (lib/stack.mjs; IMAGES_DIR is a directory in its work dir).
 * Returns {targetFor(scenario), notes, stop(), workDir, mainTarget}.
 */
export async function startNative({ bin, appBin = process.env.EDGEFN_APP_BIN, envFile, log = console.log }) {
  if (!bin || !existsSync(bin)) throw new Error(`edgefn binary not found: ${bin} (set EDGEFN_BIN or --edgefn)`);
  if (!envFile || !existsSync(envFile)) throw new Error(`fixture env file not found: ${envFile} (set EDGEFN_TEST_ENV_FILE or --env-file)`);
  return startStacks({
    bin, appBin, envFile, log, workPrefix: 'edgefn-scenarios-', dbPrefix: 'edgefn_scn_',
    app: (workDir) => {
      const imagesDir = join(workDir, 'images');
      mkdirSync(imagesDir);
      const images = async (name, args) => {
        const file = join(imagesDir, args.key);
        if (name === 'image-put') { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, args.content ?? ''); return true; }
        if (name === 'image-exists') return existsSync(file);
        throw new Error(`unknown control ${name}`);
      };
      return async ({ stack, bindings }) => {
        const srv = await startServe(appBin, { ...bindings, IMAGES_DIR: imagesDir }, workDir, stack === 'main' ? 'serve' : 'serve-private');
        return { server: srv, baseUrl: srv.baseUrl, stop: srv.stop, images };
      };
    },
  });
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
