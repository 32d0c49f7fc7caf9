// Request bodies, kept no further than the core looks. The core answers a body over its limit
// (the config's max_body_bytes, 64 KiB by default) with 413 from its size alone, so the shim
// passes it the first limit + 1 bytes and drops the rest as it arrives. Before, every request
// held its whole body in the isolate until the 413 (all of a 40 MiB upload), and an isolate has
// 128 MB for everything: a few large uploads at once ended it, with every request in flight.
//
// The rest is read (and dropped) before the answer, not cancelled: workerd refuses to read a
// request after its response, and a client still sending when the connection closed under it
// (HTTP/1.1) saw a failed request instead of the 413. It is read into one reused buffer (a BYOB
// reader): workerd CPU per dropped 40 MiB upload 7.3-7.7 ms, against 103 ms for a default reader's
// small chunks and 31 ms for the old arrayBuffer() of all of it. Past DRAIN_MAX_BYTES (what
// Cloudflare's Free and Pro plans accept at all) the stream is cancelled all the same.

/** An empty body (shared: never written). */
export const EMPTY = new Uint8Array(0);
/** How much of an over-limit body is read and dropped before the stream is cancelled. */
const DRAIN_MAX_BYTES = 100 << 20;
const DRAIN_BUFFER_BYTES = 1 << 20;
/** The first room for a body of unknown length, doubled up to limit + 1 as it fills. */
const FIRST_ROOM_BYTES = 64 << 10;

/** A buffer of `bytes` holding the first `used` bytes of `buf`. */
function grown(buf, used, bytes) {
  const next = new ArrayBuffer(bytes);
  new Uint8Array(next).set(new Uint8Array(buf, 0, used));
  return next;
}

/** Reads and drops what is left of `reader`, at most DRAIN_MAX_BYTES, then cancels the rest. */
async function drain(reader) {
  let buf = new ArrayBuffer(DRAIN_BUFFER_BYTES);
  for (let dropped = 0; dropped <= DRAIN_MAX_BYTES;) {
    const { done, value } = await reader.read(new Uint8Array(buf));
    if (done) return;
    dropped += value.length;
    buf = value.buffer;
  }
  reader.cancel().catch(() => {});
}

/**
 * The body of `request`; when it is longer than `limit` bytes, only its first `limit + 1`
 * (enough for the core's 413), the rest read and dropped.
 * @param {Request} request
 * @param {number} limit
 * @returns {Promise<Uint8Array>}
 */
export async function readBody(request, limit) {
  if (request.body === null) return EMPTY;
  // A declared length within the limit is the length (workerd holds the body to it): read at once.
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) <= limit) return new Uint8Array(await request.arrayBuffer());
  // Otherwise straight into room that grows to limit + 1 bytes at most (reads never go past
  // it): a small body of unknown length does not cost a buffer of the whole limit.
  const reader = request.body.getReader({ mode: 'byob' });
  let buf = new ArrayBuffer(Math.min(limit + 1, FIRST_ROOM_BYTES));
  let size = 0;
  while (size <= limit) {
    if (size === buf.byteLength) buf = grown(buf, size, Math.min(limit + 1, 2 * size));
    const { done, value } = await reader.read(new Uint8Array(buf, size));
    if (value) buf = value.buffer;  // the read took the buffer over; it comes back here, done or not
    if (done) break;
    size += value.length;
  }
  if (size > limit) await drain(reader);
  return new Uint8Array(buf, 0, size);
}
