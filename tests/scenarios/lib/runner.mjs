// Runs scenario files (apps/<app>/scenarios/*.json) against a target (base URL + host hooks).
// The language is documented in tests/scenarios/README.md.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { send } from './http.mjs';
import { lookup, match, resolve } from './match.mjs';

// The app whose scenarios run: EDGEFN_APP (default wardrobe); its files are apps/<app>/scenarios/,
// or EDGEFN_SCENARIO_DIR.
export const APP = process.env.EDGEFN_APP ?? 'wardrobe';
export const SCENARIO_DIR = process.env.EDGEFN_SCENARIO_DIR ??
  join(process.env.EDGEFN_SOURCE_DIR ?? new URL('../../..', import.meta.url).pathname, 'apps', APP, 'scenarios');

/** Loads every scenario of apps/<app>/scenarios/*.json (a file holds one scenario or an array). */
export function loadScenarios(dir = SCENARIO_DIR, filter) {
  const out = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    for (const s of Array.isArray(data) ? data : [data]) {
      if (!s.name || !Array.isArray(s.steps)) throw new Error(`${f}: a scenario needs "name" and "steps"`);
      s.file = f;
      if (!filter || s.name.includes(filter) || f.includes(filter) || s.category === filter) out.push(s);
    }
  }
  return out;
}

export function loadSuite(dir = SCENARIO_DIR) {
  return {
    suite: JSON.parse(readFileSync(join(dir, 'support', 'suite.json'), 'utf8')),
    reasons: JSON.parse(readFileSync(join(dir, 'support', 'reasons.json'), 'utf8')),
  };
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
const trunc = (s, n = 1500) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

class StepFailure extends Error {}

/** At most `n` mismatch lines (each truncated), then a count of the rest. */
function capErrors(errs, n = 12) {
  const out = errs.slice(0, n).map((e) => trunc(e, 600));
  if (errs.length > n) out.push(`… and ${errs.length - n} more mismatches`);
  return out;
}

/**
 * target: { baseUrl, mint(spec, sub) -> token, control(name, args) -> value, capabilities: Set,
 *           runId, iss, aud }
 * Returns {skipped?: reason, steps: n, requests: n}. Throws on the first failing step.
 */
export async function runScenario(scenario, target, { suite, reasons }, log = () => {}) {
  for (const req of scenario.requires ?? []) {
    if (!target.capabilities?.has(req)) return { skipped: `needs ${req}` };
  }
  const ns = `${target.runId}-${slug(scenario.name)}`;
  const sub = (name) => `${ns}-${name}`;
  const vars = {
    runId: target.runId,
    ns,
    users: new Proxy({}, { get: (_, name) => (typeof name === 'string' ? sub(name) : undefined) }),
    config: { iss: target.iss, aud: target.aud, corsOrigin: target.corsOrigin },
  };
  for (const [k, v] of Object.entries(scenario.vars ?? {})) vars[k] = resolve(v, vars);
  const st = { target, vars, sub, suite, reasons, requests: 0, log };
  let i = 0;
  for (const step of scenario.steps) {
    i += 1;
    const label = `${scenario.file} :: ${scenario.name} :: step ${i}${step.name ? ` (${step.name})` : ''}`;
    try {
      await runStep(step, st, vars);
    } catch (e) {
      if (e instanceof StepFailure) throw new StepFailure(`${label}\n${e.message}`);
      throw new Error(`${label}: ${e.stack ?? e}`);
    }
  }
  return { steps: scenario.steps.length, requests: st.requests };
}

async function runStep(step, st, vars) {
  if (step.when) {
    const v = resolve(step.when.value, vars);
    if (match(v, resolve(step.when.match, vars, { forMatch: true }), '$', st).length) return;
  }
  if ('request' in step) return requestStep(step, st, vars);
  if ('repeat' in step) return repeatStep(step, st, vars);
  if ('paginate' in step) return paginateStep(step, st, vars);
  if ('check' in step) {
    const v = resolve(step.check, vars);
    const errs = match(v, resolve(step.match, vars, { forMatch: true }), '$', st);
    if (errs.length) throw new StepFailure(`check failed:\n  ${capErrors(errs).join('\n  ')}`);
    return;
  }
  if ('set' in step) { for (const [k, v] of Object.entries(step.set)) vars[k] = resolve(v, vars); return; }
  if ('control' in step) {
    if (!st.target.control) throw new Error(`host has no control hooks (control ${step.control})`);
    const v = await st.target.control(step.control, resolve(step.args ?? {}, vars), st);
    if (step.capture) vars[step.capture] = v;
    if ('expect' in step) {
      const errs = match(v, resolve(step.expect, vars, { forMatch: true }), '$', st);
      if (errs.length) throw new StepFailure(`control ${step.control} result mismatch:\n  ${capErrors(errs).join('\n  ')}`);
    }
    return;
  }
  if ('parallel' in step) { await Promise.all(step.parallel.map((s) => runStep(s, st, vars))); return; }
  if ('load' in step) return loadStep(step, st, vars);
  throw new Error(`unknown step kind: ${JSON.stringify(Object.keys(step))}`);
}

export function buildRequest(r, st, vars) {
  const method = r.method ?? 'GET';
  let path = resolve(r.path, vars);
  if (r.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(resolve(r.query, vars))) if (v !== null) q.append(k, String(v));
    const qs = q.toString();
    if (qs) path += (path.includes('?') ? '&' : '?') + qs;
  }
  const headers = {};
  for (const [k, v] of Object.entries(resolve(r.headers ?? {}, vars))) headers[k.toLowerCase()] = v;
  if (r.as !== undefined || r.auth !== undefined) {
    const spec = { ...(r.auth ? resolve(r.auth, vars) : {}), ...(r.as !== undefined ? { user: resolve(r.as, vars) } : {}) };
    if (!('authorization' in headers)) headers.authorization = `Bearer ${st.target.mint(spec, st.sub)}`;
  }
  let body;
  if ('json' in r) {
    body = Buffer.from(JSON.stringify(resolve(r.json, vars)), 'utf8');
    if (!('content-type' in headers)) headers['content-type'] = 'application/json';
  } else if ('body' in r) {
    body = Buffer.from(resolve(r.body, vars), 'utf8');
    if (!('content-type' in headers)) headers['content-type'] = 'application/json';
  } else if ('bodyBase64' in r) {
    body = Buffer.from(resolve(r.bodyBase64, vars), 'base64');
    if (!('content-type' in headers)) headers['content-type'] = 'application/json';
  }
  for (const [k, v] of Object.entries(headers)) if (v === null) delete headers[k];
  return { method, path, headers, body, chunked: !!r.chunked };
}

