// Runs the Worker (worker-shim/ + an app's wasm build, the wardrobe's by default) in real workerd through miniflare's
// API, on a free loopback port, with the bindings given. Worker console output is captured
// (lines()) and echoed when EDGEFN_WORKER_VERBOSE is set.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { Miniflare, Log, LogLevel } from 'miniflare';
import { freePort } from '../scenarios/lib/stack.mjs';

const HERE = dirname(new URL(import.meta.url).pathname);
export const SOURCE_DIR = process.env.EDGEFN_SOURCE_DIR ?? resolvePath(HERE, '../..');
export const SHIM_DIR = join(SOURCE_DIR, 'worker-shim');
export const WASM_DIR = process.env.EDGEFN_WASM_DIR ?? join(SOURCE_DIR, 'build/wasm/apps', process.env.EDGEFN_APP ?? 'wardrobe');
export const COMPATIBILITY_DATE = readFileSync(join(SOURCE_DIR, 'apps/wardrobe/wrangler.toml'), 'utf8').match(/^compatibility_date\s*=\s*"([^"]+)"/m)[1];

/** The wasm module to run: "wardrobe.wasm" (production) or "wardrobe_testhooks.wasm" (traps on demand). */
export function wasmPath(name = 'wardrobe.wasm') {
  const p = join(WASM_DIR, name);
  if (!existsSync(p)) throw new Error(`${p} is missing: build the wasm preset first (make wasm)`);
  return p;
}

/**
 * Starts the Worker. Returns {url, mf, lines(), images(), stop()}.
 * @param {{bindings: Record<string, string>, wasm?: string, r2?: boolean}} opts
 */
export async function startWorker({ bindings, wasm = 'wardrobe.wasm', r2 = true }) {
  const modules = readdirSync(SHIM_DIR).filter((f) => f.endsWith('.js')).sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b)))
    .map((f) => ({ type: 'ESModule', path: join(SHIM_DIR, f), contents: readFileSync(join(SHIM_DIR, f), 'utf8') }));
  modules.push({ type: 'CompiledWasm', path: join(SHIM_DIR, 'edgefn.wasm'), contents: readFileSync(wasmPath(wasm)) });
  const captured = [];
  const verbose = !!process.env.EDGEFN_WORKER_VERBOSE;
  const collect = (stream) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        captured.push(line);
        if (verbose) console.log(`[worker] ${line}`);
      }
    });
  };
  const port = await freePort();
  const mf = new Miniflare({
    modules,
    modulesRoot: SHIM_DIR,
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    r2Buckets: r2 ? ['IMAGES'] : [],
    cf: false,
    host: '127.0.0.1',
    port,
    log: new Log(verbose ? LogLevel.INFO : LogLevel.WARN),
    handleRuntimeStdio: (stdout, stderr) => { collect(stdout); collect(stderr); },
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  return {
    url,
    mf,
    lines: () => captured.slice(),
    images: () => mf.getR2Bucket('IMAGES'),
    stop: () => mf.dispose(),
  };
}
