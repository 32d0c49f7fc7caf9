#!/usr/bin/env bash
# ctest make_dev: what `make dev` runs (scripts/dev.sh), end to end, in a temporary project
# folder and on free ports: a new Postgres cluster, the gateway, migrate + seed, the wardrobe's
# module in workerd through `wrangler dev`; a seeded user's list, a create and a read through
# the running Worker; Ctrl-C (SIGINT) stops the Worker and the gateway, `scripts/dev.sh stop`
# (`make stop`) stops Postgres. Then the second `make dev` a user runs: the same cluster and
# .env.local, the earlier data still there. (A project made by `edgefn new`: scaffold_project.)
#   EDGEFN_BIN        the edgefn tool (ctest: the dev build)
#   WARDROBE_BIN      the wardrobe's binary (migrate, seed)
#   EDGEFN_SOURCE_DIR this checkout (build/wasm's wardrobe.wasm must exist: `make wasm`)
set -euo pipefail
: "${EDGEFN_BIN:?}" "${WARDROBE_BIN:?}" "${EDGEFN_SOURCE_DIR:?}"
src=$(cd "$EDGEFN_SOURCE_DIR" && pwd)
# shellcheck source=../support/dev_session.sh
. "$src/tests/support/dev_session.sh"
[ -f "$src/build/wasm/apps/wardrobe/wardrobe.wasm" ] || { echo "make_dev: build/wasm's wardrobe.wasm is missing (make wasm)" >&2; exit 1; }
project=$(mktemp -d /tmp/edgefn-make-dev.XXXXXX)
chmod 755 "$project"  # dev.sh runs Postgres as the postgres user when root: it must reach .edgefn/
export EDGEFN_PROJECT_DIR=$project EDGEFN_BIN APP_BIN=$WARDROBE_BIN APP=wardrobe
dev_ports
user=kp_3f9a1c2e7b5d4e6f8a0b1c2d3e4f5a6b  # the user dev.sh's printed token is for (seeded items)

other=  # a second project, refused on the same ports
cleanup() {
  dev_kill
  "$src/scripts/dev.sh" stop >/dev/null 2>&1 || true
  [ -n "$other" ] && EDGEFN_PROJECT_DIR=$other "$src/scripts/dev.sh" stop >/dev/null 2>&1
  rm -rf "$project" "$other"
}
trap cleanup EXIT
fail() { echo "make_dev: $*" >&2; echo "--- dev.sh output:" >&2; cat "$project/dev.log" >&2 || true; exit 1; }

echo "== first make dev (new cluster, new .env.local)"
dev_start "$src/scripts/dev.sh"
grep -q '^AUTH_DEV_SECRET=.' "$project/.env.local" || fail ".env.local has no AUTH_DEV_SECRET"
dev_token=$(cd "$project" && "$EDGEFN_BIN" token --sub "$user")
list=$(dev_api GET /api/wardrobe)
[ "${list%% *}" = 200 ] || fail "list: ${list:0:300}"
node -e 'const b=JSON.parse(process.argv[1]); if (!(b.items?.length > 0)) process.exit(1)' "${list#* }" || fail "the seeded user has no items: ${list:0:300}"
created=$(dev_api POST /api/wardrobe "{\"name\":\"make dev test\",\"size\":\"M\",\"type\":\"shirt\",\"color\":\"blue\",\"imageUrl\":\"https://img.example.com/users/$user/make-dev.png\"}")
[ "${created%% *}" = 201 ] || fail "create: ${created:0:300}"
id=$(node -e 'console.log(JSON.parse(process.argv[1]).id)' "${created#* }")
got=$(dev_api GET "/api/wardrobe/$id")
[ "${got%% *}" = 200 ] || fail "get $id: ${got:0:300}"

echo "== another project's make dev on the same ports: refused before it starts anything"
other=$(mktemp -d /tmp/edgefn-make-dev-other.XXXXXX)
chmod 755 "$other"
rc=0
EDGEFN_PROJECT_DIR=$other "$src/scripts/dev.sh" >"$other/dev.log" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q "127.0.0.1:$EDGEFN_PG_PORT (Postgres) is in use.*EDGEFN_PG_PORT" "$other/dev.log" ||
  { cat "$other/dev.log" >&2; fail "a second project on the same Postgres port was not refused by name"; }
[ ! -e "$other/.edgefn/pg" ] || fail "the refused make dev created a cluster"
# Its own Postgres port, the same gateway port: its Postgres starts, then the gateway port is named.
rc=0
EDGEFN_PROJECT_DIR=$other EDGEFN_PG_PORT=$(dev_free_port) "$src/scripts/dev.sh" >"$other/dev.log" 2>&1 || rc=$?
EDGEFN_PROJECT_DIR=$other "$src/scripts/dev.sh" stop >/dev/null 2>&1 || true
[ "$rc" != 0 ] && grep -q "127.0.0.1:$EDGEFN_GATEWAY_PORT (gateway) is in use.*EDGEFN_GATEWAY_PORT" "$other/dev.log" ||
  { cat "$other/dev.log" >&2; fail "a second project on the same gateway port was not refused by name"; }
got=$(dev_api GET "/api/wardrobe/$id")
[ "${got%% *}" = 200 ] || fail "the first session after the refused ones: ${got:0:300}"
dev_stop

echo "== second make dev (the same cluster and .env.local)"
secret=$(grep '^AUTH_DEV_SECRET=' "$project/.env.local")
dev_start "$src/scripts/dev.sh"
[ "$(grep '^AUTH_DEV_SECRET=' "$project/.env.local")" = "$secret" ] || fail "the second run changed AUTH_DEV_SECRET"
got=$(dev_api GET "/api/wardrobe/$id")
[ "${got%% *}" = 200 ] || fail "the item made in the first run: ${got:0:300}"
dev_stop

echo "== make stop"
"$src/scripts/dev.sh" stop >/dev/null
[ ! -e "$project/.edgefn/pg/postmaster.pid" ] || fail "Postgres still runs after make stop (postmaster.pid)"
dev_listening "$EDGEFN_PG_PORT" && fail "something still listens on Postgres' port"
echo "make dev: ok"
