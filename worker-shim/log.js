// Structured log lines: one JSON object per console line (Workers Logs / `wrangler tail`
// index them). Never pass credentials, tokens or connection strings in `fields`.

/**
 * Writes one JSON log line.
 * @param {"debug"|"info"|"warn"|"error"} level
 * @param {string} msg
 * @param {Record<string, unknown>} [fields]
 */
export function log(level, msg, fields = {}) {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/**
 * Forwards a log line the core produced (already one JSON object) unchanged.
 * @param {string} line
 */
export function coreLog(line) {
  console.log(line);
}
