// `wrangler deploy --dry-run --outdir <tmp>` offline: wrangler.toml bundles, the bundle holds
// the wasm module (as a separate CompiledWasm module, not inlined), and its size is reported.
// Both apps are bundled at the same moment, as a CI job deploying several Workers from one
// checkout would: each bundle must hold its own app's module, byte for byte (the build step
// stages every app in its own folder: worker-shim/copy-wasm.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SOURCE_DIR } from './worker_host.mjs';

const APPS = ['wardrobe', 'catalog'];
const wasmPath = (app) => join(SOURCE_DIR, 'build/wasm/apps', app, `${app}.wasm`);

/** Runs wrangler's dry run for `app` into `out`; resolves {status, output}. */
function dryRun(app, out) {
  return new Promise((resolve) => {
    const child = spawn(join(SOURCE_DIR, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
      cwd: join(SOURCE_DIR, 'apps', app),
      env: { ...process.env, EDGEFN_WASM: undefined, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_UPDATE_NOTIFIER: '1', WRANGLER_LOG_PATH: out },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, output }); });
  });
}

test('wrangler deploy --dry-run bundles the shim and each app\'s own wasm module, both apps at once', { timeout: 120_000 }, async (t) => {
  for (const app of APPS) assert.ok(existsSync(wasmPath(app)), `${wasmPath(app)} is missing: build the wasm preset first`);
  const outs = Object.fromEntries(APPS.map((app) => [app, mkdtempSync(join(tmpdir(), `edgefn-deploy-${app}-`))]));
  // wrangler's scratch space in each app folder: removed if we made it.
  const stateDirs = APPS.map((app) => join(SOURCE_DIR, 'apps', app, '.wrangler')).filter((d) => !existsSync(d));
  try {
    const runs = await Promise.all(APPS.map((app) => dryRun(app, outs[app])));
    APPS.forEach((app, i) => {
      const { status, output } = runs[i];
      const out = outs[app];
      assert.equal(status, 0, `${app}: ${output}`);
      const files = readdirSync(out);
      const wasmFiles = files.filter((f) => f.endsWith('.wasm'));
      assert.equal(wasmFiles.length, 1, `${app}: bundle files: ${files}`);
      const shipped = readFileSync(join(out, wasmFiles[0]));
      assert.ok(shipped.equals(readFileSync(wasmPath(app))), `${app}: the bundle holds ${app}.wasm of the wasm preset, byte for byte`);
      const entry = readFileSync(join(out, 'index.js'), 'utf8');
      assert.ok(entry.includes(wasmFiles[0]), `${app}: the entry imports the wasm module`);
      assert.ok(!/DATABASE_URL\s*=\s*"postgres/.test(entry), `${app}: no connection string in the bundle`);
      // What `wrangler deploy` uploads is what the Worker benchmark measures: minified, no
      // keep-names wrappers (wrangler.toml: minify = true, keep_names = false).
      const lines = entry.split('\n').length;
      assert.ok(lines < 100, `${app}: the shim is minified (${lines} lines)`);
      assert.ok(!/\(\w+,\s*"currentRuntime"\)/.test(entry), `${app}: no keep-names wrappers`);
      const upload = output.match(/Total Upload: ([^\n]+)/)?.[1] ?? '(not reported)';
      t.diagnostic(`${app} bundle: index.js ${statSync(join(out, 'index.js')).size} B, ${wasmFiles[0]} ${shipped.length} B; wrangler: Total Upload ${upload}`);
      console.log(`${app} worker bundle: index.js ${statSync(join(out, 'index.js')).size} bytes + ${wasmFiles[0]} ${shipped.length} bytes (wrangler Total Upload: ${upload})`);
    });
  } finally {
    for (const out of Object.values(outs)) rmSync(out, { recursive: true, force: true });
    for (const d of stateDirs) rmSync(d, { recursive: true, force: true });
  }
});
