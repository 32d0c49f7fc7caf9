// The exchange engine compiled by Emscripten 3.1.6 (clang 14: <experimental/coroutine>, no
// symmetric transfer, see src/base/coro.h) really suspends and resumes across calls from JS:
// one exchange through its actions, then many interleaved. Skips when the wasm-emscripten build
// is absent (EDGEFN_EM_WASM_DIR, default build/wasm-emscripten/apps/wardrobe).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeResponse, encodeResult, requestMeta } from '../../worker-shim/codec.js';

const dir = process.env.EDGEFN_EM_WASM_DIR ||
  path.join(process.env.EDGEFN_SOURCE_DIR || '.', 'build/wasm-emscripten/apps/wardrobe');
const file = path.join(dir, 'wardrobe.wasm');

const b64url = (s) => Buffer.from(s).toString('base64url');
const token = (sub) => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify({ sub, exp: 4e9 }))}.${b64url('good')}`;
const countBody = (n) => JSON.stringify({ command: 'SELECT', rowCount: 1, rowAsArray: true,
  fields: [{ name: 'count', dataTypeID: 20, tableID: 0, columnID: 0, dataTypeSize: 8, dataTypeModifier: -1, format: 'text' }],
  rows: [[String(n)]] });

async function load() {
  const bytes = readFileSync(file);
  const mod = await WebAssembly.compile(bytes);
  const imports = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    imports[imp.module] ??= {};
    if (imp.kind === 'function') imports[imp.module][imp.name] = () => 0;
  }
  const { exports: x } = await WebAssembly.instantiate(mod, imports);
  if (x._initialize) x._initialize();
  const mem = () => new Uint8Array(x.memory.buffer);
  const put = (s) => { const b = Buffer.from(s); const p = x.edgefn_alloc(b.length); mem().set(b, p); return [p, b.length]; };
  // A body goes where edgefn_input says (the engine adopts it); returns its length.
  const stage = (h, s) => { const b = Buffer.from(s); if (b.length) mem().set(b, x.edgefn_input(h, b.length)); return b.length; };
  const out = (h, n) => Buffer.from(mem().slice(x.edgefn_output(h), x.edgefn_output(h) + n)).toString();
  const outBody = (h) => Buffer.from(mem().slice(x.edgefn_output_body(h), x.edgefn_output_body(h) + x.edgefn_output_body_len(h))).toString();
  return { x, put, stage, out, outBody };
}

test('em-built engine drives exchanges through suspension and resumption', { skip: !existsSync(file) && `no ${file}` }, async (t) => {
  const { x, put, stage, out, outBody } = await load();
  if (x.edgefn_abi_version() < 5) return t.skip(`${file} predates ABI 5 (metadata in lines): rebuild the wasm-emscripten preset`);
  const [cp, cl] = put('{"auth_dev_hs256":true}');
  const h = x.edgefn_engine_create(cp, cl);
  assert.ok(h);
  const start = (sub) => {
    const req = requestMeta('GET', '/api/wardrobe/total-items', [['authorization', `Bearer ${token(sub)}`]]);
    const [rp, rl] = put(req); const [ip, il] = put('host-id');
    return x.edgefn_exchange_start(h, rp, rl, 0, ip, il, 1000n);
  };
  const n = 50;
  const ids = []; for (let i = 0; i < n; i++) ids.push(start(`kp_${i}`));
  const responses = new Map();
  for (let round = 0; round < 10 && responses.size < n; round++) {
    const actions = [];
    for (let len; (len = x.edgefn_next_action(h)); ) actions.push({ ...JSON.parse(out(h, len)), body: outBody(h) });
    actions.reverse();  // complete out of order
    for (const a of actions) {
      if (a.kind === 'log') continue;
      const res = a.kind === 'verify_signature'
        ? { id: a.id, outcome: 'ok', valid: true }
        : { id: a.id, outcome: 'ok', status: 200 };
      const n = a.kind === 'sql' ? stage(h, countBody(a.body.includes(`"kp_7"`) ? 7 : 1)) : 0;
      const [p, l] = put(encodeResult(a.id, res));
      assert.equal(x.edgefn_complete(h, a.id, p, l, n, 1005n), 1);
    }
    for (let id; (id = x.edgefn_next_response(h)); ) responses.set(id, { ...decodeResponse(out(h, x.edgefn_output_len(h))), body: outBody(h) });
  }
  assert.equal(responses.size, n);
  assert.equal(x.edgefn_active(h), 0);
  for (const [i, id] of ids.entries()) {
    const r = responses.get(id);
    assert.equal(r.status, 200);
    assert.equal(r.body, i === 7 ? '{"total":7}' : '{"total":1}');
  }
});