async function sendOnce(req, st) {
  st.requests += 1;
  return send({ url: st.target.baseUrl + req.path, method: req.method, headers: req.headers, body: req.body, chunked: req.chunked, fresh: req.chunked });
}

/** Mismatches of a response against a step's expectations plus the suite's invariants. */
export function checkResponse(res, expect, st, vars) {
  const errs = [];
  const ctx = st;
  if (expect.status !== undefined) {
    const ok = Array.isArray(expect.status) ? expect.status.includes(res.status) : res.status === expect.status;
    if (!ok) errs.push(`status: expected ${JSON.stringify(expect.status)}, got ${res.status}`);
  }
  const hdrExpect = { ...(st.suite.everyResponse?.headers ?? {}) };
  const byStatus = st.suite.byStatus?.[String(res.status)];
  if (res.status !== 204) Object.assign(hdrExpect, st.suite.everyBodyResponse?.headers ?? {});
  Object.assign(hdrExpect, byStatus?.headers ?? {});
  for (const [k, v] of Object.entries(expect.headers ?? {})) hdrExpect[k.toLowerCase()] = v;
  for (const [name, m] of Object.entries(hdrExpect)) {
    const actual = res.headers[name.toLowerCase()];
    errs.push(...match(Array.isArray(actual) ? actual.join(', ') : actual, resolve(m, vars, { forMatch: true }), `header ${name}`, ctx));
  }
  if (byStatus?.body && res.status >= 400) {
    if (res.json === undefined) errs.push(`body: expected a JSON error body, got ${JSON.stringify(trunc(res.text, 300))}`);
    else errs.push(...match(res.json, byStatus.body, '$body', ctx));
  }
  if (res.status === 204 && res.bodyBytes.length) errs.push(`body: 204 with a body of ${res.bodyBytes.length} bytes`);
  if ('body' in expect) {
    if (res.json === undefined && res.text.length) errs.push(`body: not JSON: ${JSON.stringify(trunc(res.text, 300))}`);
    else errs.push(...match(res.json, resolve(expect.body, vars, { forMatch: true }), '$body', ctx));
  }
  if ('bodyText' in expect) errs.push(...match(res.text, resolve(expect.bodyText, vars, { forMatch: true }), '$text', ctx));
  return errs;
}

