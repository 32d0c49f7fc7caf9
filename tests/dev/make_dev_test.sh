#!/usr/bin/env bash
# ctest make_dev: what `make dev` runs (scripts/dev.sh), end to end, in a temporary project
# folder and on free ports: a new Postgres cluster, the gateway, migrate + seed, the wardrobe's
# module in workerd through `wrangler dev`; a seeded user's list, a create and a read through
# the running Worker; Ctrl-C (SIGINT) stops the Worker and the gateway, `scripts/dev.sh stop`
# (`make stop`) stops Postgres. Then the second `make dev` a user runs: the same cluster and
# .env.local, the earlier data still there.
#   EDGEFN_BIN        the edgefn tool (ctest: the dev build)
#   WARDROBE_BIN      the wardrobe's binary (migrate, seed)
#   EDGEFN_SOURCE_DIR this checkout (build/wasm's wardrobe.wasm must exist: `make wasm`)
set -euo pipefail
: "${EDGEFN_BIN:?}" "${WARDROBE_BIN:?}" "${EDGEFN_SOURCE_DIR:?}"
src=$(cd "$EDGEFN_SOURCE_DIR" && pwd)
[ -f "$src/build/wasm/apps/wardrobe/wardrobe.wasm" ] || { echo "make_dev: build/wasm's wardrobe.wasm is missing (make wasm)" >&2; exit 1; }
project=$(mktemp -d /tmp/edgefn-make-dev.XXXXXX)
chmod 755 "$project"  # dev.sh runs Postgres as the postgres user when root: it must reach .edgefn/
dev_pid=
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
export EDGEFN_PROJECT_DIR=$project EDGEFN_BIN APP_BIN=$WARDROBE_BIN APP=wardrobe
EDGEFN_PG_PORT=$(free_port)
EDGEFN_GATEWAY_PORT=$(free_port)
EDGEFN_DEV_PORT=$(free_port)
export EDGEFN_PG_PORT EDGEFN_GATEWAY_PORT EDGEFN_DEV_PORT
base="http://127.0.0.1:$EDGEFN_DEV_PORT"
user=kp_3f9a1c2e7b5d4e6f8a0b1c2d3e4f5a6b  # the user dev.sh's printed token is for (seeded items)

cleanup() {
  [ -n "$dev_pid" ] && kill -INT -- "-$dev_pid" 2>/dev/null || true
  sleep 1
  [ -n "$dev_pid" ] && kill -KILL -- "-$dev_pid" 2>/dev/null || true
  "$src/scripts/dev.sh" stop >/dev/null 2>&1 || true
  rm -rf "$project"
}
trap cleanup EXIT
fail() { echo "make_dev: $*" >&2; echo "--- dev.sh output:" >&2; cat "$project/dev.log" >&2 || true; exit 1; }

# dev.sh in its own process group (setsid), as a terminal would run it; the Worker is ready when
# /healthz answers.
start_dev() {
  setsid "$src/scripts/dev.sh" >"$project/dev.log" 2>&1 &
  dev_pid=$!
  for _ in $(seq 1 240); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" = 200 ] && return 0
    kill -0 "$dev_pid" 2>/dev/null || fail "dev.sh exited before the Worker answered"
    sleep 0.5
  done
  fail "the Worker did not answer /healthz within 120 s"
}

# Ctrl-C: SIGINT to the process group; dev.sh (and wrangler, and the gateway through its trap)
# must be gone, Postgres still up until `make stop`.
stop_dev() {
  local gw_pid
  gw_pid=$(cat "$project/.edgefn/gateway.pid")
  kill -INT -- "-$dev_pid"
  for _ in $(seq 1 60); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$dev_pid" 2>/dev/null && fail "dev.sh still runs 30 s after SIGINT"
  dev_pid=
  for _ in $(seq 1 20); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$gw_pid" 2>/dev/null && fail "the gateway (pid $gw_pid) outlived dev.sh"
  [ ! -e "$project/.edgefn/gateway.pid" ] || fail "gateway.pid left behind"
  (exec 3<>"/dev/tcp/127.0.0.1/$EDGEFN_DEV_PORT") 2>/dev/null && fail "something still listens on the Worker's port"
  return 0
}

# api METHOD PATH [BODY]: the Worker's status and body ("STATUS BODY").
api() {
  local out status
  out=$(mktemp)
  status=$(curl -s -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $token" \
    ${3:+-H 'Content-Type: application/json' --data "$3"} "$base$2")
  echo "$status $(cat "$out")"
  rm -f "$out"
}

echo "== first make dev (new cluster, new .env.local)"
start_dev
grep -q '^AUTH_DEV_SECRET=.' "$project/.env.local" || fail ".env.local has no AUTH_DEV_SECRET"
grep -q "^NEON_FETCH_ENDPOINT=http://127.0.0.1:$EDGEFN_GATEWAY_PORT/sql$" "$project/.env.local" || fail ".env.local's endpoint is not the gateway's"
token=$(cd "$project" && "$EDGEFN_BIN" token --sub "$user")
list=$(api GET /api/wardrobe)
[ "${list%% *}" = 200 ] || fail "list: ${list:0:300}"
node -e 'const b=JSON.parse(process.argv[1]); if (!(b.items?.length > 0)) process.exit(1)' "${list#* }" || fail "the seeded user has no items: ${list:0:300}"
created=$(api POST /api/wardrobe "{\"name\":\"make dev test\",\"size\":\"M\",\"type\":\"shirt\",\"color\":\"blue\",\"imageUrl\":\"https://img.example.com/users/$user/make-dev.png\"}")
[ "${created%% *}" = 201 ] || fail "create: ${created:0:300}"
id=$(node -e 'console.log(JSON.parse(process.argv[1]).id)' "${created#* }")
got=$(api GET "/api/wardrobe/$id")
[ "${got%% *}" = 200 ] || fail "get $id: ${got:0:300}"
stop_dev
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
(exec 3<>"/dev/tcp/127.0.0.1/$EDGEFN_PG_PORT") 2>/dev/null || fail "Postgres stopped with the Worker (only make stop stops it)"

echo "== second make dev (the same cluster and .env.local)"
secret=$(grep '^AUTH_DEV_SECRET=' "$project/.env.local")
start_dev
[ "$(grep '^AUTH_DEV_SECRET=' "$project/.env.local")" = "$secret" ] || fail "the second run changed AUTH_DEV_SECRET"
got=$(api GET "/api/wardrobe/$id")
[ "${got%% *}" = 200 ] || fail "the item made in the first run: ${got:0:300}"
stop_dev

echo "== make stop"
"$src/scripts/dev.sh" stop >/dev/null
if [ "$(id -u)" = 0 ]; then status_cmd=(runuser -u postgres -- "$pg_bin/pg_ctl"); else status_cmd=("$pg_bin/pg_ctl"); fi
"${status_cmd[@]}" -D "$project/.edgefn/pg" status >/dev/null 2>&1 && fail "Postgres still runs after make stop"
(exec 3<>"/dev/tcp/127.0.0.1/$EDGEFN_PG_PORT") 2>/dev/null && fail "something still listens on Postgres' port"
echo "make dev: ok"
