#!/usr/bin/env node
// wrangler's [build] step (an app's or a project's wrangler.toml): stages the Worker an app
// deploys in its own folder, the shim's modules with the app's module beside them as
// `edgefn.wasm` (where `import wasm from "./edgefn.wasm"` finds it); the app's wrangler.toml
// points `main` at the staged index.js. One folder per app, so that two apps built at the same
// time (two `make dev`, deploys in parallel) never bundle each other's module.
//   node copy-wasm.mjs <app.wasm> <out-dir>      EDGEFN_WASM=path overrides <app.wasm> (e.g. a test build)
// Files are rewritten only when their bytes change (wrangler dev rebuilds on every write).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [wasmArg, outArg] = process.argv.slice(2);
if (!outArg) {
  console.error('usage: node copy-wasm.mjs <app.wasm> <out-dir>');
  process.exit(2);
}
const src = resolve(process.env.EDGEFN_WASM ?? wasmArg);
const out = resolve(outArg);
if (!existsSync(src)) {
  console.error(`edgefn: ${src} is missing: build it first with \`make wasm\``);
  process.exit(1);
}

/** Copies `from` to `to` unless `to` already holds the same bytes. */
function update(from, to) {
  if (existsSync(to) && readFileSync(from).equals(readFileSync(to))) return;
  copyFileSync(from, to);
}

mkdirSync(out, { recursive: true });
const shim = readdirSync(here).filter((f) => f.endsWith('.js'));
for (const f of shim) update(join(here, f), join(out, f));
// A module the shim no longer has must not stay importable from the staged copy.
for (const f of readdirSync(out)) if (f.endsWith('.js') && !shim.includes(f)) rmSync(join(out, f));
update(src, join(out, 'edgefn.wasm'));
console.log(`edgefn: ${out} <- worker-shim/*.js + ${src} (${statSync(join(out, 'edgefn.wasm')).size} bytes)`);
