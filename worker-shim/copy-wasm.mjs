#!/usr/bin/env node
// wrangler's [build] step: copies the wasm preset's module next to the shim, where
// `import wasm from "./edgefn.wasm"` finds it (worker-shim/edgefn.wasm is git-ignored).
//   EDGEFN_WASM=path overrides the source (e.g. a test build).
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.env.EDGEFN_WASM ?? join(here, '..', 'build', 'wasm', 'wasm', 'edgefn.wasm'));
const dst = join(here, 'edgefn.wasm');
if (!existsSync(src)) {
  console.error(`edgefn: ${src} is missing: build it first with \`make wasm\``);
  process.exit(1);
}
copyFileSync(src, dst);
console.log(`edgefn: worker-shim/edgefn.wasm <- ${src} (${statSync(dst).size} bytes)`);