function describe(req, res) {
  const reqBody = req.body ? trunc(req.body.toString('utf8'), 400) : '';
  const hdrs = res ? Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('; ') : '';
  return `  request: ${req.method} ${req.path} ${JSON.stringify(Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, k === 'authorization' ? `${String(v).slice(0, 20)}…` : v])))} ${reqBody ? `body=${JSON.stringify(reqBody)}` : ''}\n` +
    (res ? `  response: ${res.status} [${hdrs}]\n  body: ${trunc(res.text)}` : '');
}

function captureFrom(res, capture, vars) {
  if (!capture) return;
  const view = { status: res.status, headers: res.headers, body: res.json, text: res.text };
  for (const [name, path] of Object.entries(capture)) vars[name] = lookup(view, path);
}

async function requestStep(step, st, vars) {
  const req = buildRequest(step.request, st, vars);
  const expect = step.expect ?? {};
  const deadline = step.retry ? Date.now() + (step.retry.timeoutMs ?? 20000) : 0;
  for (;;) {
    let res, errs;
    try {
      res = await sendOnce(req, st);
      errs = checkResponse(res, expect, st, vars);
    } catch (e) {
      if (!step.retry || Date.now() > deadline) throw new StepFailure(`${e.message}\n${describe(req)}`);
      errs = [String(e.message)];
    }
    if (!errs.length) {
      captureFrom(res, step.capture, vars);
      st.log(`${req.method} ${req.path} -> ${res.status}`);
      return res;
    }
    if (!step.retry || Date.now() > deadline) {
      throw new StepFailure(`response mismatch:\n  ${capErrors(errs).join('\n  ')}\n${describe(req, res)}`);
    }
    await new Promise((r) => setTimeout(r, step.retry.intervalMs ?? 250));
  }
}

async function repeatStep(step, st, vars) {
  const n = Number(resolve(step.repeat, vars));
  const index = step.index ?? 'i';
  const collected = Object.fromEntries(Object.keys(step.collect ?? {}).map((k) => [k, new Array(n)]));
  const conc = Math.max(1, Number(step.concurrency ?? 1));
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const child = Object.create(vars);
      child[index] = i;
      const res = await requestStep(step.step, st, child);
      const view = { status: res.status, headers: res.headers, body: res.json, text: res.text };
      for (const [name, path] of Object.entries(step.collect ?? {})) collected[name][i] = lookup(view, path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(conc, n) }, worker));
  Object.assign(vars, collected);
}

const PAGE = { items: { $type: 'array' }, nextCursor: { $optional: { $type: ['string', 'null'] } } };

async function paginateStep(step, st, vars) {
  const p = step.paginate;
  const maxPages = p.maxPages ?? 500;
  const limit = p.query?.limit !== undefined ? Number(resolve(p.query.limit, vars)) : (p.defaultLimit ?? 100);
  const items = [];
  const pageSizes = [];
  let cursor;
  for (let page = 0; ; page++) {
    if (page >= maxPages) throw new StepFailure(`paginate: more than ${maxPages} pages (cursor loop?)`);
    const r = { ...p, query: { ...(p.query ?? {}), ...(cursor !== undefined ? { [p.cursorParam ?? 'cursor']: cursor } : {}) } };
    const req = buildRequest(r, st, vars);
    const res = await sendOnce(req, st);
    const errs = checkResponse(res, { status: 200, body: PAGE }, st, vars);
    if (!errs.length) {
      const b = res.json;
      if (b.items.length > limit) errs.push(`page ${page}: ${b.items.length} items > limit ${limit}`);
      if (typeof b.nextCursor === 'string' && b.items.length === 0) errs.push(`page ${page}: empty page with a nextCursor`);
      if (typeof b.nextCursor !== 'string' && b.items.length === limit && p.expectNoFullLastPage) errs.push(`page ${page}: full page without nextCursor`);
      if (p.itemMatch) errs.push(...match(b.items, { $each: resolve(p.itemMatch, vars, { forMatch: true }) }, `page ${page} items`, st));
    }
    if (errs.length) throw new StepFailure(`paginate page ${page} mismatch:\n  ${capErrors(errs).join('\n  ')}\n${describe(req, res)}`);
    items.push(...res.json.items);
    pageSizes.push(res.json.items.length);
    if (typeof res.json.nextCursor !== 'string') break;
    cursor = res.json.nextCursor;
  }
  if (step.capture) vars[step.capture] = { items, pageSizes, pages: pageSizes.length };
  st.log(`paginate ${p.path} ${JSON.stringify(p.query ?? {})}: ${items.length} items in pages ${JSON.stringify(pageSizes)}`);
}

