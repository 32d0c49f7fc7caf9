// Helpers shared by the HTTP benchmarks (api_bench.mjs, worker_bench.mjs): process CPU and RSS
// from /proc, dev HS256 tokens, keep-alive requests.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of process `pid` (all its threads), in clock ticks; NaN when it is gone. */
export function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
  } catch { return NaN; }
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
