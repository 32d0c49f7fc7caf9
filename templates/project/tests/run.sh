#!/usr/bin/env bash
# make test: a throwaway Postgres + the gateway (edgefn's tests/support/test_env.sh), then the
# app's own `migrate` and `seed` through the gateway, then the smoke test; everything is stopped
# and removed on exit. Env: EDGEFN_DIR, APP_BIN, EDGEFN_BIN, WASM (empty: no workerd run).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${EDGEFN_DIR:?}" "${APP_BIN:?}" "${EDGEFN_BIN:?}"
state=$(mktemp -d "${TMPDIR:-/tmp}/{{name}}-test.XXXXXX")
cleanup() { "$EDGEFN_DIR/tests/support/test_env.sh" stop "$state" >/dev/null || true; rm -rf "$state"; }
trap cleanup EXIT
"$EDGEFN_DIR/tests/support/test_env.sh" start "$state" "$EDGEFN_BIN"
set -a
# shellcheck disable=SC1091
. "$state/env"
set +a
"$APP_BIN" migrate --endpoint "$NEON_FETCH_ENDPOINT"
"$APP_BIN" seed --endpoint "$NEON_FETCH_ENDPOINT"
"$APP_BIN" seed --endpoint "$NEON_FETCH_ENDPOINT"  # idempotent: inserts nothing the second time
"$APP_BIN" db check --endpoint "$NEON_FETCH_ENDPOINT"
export WASM="${WASM:-}"
node --test --test-reporter=spec tests/smoke.test.mjs