/**
 * load: {users, requests, concurrency, mix: {"create": w, "list": w, "total": w}, body}
 * Fires `requests` requests (at most `concurrency` in flight) from `users` users, round-robin,
 * kinds by weight. Every response must have status 201/200 (or a listed "allowStatus"); every
 * list/total answer must belong to its user. Afterwards, per user: the full list holds exactly
 * the ids of that user's successful creates, and the total equals their number.
 */
async function loadStep(step, st, vars) {
  const L = resolve(step.load, vars);
  const users = Array.from({ length: L.users }, (_, u) => `${L.userPrefix ?? 'load'}${u}`);
  const mix = L.mix ?? { create: 2, list: 1, total: 1 };
  const kinds = Object.entries(mix).flatMap(([k, w]) => Array(w).fill(k));
  const created = Object.fromEntries(users.map((u) => [u, []]));
  const allow = new Set(L.allowStatus ?? []);
  const failures = [];
  const stats = {};
  let next = 0;
  const one = async (i) => {
    const user = users[i % users.length];
    const kind = kinds[Math.floor(i / users.length) % kinds.length];
    const r = kind === 'create'
      ? { method: 'POST', path: '/api/wardrobe', as: user, json: { ...(L.body ?? {}), name: `load-${i}`, imageUrl: `https://img.example.com/${vars.ns}/load-${i}.png` } }
      : kind === 'list' ? { path: '/api/wardrobe', as: user } : { path: '/api/wardrobe/total-items', as: user };
    const req = buildRequest(r, st, vars);
    let res;
    try { res = await sendOnce(req, st); } catch (e) { failures.push(`${kind} #${i}: ${e.message}`); return; }
    stats[`${kind} ${res.status}`] = (stats[`${kind} ${res.status}`] ?? 0) + 1;
    const want = kind === 'create' ? 201 : 200;
    if (res.status !== want) {
      if (!allow.has(res.status)) failures.push(`${kind} #${i} (${user}): status ${res.status} ${trunc(res.text, 200)}`);
      return;
    }
    const errs = checkResponse(res, {}, st, vars);
    const sub = st.sub(user);
    if (kind === 'create') {
      errs.push(...match(res.json, { $partial: { id: { $type: 'integer' }, userId: sub, name: `load-${i}` } }, '$body', st));
      if (!errs.length) created[user].push(res.json.id);
    } else if (kind === 'list') {
      errs.push(...match(res.json, { $partial: { items: { $each: { $partial: { userId: sub } } } } }, '$body', st));
    } else {
      errs.push(...match(res.json, { total: { $type: 'integer' } }, '$body', st));
    }
    if (errs.length) failures.push(`${kind} #${i} (${user}): ${capErrors(errs, 3).join('; ')}`);
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: Math.min(L.concurrency ?? L.requests, L.requests) }, async () => {
    while (next < L.requests) await one(next++);
  }));
  st.log(`load: ${L.requests} requests in ${Date.now() - t0} ms: ${JSON.stringify(stats)}`);
  for (const user of users) {
    const items = [];
    let cursor;
    for (let page = 0; page < 100; page++) {
      const req = buildRequest({ path: '/api/wardrobe', query: cursor ? { cursor } : {}, as: user }, st, vars);
      const res = await sendOnce(req, st);
      if (res.status !== 200) { failures.push(`after load, list for ${user}: ${res.status}`); break; }
      items.push(...res.json.items);
      if (typeof res.json.nextCursor !== 'string') break;
      cursor = res.json.nextCursor;
    }
    const got = items.map((x) => x.id).sort((a, b) => a - b);
    const want = [...created[user]].sort((a, b) => a - b);
    if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${user}: listed ids ${JSON.stringify(got)} != created ${JSON.stringify(want)}`);
    const tres = await sendOnce(buildRequest({ path: '/api/wardrobe/total-items', as: user }, st, vars), st);
    if (tres.status !== 200 || tres.json?.total !== want.length) failures.push(`${user}: total ${tres.status} ${tres.text} != ${want.length}`);
  }
  const minCreates = L.minCreates ?? 0;
  const nCreated = Object.values(created).reduce((s, a) => s + a.length, 0);
  if (nCreated < minCreates) failures.push(`only ${nCreated} successful creates (< ${minCreates})`);
  if (step.capture) vars[step.capture] = { created, stats, nCreated };
  if (failures.length) throw new StepFailure(`load failures (${failures.length}):\n  ${capErrors(failures, 20).join('\n  ')}`);
}
