// One instance of the core's wasm module and its engine, behind the C ABI of wasm/exports.cpp.
// Only integers and (pointer, length) pairs cross: this class copies bytes in and out of the
// module's memory. Bodies are written straight into the room the engine gives (edgefn_input)
// and read straight out of its output (edgefn_output_body): one copy each way, no re-encoding.
// Any exception thrown by an export (a trap: unreachable, abort, OOM, memory fault) means the
// instance is unusable; the caller (runtime.js) throws it away.

const ABI_VERSION = 5;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Thrown when the engine refuses its configuration (not a trap). */
export class ConfigError extends Error {}

/**
 * The module must import nothing (tests/purity/wasm_imports.mjs checks the build): the core
 * has no host calls, and libc++'s abort reporting is compiled out (wasm/exports.cpp). A module
 * that declares imports is refused here rather than linked against stubs.
 * @param {WebAssembly.Module} module
 */
function checkNoImports(module) {
  const imports = WebAssembly.Module.imports(module);
  if (imports.length) {
    throw new ConfigError(`edgefn.wasm imports ${imports.map((i) => `${i.module}.${i.name}`).join(', ')}; the shim provides none`);
  }
}

export class WasmEngine {
  /**
   * Instantiates the module (already compiled: workerd forbids compiling at run time) and
   * creates the engine from the config blob.
   * @param {WebAssembly.Module} module
   * @param {object} engineConfig see wasm/engine_config.h
   */
  constructor(module, engineConfig) {
    checkNoImports(module);
    this.instance = new WebAssembly.Instance(module, {});
    this.x = /** @type {any} */ (this.instance.exports);
    if (typeof this.x._initialize === 'function') this.x._initialize();
    const abi = this.x.edgefn_abi_version();
    if (abi !== ABI_VERSION) throw new ConfigError(`edgefn.wasm ABI ${abi}, shim expects ${ABI_VERSION}`);
    const cfg = new TextEncoder().encode(JSON.stringify(engineConfig));
    this.handle = this.withBytes(cfg, (p, n) => this.x.edgefn_engine_create(p, n));
    if (this.handle === 0) throw new ConfigError(`engine configuration refused: ${this.lastError()}`);
    /** The largest request body the app reads: of a longer one only the first maxBodyBytes + 1 bytes are passed (body.js). */
    this.maxBodyBytes = this.x.edgefn_max_body_bytes(this.handle) >>> 0;
    this.testHooks = this.x.edgefn_test_hooks?.() === 1;
  }

  /** Sets the minimum level of the core's log lines (log.js ranks: 0 debug … 4 off). @param {number} rank */
  setLogRank(rank) {
    this.x.edgefn_set_log_level(this.handle, rank);
  }

  /** @private */
  memory() {
    return new Uint8Array(this.x.memory.buffer);  // re-read: growth detaches the old buffer
  }

  /** @private Copies `bytes` into module memory for the duration of `fn(ptr, len)`. */
  withBytes(bytes, fn) {
    const ptr = this.x.edgefn_alloc(bytes.length);
    if (ptr === 0) throw new WebAssembly.RuntimeError('edgefn_alloc failed');
    try {
      this.memory().set(bytes, ptr);
      return fn(ptr, bytes.length);
    } finally {
      this.x.edgefn_free(ptr);
    }
  }

  /** @private */
  read(ptr, len) {
    return decoder.decode(this.memory().subarray(ptr, ptr + len));
  }

  /** The message of the last refused create/start/complete. */
  lastError() {
    return this.read(this.x.edgefn_error(), this.x.edgefn_error_len());
  }

  /**
   * Writes a body where the engine's next start/complete takes it; returns its length.
   * @private @param {Uint8Array|string|undefined} body
   */
  stage(body) {
    if (!body || body.length === 0) return 0;
    if (typeof body === 'string') {
      const room = body.length * 3;  // the UTF-8 length is at most 3 bytes per UTF-16 unit
      const p = this.x.edgefn_input(this.handle, room);
      return encoder.encodeInto(body, this.memory().subarray(p, p + room)).written;
    }
    const p = this.x.edgefn_input(this.handle, body.length);
    this.memory().set(body, p);
    return body.length;
  }

  /**
   * Encodes `texts` (UTF-8) one after the other into one fresh allocation, for the duration of
   * `fn(ptr, lengths)`: no intermediate byte arrays, one allocation per call.
   * @private @param {string[]} texts @param {(ptr: number, lengths: number[]) => number} fn
   */
  withTexts(texts, fn) {
    let room = 1;
    for (const t of texts) room += t.length * 3;  // the UTF-8 length is at most 3 bytes per UTF-16 unit
    const ptr = this.x.edgefn_alloc(room);
    if (ptr === 0) throw new WebAssembly.RuntimeError('edgefn_alloc failed');
    try {
      const mem = this.memory();
      const lengths = [];
      let at = ptr;
      for (const t of texts) {
        const n = encoder.encodeInto(t, mem.subarray(at, ptr + room)).written;
        lengths.push(n);
        at += n;
      }
      return fn(ptr, lengths);
    } finally {
      this.x.edgefn_free(ptr);
    }
  }

  /**
   * Starts an exchange. Returns its id (0 = the request was refused).
   * @param {string} meta request metadata (codec.js encodeRequest) @param {Uint8Array} body
   * @param {string} hostId @param {number} nowMs
   */
  start(meta, body, hostId, nowMs) {
    const n = this.stage(body);
    return this.withTexts([meta, hostId], (p, [mn, il]) =>
      this.x.edgefn_exchange_start(this.handle, p, mn, n, p + mn, il, BigInt(nowMs)));
  }

  /** @private A view of the last output body (valid until the next call on the engine). */
  outputBody() {
    const p = this.x.edgefn_output_body(this.handle);
    return this.memory().subarray(p, p + this.x.edgefn_output_body_len(this.handle));
  }

  /**
   * The next pending action {meta, payload}, or null; `payload` is a view of module memory,
   * valid until the next call on the engine.
   */
  nextAction() {
    const n = this.x.edgefn_next_action(this.handle);
    if (n === 0) return null;
    return { meta: this.read(this.x.edgefn_output(this.handle), n), payload: this.outputBody() };
  }

  /**
   * Feeds a result (metadata and body). 1 fed, 0 unknown action, -1 refused.
   * @param {number} actionId @param {string} meta result metadata (codec.js encodeResult)
   * @param {Uint8Array|string|undefined} body @param {number} nowMs
   */
  complete(actionId, meta, body, nowMs) {
    const n = this.stage(body);
    return this.withTexts([meta], (p, [m]) => this.x.edgefn_complete(this.handle, actionId, p, m, n, BigInt(nowMs)));
  }

  /** The next finished exchange {exchange, meta, body} (body copied out), or null. */
  nextResponse() {
    const id = this.x.edgefn_next_response(this.handle);
    if (id === 0) return null;
    const meta = this.read(this.x.edgefn_output(this.handle), this.x.edgefn_output_len(this.handle));
    return { exchange: id, meta, body: this.outputBody().slice() };
  }

  /** @param {number} exchangeId */
  cancel(exchangeId) {
    this.x.edgefn_exchange_cancel(this.handle, exchangeId);
  }

  /** Exchanges in flight in the engine. */
  active() {
    return this.x.edgefn_active(this.handle);
  }
}
