// Helpers shared by the benchmarks (api_bench, worker_bench, worker_profile, wasm_bench): process
// CPU (a process's CPU-time clock, or /proc) and RSS (/proc), dev HS256 tokens, keep-alive
// requests, the wardrobe's seed rows and the statements the floor Worker sends.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { SQL, updateSql } from './workers/statements.mjs';

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** /proc/<pid>/stat as {comm, fields} (fields: field 3 onwards, after the command name); null when it is gone. */
function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
  } catch { return null; }
}

/** utime + stime of process `pid` (all its threads), in clock ticks; NaN when it is gone. */
function cpuTicks(pid) {
  const f = procStat(pid)?.fields;
  return f ? Number(f[11]) + Number(f[12]) : NaN;  // utime + stime (fields 14, 15)
}

/**
 * Reads other processes' CPU time (all their threads). With `helper`, the proc_cpu program
 * (tests/bench/proc_cpu.cpp, built with the benchmarks; default $EDGEFN_PROC_CPU, else the
 * release build's), from each process's CPU-time clock in nanoseconds; without it (not built, or
 * it cannot read a clock here), from /proc/<pid>/stat in clock ticks. `us(pid)` is NaN when the
 * process is gone; `resolutionUs` is one reading's step.
 * @param {string} [helper]
 * @returns {{ us: (pid: number) => number, resolutionUs: number, source: string }}
 */
export function cpuReader(helper = process.env.EDGEFN_PROC_CPU ?? fileURLToPath(new URL('../../build/release/tests/bench/proc_cpu', import.meta.url))) {
  const viaHelper = (pid) => {
    const r = spawnSync(helper, [String(pid)], { encoding: 'utf8', timeout: 5000 });
    const ns = r.status === 0 ? Number(r.stdout.trim()) : NaN;
    return Number.isFinite(ns) ? ns / 1000 : NaN;
  };
  if (helper && Number.isFinite(viaHelper(process.pid))) {
    return { us: viaHelper, resolutionUs: 0.001, source: `${helper} (CPU-time clock, ns)` };
  }
  const tick = 1e6 / CLK_TCK;
  return { us: (pid) => cpuTicks(pid) * tick, resolutionUs: tick, source: `/proc/<pid>/stat (clock ticks, ${tick / 1000} ms)` };
}

/** Resident set size of process `pid` in KiB (VmRSS); NaN when it is gone. */
export function rssKib(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)[1]);
  } catch { return NaN; }
}

/** A dev HS256 token for `sub`, valid for an hour. */
export function devToken(secret, sub) {
  const b = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b({ alg: 'HS256', typ: 'JWT' })}.${b({ sub, iat: now, exp: now + 3600 })}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * One request on `agent`; resolves to {status, body} (status 0 on a transport error; never rejects).
 * @param {http.Agent} agent @param {string} base @param {string} method @param {string} path
 * @param {string|null} token @param {string|null} body @param {boolean} [keepBody]
 */
export function request(agent, base, method, path, token, body, keepBody = false) {
  return new Promise((resolve) => {
    const u = new URL(base + path);
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body) { headers['content-type'] = 'application/json'; headers['content-length'] = Buffer.byteLength(body); }
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => { if (keepBody) chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode, body: keepBody ? Buffer.concat(chunks).toString() : '' }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.setTimeout(10_000, () => { req.destroy(); });
    if (body) req.write(body);
    req.end();
  });
}

/**
 * The statements drizzle-orm sends for each wardrobe route ({query, params} for POST /sql): what
 * the Worker benchmark's floor Worker runs. `u` user, `id` item id, `i` a counter.
 */
export const FLOOR_SQL = {
  list: (u) => ({ query: SQL.list, params: [u, 100] }),
  total: (u) => ({ query: SQL.total, params: [u] }),
  get: (u, id) => ({ query: SQL.get, params: [id, u] }),
  create: (u, i) => ({ query: SQL.create, params: [u, `bench ${i}`, 'M', 'shirt', 'blue', `https://img.example.com/bench/c${i}.png`] }),
  update: (u, id, i) => ({ query: updateSql(['name']), params: [`renamed ${i}`, id, u] }),
  delete: (u, id) => ({ query: SQL.delete, params: [id, u] }),
};

/**
 * Inserts `n` items for `user` (every tenth without a color, created 3 minutes apart) and
 * resolves to their ids. Image URLs are under users/<user>/ (the wardrobe's default
 * APP_IMAGES_OWNER_PREFIX), so that deleting one removes its R2 object in every app: edgefn keeps
 * (and logs) an object outside the owner's prefix, which made its deletes skip the R2 call the
 * peer makes (worker_bench until 2026-11-30).
 * @param {import('pg').Client} db @param {string} user @param {number} n @returns {Promise<number[]>}
 */
