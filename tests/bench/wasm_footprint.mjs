// The wasm code one request runs: which of the module's functions it enters, and their size
// (wasm_bench --footprint). The cost of a request in workerd is dominated by running that code
// with cold caches (workerd's own work between two requests evicts it), so this is the size
// that matters there, next to the module's. Method: binaryen's --log-execution adds a call to an
// imported env.log_execution(id) at the start of every function and loop; `wasm-dis` tells which
// function each id is in; sizes are the function bodies of the module given (built with names:
// `EDGEFN_WASM_SIZE_KEEP=F scripts/wasm-size.sh`, the same bodies as the shipped module's).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WasmEngine } from '../../worker-shim/instance.js';

/** Reads an unsigned LEB128 at `at`; returns [value, next offset]. */
function leb(bytes, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** Body sizes of the module's defined functions (code section order) and their names, if any. */
function functionTable(bytes) {
  const sizes = [], names = new Map();
  let imported = 0;
  for (let at = 8; at < bytes.length;) {
    const id = bytes[at];
    const [length, start] = leb(bytes, at + 1);
    const end = start + length;
    if (id === 2) {  // imports: function imports shift the indices the name section uses
      let [count, p] = leb(bytes, start);
      for (; count > 0; count--) {
        for (let k = 0; k < 2; k++) { const [n, q] = leb(bytes, p); p = q + n; }
        const kind = bytes[p++];
        if (kind === 0) { imported++; [, p] = leb(bytes, p); }
        else if (kind === 1) { p++; const [flags, q] = leb(bytes, p); [, p] = leb(bytes, q); if (flags & 1) [, p] = leb(bytes, p); }
        else if (kind === 2) { const [flags, q] = leb(bytes, p); [, p] = leb(bytes, q); if (flags & 1) [, p] = leb(bytes, p); }
        else p += 2;
      }
    } else if (id === 10) {
      let [count, p] = leb(bytes, start);
      for (; count > 0; count--) { const [n, q] = leb(bytes, p); sizes.push(n); p = q + n; }
    } else if (id === 0) {
      const [n, q] = leb(bytes, start);
      if (new TextDecoder().decode(bytes.subarray(q, q + n)) === 'name') {
        for (let p = q + n; p < end;) {
          const sub = bytes[p];
          const [len, s] = leb(bytes, p + 1);
          if (sub === 1) {
            let [count, r] = leb(bytes, s);
            for (; count > 0; count--) {
              const [index, r1] = leb(bytes, r);
              const [nl, r2] = leb(bytes, r1);
              names.set(index - imported, new TextDecoder().decode(bytes.subarray(r2, r2 + nl)));
              r = r2 + nl;
            }
          }
          p = s + len;
        }
      }
    }
    at = end;
  }
  return { sizes, names };
}

/** Runs `command`; throws with its output when it fails (e.g. binaryen is not installed). */
function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${command} failed: ${(r.error?.message ?? '') + (r.stderr ?? '').slice(-400)}`);
  return r.stdout;
}

/**
 * Instruments `namedWasm` and returns { engine, measure }: an engine over the instrumented module
 * (configured with `engineConfig`), and measure(fn), which awaits fn() and returns the functions
 * it entered as { count, bytes, top } (top: the largest, [size, name]).
 */
export function footprintEngine(namedWasm, engineConfig) {
  const work = mkdtempSync(join(tmpdir(), 'edgefn-footprint-'));
  try {
    const instrumented = join(work, 'logged.wasm');
    run('wasm-opt', ['--log-execution', namedWasm, '-o', instrumented]);
    // Each log call is `(call $<the import>` then `(i32.const ID)` on the next line, in its
    // function; defined functions are printed in index order.
    const text = run('wasm-dis', [instrumented]);
    const logger = /\(import "env" "log_execution" \(func (\$\S+)/.exec(text)?.[1];
    if (!logger) throw new Error('wasm-opt --log-execution added no env.log_execution import');
    const fnOf = new Map();
    let fn = -1, pending = false;
    for (const line of text.split('\n')) {
      if (line.startsWith(' (func ')) { fn++; continue; }
      if (pending) {
        const id = /\(i32\.const (\d+)\)/.exec(line);
        if (id) fnOf.set(Number(id[1]), fn);
        pending = false;
      } else if (line.trim() === `(call ${logger}`) pending = true;
    }
    const table = functionTable(readFileSync(namedWasm));
    const seen = new Set();
    const module = new WebAssembly.Module(readFileSync(instrumented));
    // WasmEngine refuses a module with imports and instantiates with none (the shim provides
    // none): for this one engine, the instrumented module gets its one import.
    const { imports } = WebAssembly.Module, Instance = WebAssembly.Instance;
    WebAssembly.Module.imports = () => [];
    WebAssembly.Instance = function (m) { return new Instance(m, { env: { log_execution: (id) => { seen.add(id); } } }); };
    let engine;
    try {
      engine = new WasmEngine(module, engineConfig);
    } finally {
      WebAssembly.Module.imports = imports;
      WebAssembly.Instance = Instance;
    }
    const measure = async (fn) => {
      seen.clear();
      await fn();
      const fns = new Set([...seen].map((id) => fnOf.get(id)).filter((f) => f !== undefined));
      const list = [...fns].map((f) => [table.sizes[f], table.names.get(f) ?? `function ${f}`]).sort((a, b) => b[0] - a[0]);
      return { count: fns.size, bytes: list.reduce((a, [n]) => a + n, 0), top: list.slice(0, 8) };
    };
    const total = { count: table.sizes.length, bytes: table.sizes.reduce((a, b) => a + b, 0) };
    return { engine, measure, total };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
