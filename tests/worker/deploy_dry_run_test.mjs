// `wrangler deploy --dry-run --outdir <tmp>` offline: wrangler.toml bundles, the bundle holds
// the wasm module (as a separate CompiledWasm module, not inlined), and its size is reported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SOURCE_DIR } from './worker_host.mjs';

for (const app of ['wardrobe', 'catalog']) test(`${app}: wrangler deploy --dry-run bundles the shim and the app's wasm module`, { timeout: 120_000 }, (t) => {
  const wasmPath = () => join(SOURCE_DIR, 'build/wasm/apps', app, `${app}.wasm`);
  assert.ok(existsSync(wasmPath()), `${wasmPath()} is missing: build the wasm preset first`);
  const out = mkdtempSync(join(tmpdir(), 'edgefn-deploy-'));
  const stateDir = join(SOURCE_DIR, 'apps', app, '.wrangler');  // wrangler's scratch space: removed if we made it
  const hadState = existsSync(stateDir);
  try {
    const r = spawnSync(join(SOURCE_DIR, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
      cwd: join(SOURCE_DIR, 'apps', app), encoding: 'utf8', timeout: 110_000,
      env: { ...process.env, EDGEFN_WASM: wasmPath(), WRANGLER_SEND_METRICS: 'false', CI: '1', NO_UPDATE_NOTIFIER: '1', WRANGLER_LOG_PATH: out },
    });
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, output);
    const files = readdirSync(out);
    const wasmFiles = files.filter((f) => f.endsWith('.wasm'));
    assert.equal(wasmFiles.length, 1, `bundle files: ${files}`);
    const wasmSize = statSync(join(out, wasmFiles[0])).size;
    assert.equal(wasmSize, statSync(wasmPath()).size, 'the shipped module is the wasm preset build');
    const entry = readFileSync(join(out, 'index.js'), 'utf8');
    assert.ok(entry.includes(wasmFiles[0]), 'the entry imports the wasm module');
    assert.ok(!/DATABASE_URL\s*=\s*"postgres/.test(entry), 'no connection string in the bundle');
    // What `wrangler deploy` uploads is what the Worker benchmark measures: minified, no
    // keep-names wrappers (wrangler.toml: minify = true, keep_names = false).
    const lines = entry.split('\n').length;
    assert.ok(lines < 100, `the shim is minified (${lines} lines)`);
    assert.ok(!/\(\w+,\s*"currentRuntime"\)/.test(entry), 'no keep-names wrappers');
    const upload = output.match(/Total Upload: ([^\n]+)/)?.[1] ?? '(not reported)';
    t.diagnostic(`bundle: index.js ${statSync(join(out, 'index.js')).size} B, ${wasmFiles[0]} ${wasmSize} B; wrangler: Total Upload ${upload}`);
    console.log(`worker bundle: index.js ${statSync(join(out, 'index.js')).size} bytes + ${wasmFiles[0]} ${wasmSize} bytes (wrangler Total Upload: ${upload})`);
  } finally {
    rmSync(out, { recursive: true, force: true });
    if (!hadState) rmSync(stateDir, { recursive: true, force: true });
  }
});
