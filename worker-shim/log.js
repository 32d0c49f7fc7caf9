// Structured log lines: one JSON object per console line (Workers Logs / `wrangler tail`
// index them). Never pass credentials, tokens or connection strings in `fields`.
//
// LOG_LEVEL (debug | info | warn | error | off; default warn) sets the minimum level, for the
// shim's lines here and for the core's (edgefn_set_log_level: lower lines never leave the
// module). A line below the level costs one comparison.
//
// The default is warn, not info as natively: at info the core writes one line per request
// (route, status, database round trips, request id), and that console.log cost ~50 µs of
// workerd CPU per request (A/B in the Worker benchmark; the largest single item in profiles),
// while Workers Logs already records every invocation (method, URL, status, outcome, CPU and
// wall time). LOG_LEVEL=info brings the per-request line back.

/** Level names by rank (the core's edgefn_set_log_level ranks). */
export const LOG_LEVELS = Object.freeze(['debug', 'info', 'warn', 'error', 'off']);
const RANK = Object.freeze({ debug: 0, info: 1, warn: 2, error: 3, off: 4 });

/** The rank when LOG_LEVEL is unset, empty or unknown. */
export const DEFAULT_LOG_RANK = RANK.warn;

let minRank = DEFAULT_LOG_RANK;

/** Lines held back (holdLogs) instead of written, or null. @type {Array<[string, string]> | null} */
let held = null;

/**
 * Holds back the lines written from now on until releaseLogs (lines written at isolate startup
 * belong to no invocation: the first request writes them instead, as if it had built the
 * instance itself).
 */
export function holdLogs() {
  held = [];
}

/**
 * Ends holdLogs; writes the lines held back, or drops them when `write` is false.
 * @param {boolean} write
 */
export function releaseLogs(write) {
  const lines = held ?? [];
  held = null;
  if (write) for (const [level, line] of lines) emit(level, line);
}

/** @param {string} level @param {string} line */
function emit(level, line) {
  if (held !== null) held.push([level, line]);
  else if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/**
 * The rank of a LOG_LEVEL value (unknown or empty: DEFAULT_LOG_RANK, warn).
 * @param {unknown} level
 * @returns {number}
 */
export function logRank(level) {
  const r = RANK[String(level ?? '').trim().toLowerCase()];
  return r === undefined ? DEFAULT_LOG_RANK : r;
}

/** Sets the minimum level of this isolate's shim lines. @param {number} rank */
export function setLogRank(rank) {
  minRank = rank;
}

/** Whether lines of `level` are written. @param {"debug"|"info"|"warn"|"error"} level */
export function logEnabled(level) {
  return RANK[level] >= minRank;
}

/**
 * Writes one JSON log line (nothing when `level` is below LOG_LEVEL).
 * @param {"debug"|"info"|"warn"|"error"} level
 * @param {string} msg
 * @param {Record<string, unknown>} [fields]
 */
export function log(level, msg, fields = {}) {
  if (RANK[level] < minRank) return;
  emit(level, JSON.stringify({ level, msg, ...fields }));
}

/**
 * Forwards a log line the core produced (already one JSON object, already filtered by level
 * inside the module) unchanged.
 * @param {string} line
 */
export function coreLog(line) {
  emit('info', line);
}