export async function seedItems(db, user, n) {
  const r = await db.query(
    `INSERT INTO items (user_id, name, size, type, color, image_url, created_at)
     SELECT $1, 'item ' || g, 'M', 'shirt', CASE WHEN g % 10 = 0 THEN NULL ELSE 'blue' END,
            'https://img.example.com/users/' || $1 || '/' || g || '.png', timestamp '2026-11-01 09:00:00.123456' - g * interval '3 minutes'
     FROM generate_series(1, $2) g RETURNING id`, [user, n]);
  return r.rows.map((row) => row.id);
}

/** Descendant processes of this one named workerd (each Miniflare starts one). */
export function workerdPids() {
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    const st = /^\d+$/.test(d) ? procStat(d) : null;
    if (st) kids.set(Number(d), { comm: st.comm, ppid: Number(st.fields[1]) });  // field 4: the parent
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of kids) if (!mine.has(pid) && mine.has(p.ppid)) { mine.add(pid); grew = true; }
  }
  return [...mine].filter((pid) => kids.get(pid)?.comm === 'workerd');
}

/**
 * The memory of a Worker's isolate, read over workerd's inspector (Miniflare's `inspectorPort`):
 * {usedMib, totalMib, wasmMib}. totalMib is the V8 heap V8 holds (CDP `Runtime.getHeapUsage`:
 * what counts against an isolate's memory limit on Cloudflare, 128 MB), usedMib what is live or
 * not yet collected; wasmMib the linear memories of the isolate's wasm instances (0 for a Worker
 * without wasm), which that heap does not count and which never shrink: found with CDP
 * `Runtime.queryObjects` on `WebAssembly.Memory.prototype` (V8 runs a full GC to answer it, so
 * the heap is read first) and summed over `buffer.byteLength`. The user Worker's target is the
 * one named `core:user:`. A session is opened for the readings and closed after them.
 * @param {number} port @returns {Promise<{usedMib: number, totalMib: number, wasmMib: number}>}
 */
export async function isolateHeap(port) {
  const inspector = await inspectorSession(port);
  try {
    const heap = await inspector.call('Runtime.getHeapUsage');
    // workerd's inspector has no default context to evaluate in: Runtime.enable names them.
    await inspector.call('Runtime.enable');
    if (inspector.contexts.length === 0) throw new Error('the inspector named no execution context');
    const proto = await inspector.call('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', contextId: inspector.contexts[0] });
    const found = await inspector.call('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
    const sum = await inspector.call('Runtime.callFunctionOn', {
      objectId: found.objects.objectId, returnByValue: true,
      functionDeclaration: 'function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }',
    });
    if (typeof sum.result.value !== 'number') throw new Error('the inspector did not sum the wasm memories');
    return { usedMib: heap.usedSize / 1048576, totalMib: heap.totalSize / 1048576, wasmMib: sum.result.value / 1048576 };
  } finally {
    inspector.close();
  }
}

/**
 * A DevTools protocol session with the user Worker of the workerd whose inspector listens on
 * `port`. `call(method, params)` resolves to the call's result; it rejects on the protocol's
 * error, after 10 s without an answer, or when the socket fails or closes first. `contexts`
 * collects the execution context ids Runtime.enable announces. close() ends the session.
 * @param {number} port
 * @returns {Promise<{call: (method: string, params?: object) => Promise<any>, contexts: number[], close: () => void}>}
 */
export async function inspectorSession(port) {
  const { default: WebSocket } = await import('ws');
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target = targets.find((t) => String(t.title).includes('core:user:'));
  if (!target) throw new Error(`no user Worker among the inspector's targets: ${targets.map((t) => t.title).join(', ')}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  /** @type {Map<number, {resolve: (r: any) => void, reject: (e: Error) => void, timer: NodeJS.Timeout}>} */
  const waiting = new Map();
  const contexts = [];
  const settle = (id, fn) => {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    clearTimeout(w.timer);
    fn(w);
  };
  const failAll = (e) => { for (const id of [...waiting.keys()]) settle(id, (w) => w.reject(e)); };
  ws.on('message', (m) => {
    const d = JSON.parse(m);
    if (d.method === 'Runtime.executionContextCreated') contexts.push(d.params.context.id);
    settle(d.id, (w) => (d.error ? w.reject(new Error(`${d.error.message} (${d.error.code})`)) : w.resolve(d.result)));
  });
  ws.on('error', (e) => failAll(new Error(`inspector socket: ${e.message}`)));
  ws.on('close', () => failAll(new Error('the inspector closed the session')));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let next = 0;
  const call = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++next;
    const timer = setTimeout(() => settle(id, (w) => w.reject(new Error(`the inspector did not answer ${method}`))), 10_000);
    timer.unref();
    waiting.set(id, { resolve, reject, timer });
    ws.send(JSON.stringify({ id, method, params }));
  });
  return { call, contexts, close: () => ws.close() };
}
