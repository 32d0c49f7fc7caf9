// Prints the imports of each wasm module given and fails if any has one: a core that touches
// files, clocks, the environment, stdio or sockets must import them from the host (WASI).
//   node wasm_imports.mjs core_all.wasm --shipped edgefn.wasm ...
// Modules after --shipped (what the Worker instantiates) may import nothing at all, not even
// the abort reporting below: the Worker gives them no imports.
import fs from 'node:fs';

// libc++/libc++abi's abort reporting (abort_message, reached from std::terminate) writes its
// last words to stderr: these three imports are how wasi-libc's stderr does that. Everything
// else (path_open, clock_time_get, environ_get, random_get, sock_*, poll_oneoff, ...) fails.
const k_abort_reporting = new Set(['fd_write', 'fd_seek', 'fd_close']);

let failed = false;
let shipped = false;
for (const path of process.argv.slice(2)) {
  if (path === '--shipped') { shipped = true; continue; }
  if (!fs.existsSync(path)) {
    console.error(`${path} is missing: build the wasm preset first (make wasm)`);
    failed = true;
    continue;
  }
  const mod = new WebAssembly.Module(fs.readFileSync(path));
  const imports = WebAssembly.Module.imports(mod);
  const exports = WebAssembly.Module.exports(mod);
  console.log(`${path}: ${exports.length} exports, ${imports.length} imports`);
  for (const i of imports) {
    const allowed = !shipped && i.module === 'wasi_snapshot_preview1' && k_abort_reporting.has(i.name);
    console.log(`  import ${i.module}.${i.name} (${i.kind})${allowed ? ' [abort reporting]' : shipped ? ' FORBIDDEN (shipped module)' : ' FORBIDDEN'}`);
    if (!allowed) failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
