#!/usr/bin/env node
// Where a wasm module's bytes are: section sizes, then code bytes by owner (the namespace or
// library a function belongs to) and the largest functions. Needs a module with a name section:
// `scripts/wasm-size.sh` builds one like the shipped module (same flags, names kept).
//
//   node scripts/wasm-size.mjs MODULE.wasm [--top N] [--owner OWNER] [--grep REGEX]
//
// Prints; asserts nothing. Function names are demangled with llvm-cxxfilt when they are mangled.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
if (!file) {
  console.error('usage: wasm-size.mjs MODULE.wasm [--top N] [--owner OWNER] [--grep REGEX]');
  process.exit(2);
}
const top = Number(opt('--top', 40));
const only = opt('--owner', null);
const grep = opt('--grep', null);
const bytes = readFileSync(file);

/** Reads an unsigned LEB128 at `at`; returns [value, next offset]. */
function leb(buf, at) {
  let value = 0, shift = 0, b;
  do { b = buf[at++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [value, at];
}
function str(buf, at) { const [n, p] = leb(buf, at); return [buf.toString('utf8', p, p + n), p + n]; }

const sectionNames = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export',
  'start', 'element', 'code', 'data', 'datacount'];
const sections = [];
let imported = 0;          // imported functions come first in the function index space
let bodies = [];           // {size} per defined function, in index order
const names = new Map();   // function index -> name
for (let at = 8; at < bytes.length;) {
  const id = bytes[at];
  const [size, start] = leb(bytes, at + 1);
  const end = start + size;
  let label = sectionNames[id] ?? `id${id}`;
  if (id === 0) {
    const [cname, p] = str(bytes, start);
    label = `custom:${cname}`;
    if (cname === 'name') {
      for (let q = p; q < end;) {
        const sub = bytes[q];
        const [len, s] = leb(bytes, q + 1);
        if (sub === 1) {
          let [count, r] = leb(bytes, s);
          while (count--) {
            let idx, nm;
            [idx, r] = leb(bytes, r);
            [nm, r] = str(bytes, r);
            names.set(idx, nm);
          }
        }
        q = s + len;
      }
    }
  } else if (id === 2) {
    let [count, r] = leb(bytes, start);
    while (count--) {
      let kind;
      [, r] = str(bytes, r); [, r] = str(bytes, r);
      kind = bytes[r++];
      if (kind === 0) { imported++; [, r] = leb(bytes, r); }
      else if (kind === 1) { r += 1; const flags = bytes[r++]; [, r] = leb(bytes, r); if (flags & 1) [, r] = leb(bytes, r); }
      else if (kind === 2) { const flags = bytes[r++]; [, r] = leb(bytes, r); if (flags & 1) [, r] = leb(bytes, r); }
      else if (kind === 3) { r += 2; }
    }
  } else if (id === 10) {
    let [count, r] = leb(bytes, start);
    while (count--) {
      const [len, s] = leb(bytes, r);
      bodies.push({ size: len + (s - r) });
      r = s + len;
    }
  }
  sections.push({ label, size: end - at });
  at = end;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`${file}: ${bytes.length} B raw (${kib(bytes.length)}), gzip -9 ${kib(gzipSync(bytes, { level: 9 }).length)}`);
for (const s of sections) console.log(`  ${s.label.padEnd(24)} ${String(s.size).padStart(8)} B`);
if (names.size === 0) {
  console.log('no name section: build a named copy (scripts/wasm-size.sh) for the per-function table');
  process.exit(0);
}

// Demangle (wasm-ld writes demangled names by default; a module linked with --no-demangle or
// renamed by a tool may carry mangled ones).
const raw = bodies.map((_, i) => names.get(i + imported) ?? `func[${i + imported}]`);
const mangled = raw.filter((n) => n.startsWith('_Z'));
let demangled = new Map();
if (mangled.length) {
  const r = spawnSync('llvm-cxxfilt-16', [], { input: mangled.join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status === 0) r.stdout.split('\n').forEach((d, i) => { if (i < mangled.length) demangled.set(mangled[i], d); });
}
const fns = bodies.map((b, i) => ({ name: demangled.get(raw[i]) ?? raw[i], size: b.size }));

/** The name without template arguments, parameter lists or a leading return type. */
function skeleton(name) {
  let out = '', depth = 0;
  for (const c of name) {
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  const words = out.trim().split(' ');
  return words.find((w) => w.includes('::')) ?? words[words.length - 1];
}

/** Who a function belongs to: edgefn's area (neon, db, api, …), an app, simdjson, libc++, libc. */
function owner(name) {
  const s = skeleton(name.replace(/^byn\$mgfn-shared\$/, ''));  // binaryen's merged copies
  let m;
  if (/^(edgefn_|wasm_)/.test(s) || s.startsWith('(anonymous namespace)::')) return 'abi';
  if ((m = /^edgefn::([a-z_]+)::/.exec(s))) return m[1];
  if (s.startsWith('edgefn::')) return 'edgefn';
  if ((m = /^simdjson::(fallback|internal|dom|ondemand)?/.exec(s))) return `simdjson${m[1] ? '::' + m[1] : ''}`;
  if (s.startsWith('std::') || s.startsWith('__cxx') || s.startsWith('operator new') || s.startsWith('operator delete')) return 'libc++';
  if ((m = /^([a-z_][a-z0-9_]*)::/.exec(s))) return m[1];
  if (/^(v?f?s?n?printf|fwrite|fputs|fputc|putc|__stdio_|__fwrite|fflush|__towrite|__overflow|fmt_[a-z]|pop_arg|__lockfile|__unlockfile)/.test(s)) return 'libc (stdio)';
  return 'libc/other';
}

const filtered = fns.filter((f) => (!only || owner(f.name) === only) && (!grep || new RegExp(grep).test(f.name)));
const byOwner = new Map();
for (const f of filtered) {
  const o = owner(f.name);
  const e = byOwner.get(o) ?? { size: 0, count: 0 };
  e.size += f.size; e.count++;
  byOwner.set(o, e);
}
const total = filtered.reduce((a, f) => a + f.size, 0);
console.log(`\ncode by owner (${filtered.length} functions, ${kib(total)}):`);
for (const [o, e] of [...byOwner].sort((a, b) => b[1].size - a[1].size)) {
  console.log(`  ${o.padEnd(24)} ${kib(e.size).padStart(10)} ${String(e.count).padStart(6)} fns`);
}
console.log(`\nlargest functions:`);
for (const f of [...filtered].sort((a, b) => b.size - a.size).slice(0, top)) {
  console.log(`  ${String(f.size).padStart(7)}  ${f.name.length > 160 ? f.name.slice(0, 157) + '...' : f.name}`);
}
