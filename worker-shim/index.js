// The edgefn Worker: the C++ core (edgefn.wasm, imported as a compiled module: workerd forbids
// compiling wasm at run time) behind this shim. One instance per isolate serves every request;
// a trap replaces it (runtime.js). See worker-shim/README.md.
//
// The instance is built at isolate startup (global scope: Cloudflare runs it while the TLS
// handshake of the first request is still going on), configured from the bindings that
// `cloudflare:workers` exports, and warmed with one request the engine answers without I/O, so
// that the first request pays neither instantiation nor V8's compilation of the request path.
// Startup never fails the module: if the bindings are refused or anything throws, nothing is
// kept and the first request builds the instance itself, as it did before, with the same 500
// and log line.
//
// What the warm-up compiles does not always last: creating another isolate in the process makes
// V8 drop every module's Liftoff code (workerd's Worker::Isolate constructor -> memory pressure
// notification -> WasmEngine::FlushLiftoffCode, seen with perf). Under miniflare, whose own
// isolates are created after the app's, the first request compiles its wasm functions again
// (perf of a first 100-row list under miniflare, three runs: 45-49 % of its main-thread CPU is
// V8 compiling wasm functions lazily, JS parsing ~15 %). Warming the whole list path here, with a
// canned /sql result, did not shorten it: its Liftoff code is flushed too. The flush spares
// TurboFan code, but only a long warm-up tiers functions up: 300 canned lists cut the first
// request 13.3 -> 10.3 ms for +56 ms of startup (30: -1.0 ms for +18 ms), a bad trade not kept.

import { env as startupEnv } from 'cloudflare:workers';
import wasm from './edgefn.wasm';
import { readConfig } from './config.js';
import { parseOrigins } from './cors.js';
import { ConfigError } from './instance.js';
import { holdLogs, log, releaseLogs, setLogRank } from './log.js';
import { Runtime, errorResponse } from './runtime.js';

/** @type {Runtime | null} */
let runtime = null;

/** Whether lines logged while building at startup wait for the first request (see startup()). */
let startupLines = false;

/**
 * The live runtime, building a fresh instance after a trap (or on first use). Bindings are
 * fixed for an isolate's life (a new deployment means new isolates), so `env` is read once.
 * @param {Record<string, any>} env
 * @returns {Runtime}
 */
export function currentRuntime(env) {
  if (runtime === null || runtime.dead) {
    const rebuilt = runtime !== null;
    const started = Date.now();
    const config = readConfig(env);
    setLogRank(config.logRank);
    runtime = new Runtime(wasm, config);
    // A rebuild follows a trap: worth a line at the default level (warn); a first instance is not.
    log(rebuilt ? 'warn' : 'info', rebuilt ? 'wasm instance rebuilt' : 'wasm instance created', {
      generation: runtime.generation, test_hooks: runtime.engine.testHooks, ms: Date.now() - started,
    });
  }
  return runtime;
}

/**
 * Builds and warms the runtime at isolate startup. Its log lines are held back for the first
 * request (a line written at global scope belongs to no invocation); on any failure they are
 * dropped along with the runtime, and the first request builds again and logs the failure.
 */
function startup() {
  if (!startupEnv) return;
  holdLogs();
  try {
    currentRuntime(startupEnv).warm();
    startupLines = true;
  } catch {
    runtime = null;
    releaseLogs(false);
  }
}
startup();

export default {
  /**
   * @param {Request} request
   * @param {Record<string, any>} env
   * @param {ExecutionContext} ctx
   */
  async fetch(request, env, ctx) {
    if (startupLines) {
      startupLines = false;
      releaseLogs(true);
    }
    let rt;
    try {
      rt = currentRuntime(env);
    } catch (e) {
      const configError = e instanceof ConfigError;
      log('error', configError ? 'configuration refused' : 'wasm instantiation failed', { error: String(e?.message ?? e) });
      runtime = null;
      return errorResponse(500, 'internal', 'the function is misconfigured', crypto.randomUUID().slice(0, 8), request, parseOrigins(env.CORS_ORIGINS));
    }
    return rt.serve(request, ctx);
  },
};
