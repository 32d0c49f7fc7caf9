#!/usr/bin/env node
// wrangler's [build] step (an app's wrangler.toml): copies the app's module next to the shim,
// where `import wasm from "./edgefn.wasm"` finds it (worker-shim/edgefn.wasm is git-ignored).
//   node copy-wasm.mjs <app.wasm>      EDGEFN_WASM=path overrides it (e.g. a test build).
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.env.EDGEFN_WASM ?? process.argv[2] ?? join(here, '..', 'build', 'wasm', 'apps', 'wardrobe', 'wardrobe.wasm'));
const dst = join(here, 'edgefn.wasm');
if (!existsSync(src)) {
  console.error(`edgefn: ${src} is missing: build it first with \`make wasm\``);
  process.exit(1);
}
copyFileSync(src, dst);
console.log(`edgefn: worker-shim/edgefn.wasm <- ${src} (${statSync(dst).size} bytes)`);
