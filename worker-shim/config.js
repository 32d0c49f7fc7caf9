// Worker configuration from bindings (wrangler vars and secrets), with the same names as the
// native host (plus LOG_LEVEL). Secrets (DATABASE_URL, DATABASE_URL_READ, AUTH_DEV_SECRET) stay here: the engine config blob only
// learns whether HS256 is enabled.

import { parseOrigins } from './cors.js';
import { logRank } from './log.js';

const DEFAULT_MAX_AGE_S = 60;
const DEFAULT_SWR_S = 15;
const MAX_AGE_CAP_S = 3600;
const DEFAULT_CACHE_MAX_BYTES = 1 << 20;
const DEFAULT_CACHE_TOTAL_BYTES = 16 << 20;

/** @param {unknown} v @param {number} fallback @param {number} max */
function seconds(v, fallback, max) {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) return fallback;
  return Math.min(n, max);
}

/**
 * A whole number, or null (the engine then refuses the configuration, naming the variable).
 * @param {unknown} v
 */
function wholeNumber(v) {
  const n = Number(str(v).trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** @param {unknown} v */
function str(v) {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/**
 * The app's own settings: every APP_* var that is a string (apps read them in the core).
 * @param {Record<string, any>} env
 */
function appSettings(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('APP_') && typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Reads the Worker's configuration.
 * @param {Record<string, any>} env the Worker bindings
 * @returns {{engine: object, databaseUrl: string, databaseUrlRead: string, fetchEndpoint: string, devSecret: string,
 *   cache: {maxAgeMs: number, swrMs: number, maxBytes: number, disabled: boolean},
 *   corsOrigins: string[], debug: boolean, logRank: number, images: any}}
 */
export function readConfig(env) {
  const devSecret = str(env.AUTH_DEV_SECRET);
  const cacheDisabled = str(env.CACHE_DISABLED) === 'true';
  return {
    engine: {
      auth_issuer: str(env.AUTH_ISSUER),
      auth_audience: str(env.AUTH_AUDIENCE),
      auth_jwks: str(env.AUTH_JWKS),
      auth_jwks_url: str(env.AUTH_JWKS_URL),
      auth_dev_hs256: devSecret !== '',
      cors_origins: str(env.CORS_ORIGINS),
      app_settings: appSettings(env),
      server_timing: str(env.SERVER_TIMING) === 'true',
      ...(str(env.SQL_TIMEOUT_MS) !== '' ? { sql_timeout_ms: wholeNumber(env.SQL_TIMEOUT_MS) } : {}),
      // The engine refuses 0, non-numbers and more than 10 MiB, naming the variable.
      ...(str(env.MAX_BODY_BYTES) !== '' ? { max_body_bytes: wholeNumber(env.MAX_BODY_BYTES) } : {}),
      // Whether there is a replica, never its URL: replica-safe reads are then marked for it.
      read_replica: str(env.DATABASE_URL_READ) !== '',
      // A write's bookmark serves only a cache or a replica answering later reads: with neither,
      // writes are sent alone instead of as a batch with the bookmark query (src/api/config.h).
      bookmarks: !cacheDisabled || str(env.DATABASE_URL_READ) !== '',
    },
    databaseUrl: str(env.DATABASE_URL),
    /** DATABASE_URL_READ: a read replica of the same database ("" for none). */
    databaseUrlRead: str(env.DATABASE_URL_READ),
    fetchEndpoint: str(env.NEON_FETCH_ENDPOINT),
    devSecret,
    cache: {
      maxAgeMs: seconds(env.CACHE_MAX_AGE, DEFAULT_MAX_AGE_S, MAX_AGE_CAP_S) * 1000,
      swrMs: seconds(env.CACHE_SWR, DEFAULT_SWR_S, MAX_AGE_CAP_S) * 1000,
      // Same names as the native host: CACHE_MAX_ENTRY_BYTES caps one result, CACHE_MAX_BYTES
      // the in-isolate cache as a whole (the isolate has 128 MB for everything).
      maxBytes: Math.floor(seconds(env.CACHE_MAX_ENTRY_BYTES, DEFAULT_CACHE_MAX_BYTES, 50 * 1024 * 1024)),
      maxTotalBytes: Math.floor(seconds(env.CACHE_MAX_BYTES, DEFAULT_CACHE_TOTAL_BYTES, 64 * 1024 * 1024)),
      disabled: cacheDisabled,
    },
    /** CORS_ORIGINS parsed, for the answers the shim gives itself (cors.js). */
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
    debug: str(env.EDGEFN_DEBUG) === 'true',
    logRank: logRank(env.LOG_LEVEL),
    images: env.IMAGES ?? null,
  };
}
