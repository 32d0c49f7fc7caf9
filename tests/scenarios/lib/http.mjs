// A small HTTP client on node:http: exact bytes out (any headers, raw bodies, chunked or not),
// and a response that may come before the request body is fully sent (413).
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * send({url, method, headers, body (Buffer|undefined), chunked, timeoutMs}) ->
 *   {status, headers (lower-case names), text, bodyBytes, json (undefined if not JSON)}
 */
export function send({ url, method = 'GET', headers = {}, body, chunked = false, timeoutMs = 30000, fresh = false }) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const h = { ...headers };
    if (body !== undefined && !chunked) h['content-length'] = String(body.length);
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h,
      agent: fresh ? false : agent, setHost: true,
    });
    let done = false;
    const timer = setTimeout(() => { if (!done) { done = true; req.destroy(); reject(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)); } }, timeoutMs);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        let json;
        try { json = text.length ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, bodyBytes: bytes, json });
      });
      res.on('error', (e) => { if (!done) { done = true; clearTimeout(timer); reject(e); } });
    });
    // The server may answer (413) and close before reading everything: a write error after
    // the response has started is not a failure of the exchange.
    req.on('error', (e) => {
      setTimeout(() => { if (!done) { done = true; clearTimeout(timer); reject(e); } }, 200);
    });
    if (body !== undefined) {
      if (chunked) {
        const step = 16384;
        for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
      } else req.write(body);
    }
    req.end();
  });
}

export function closeAgent() { agent.destroy(); }
