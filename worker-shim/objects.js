// delete_object actions: the R2 bucket bound as IMAGES. Without the binding the delete is
// skipped with a log line (and reported done, so the API call still succeeds).

import { log } from './log.js';

/**
 * @param {any} bucket the IMAGES binding, or null
 * @param {string} key
 * @returns {Promise<{outcome: string, detail?: string}>}
 */
export async function deleteObject(bucket, key) {
  if (!bucket) {
    log('warn', 'object delete skipped: no IMAGES bucket bound', { key });
    return { outcome: 'ok', detail: 'no IMAGES binding' };
  }
  try {
    await bucket.delete(key);
    return { outcome: 'ok' };
  } catch (e) {
    log('error', 'object delete failed', { key, error: String(e?.message ?? e) });
    return { outcome: 'failed', detail: 'object delete failed' };
  }
}
