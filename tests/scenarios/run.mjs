#!/usr/bin/env node
// The scenario runner: runs tests/scenarios/*.json against a running server.
//
//   node tests/scenarios/run.mjs --base-url http://127.0.0.1:8787 --keys /tmp/keys.json \
//        [--iss ISS] [--aud AUD] [--cors ORIGIN] [--capabilities images,db-control] [--filter TEXT]
//
// --keys FILE: the signing keys (written here, with the public JWKS and the dev secret, when
// FILE does not exist yet: configure the server under test from it: AUTH_JWKS = .jwks,
// AUTH_DEV_SECRET = .devSecret). Hosts that start the server themselves (harness.mjs --host
// native) use runAll() directly. Exit code 0 when every scenario passed or was skipped.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { loadScenarios, loadSuite, runScenario } from './lib/runner.mjs';
import { exportKeys, importKeys, makeKeys, mint, publicJwks } from './lib/tokens.mjs';
import { closeAgent } from './lib/http.mjs';

export const DEFAULT_ISS = 'https://auth.edgefn.test/';
export const DEFAULT_AUD = 'edgefn-wardrobe';
export const DEFAULT_CORS = 'https://app.edgefn.test';

export function newRunId() {
  return `r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A target for runScenario from a base URL and keys. */
export function makeTarget({ baseUrl, keys, iss = DEFAULT_ISS, aud = DEFAULT_AUD, corsOrigin = DEFAULT_CORS, capabilities = [], control, runId = newRunId() }) {
  return {
    baseUrl: baseUrl.replace(/\/$/, ''), runId, iss, aud, corsOrigin, control,
    capabilities: new Set(capabilities),
    mint: (spec, sub) => mint(keys, spec, { sub, iss, aud }),
  };
}

/**
 * Runs scenarios one after another. targetFor(scenario) picks the target (most use one; the
 * native host gives db-control scenarios their own server + database).
 * Returns {passed, failed, skipped, results: [{scenario, status, error?, ms}]}.
 */
export async function runAll(scenarios, targetFor, { log = console.log, verbose = false } = {}) {
  const cfg = loadSuite();
  const results = [];
  for (const s of scenarios) {
    const t0 = Date.now();
    try {
      const target = await targetFor(s);
      const r = await runScenario(s, target, cfg, verbose ? (m) => log(`    ${m}`) : () => {});
      const ms = Date.now() - t0;
      if (r.skipped) { results.push({ scenario: s, status: 'skip', reason: r.skipped, ms }); log(`SKIP ${s.file} :: ${s.name} (${r.skipped})`); }
      else { results.push({ scenario: s, status: 'pass', ms, steps: r.steps, requests: r.requests }); log(`PASS ${s.file} :: ${s.name} (${r.steps} steps, ${r.requests} requests, ${ms} ms)`); }
    } catch (e) {
      results.push({ scenario: s, status: 'fail', error: e, ms: Date.now() - t0 });
      log(`FAIL ${s.file} :: ${s.name}\n${e.message}`);
    }
  }
  const count = (st) => results.filter((r) => r.status === st).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip'), results };
}

async function main() {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' }, keys: { type: 'string' }, iss: { type: 'string' }, aud: { type: 'string' },
      cors: { type: 'string' }, capabilities: { type: 'string' }, filter: { type: 'string' }, verbose: { type: 'boolean' },
    },
  });
  if (!values['base-url']) { console.error('usage: run.mjs --base-url URL [--keys FILE] [--filter TEXT]'); process.exit(2); }
  let keys;
  if (values.keys && existsSync(values.keys)) keys = importKeys(JSON.parse(readFileSync(values.keys, 'utf8')));
  else {
    keys = makeKeys();
    if (values.keys) {
      writeFileSync(values.keys, JSON.stringify({ ...exportKeys(keys), jwks: publicJwks(keys) }, null, 1));
      console.log(`wrote keys to ${values.keys}: configure AUTH_JWKS=.jwks, AUTH_DEV_SECRET=.devSecret`);
    }
  }
  const target = makeTarget({
    baseUrl: values['base-url'], keys, iss: values.iss, aud: values.aud, corsOrigin: values.cors,
    capabilities: values.capabilities ? values.capabilities.split(',') : [],
  });
  const r = await runAll(loadScenarios(undefined, values.filter), async () => target, { verbose: values.verbose });
  closeAgent();
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  process.exitCode = r.failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await main();
