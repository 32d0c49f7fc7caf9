// The engine's configuration blob (wasm/engine_config.cpp), read by the module itself: what
// config.js sends is accepted, and an ill-typed value is refused naming its key (the blob comes
// from the shim, so these refusals guard the ABI, not user input).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readConfig } from '../../worker-shim/config.js';
import { ConfigError, WasmEngine } from '../../worker-shim/instance.js';
import { wasmPath } from './worker_host.mjs';

const module = new WebAssembly.Module(readFileSync(wasmPath()));
const base = readConfig({ AUTH_DEV_SECRET: 's', DATABASE_URL: 'postgres://u:p@h/db' }).engine;

test('what config.js sends is accepted', () => {
  for (const env of [{}, { CACHE_DISABLED: 'true', SERVER_TIMING: 'true' }, { DATABASE_URL_READ: 'postgres://u:p@r/db' }]) {
    assert.ok(new WasmEngine(module, readConfig(env).engine).handle !== 0);
  }
});

test('each boolean key refuses another type, naming the key', () => {
  for (const key of ['auth_dev_hs256', 'server_timing', 'read_replica', 'bookmarks']) {
    assert.throws(() => new WasmEngine(module, { ...base, [key]: 'yes' }),
      (e) => e instanceof ConfigError && e.message.endsWith(`config: ${key} must be a boolean`), key);
  }
});

test('numbers and strings are refused by type, naming the variable', () => {
  assert.throws(() => new WasmEngine(module, { ...base, sql_timeout_ms: -1 }), /SQL_TIMEOUT_MS/);
  assert.throws(() => new WasmEngine(module, { ...base, max_body_bytes: 'big' }), /MAX_BODY_BYTES/);
  assert.throws(() => new WasmEngine(module, { ...base, auth_issuer: 7 }), /string keys must be strings/);
});
