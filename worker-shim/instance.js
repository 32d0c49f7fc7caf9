// One instance of the core's wasm module and its engine, behind the C ABI of wasm/exports.cpp.
// Only integers and (pointer, length) pairs cross: this class copies bytes in and out of the
// module's memory. Any exception thrown by an export (a trap: unreachable, abort, OOM, memory
// fault) means the instance is unusable; the caller (runtime.js) throws it away.

const ABI_VERSION = 2;
const decoder = new TextDecoder();

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
   * Starts an exchange. Returns its id (0 = the request bytes were refused).
   * @param {Uint8Array} request encoded request @param {string} hostId @param {number} nowMs
   */
  start(request, hostId, nowMs) {
    const rid = new TextEncoder().encode(hostId);
    return this.withBytes(request, (rp, rn) =>
      this.withBytes(rid, (ip, il) => this.x.edgefn_exchange_start(this.handle, rp, rn, ip, il, BigInt(nowMs))));
  }

  /** The next pending action's JSON text, or null. */
  nextAction() {
    const n = this.x.edgefn_next_action(this.handle);
    return n === 0 ? null : this.read(this.x.edgefn_output(this.handle), n);
  }

  /**
   * Feeds a result. 1 fed, 0 unknown action, -1 refused bytes.
   * @param {number} actionId @param {Uint8Array} result @param {number} nowMs
   */
  complete(actionId, result, nowMs) {
    return this.withBytes(result, (p, n) => this.x.edgefn_complete(this.handle, actionId, p, n, BigInt(nowMs)));
  }

  /** The next finished exchange {exchange, text}, or null. */
  nextResponse() {
    const id = this.x.edgefn_next_response(this.handle);
    if (id === 0) return null;
    return { exchange: id, text: this.read(this.x.edgefn_output(this.handle), this.x.edgefn_output_len(this.handle)) };
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
