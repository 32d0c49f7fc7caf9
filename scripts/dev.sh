#!/usr/bin/env bash
# make dev: a local Postgres (data in .edgefn/pg, port $EDGEFN_PG_PORT or 54320), the
# Neon-compatible gateway on 127.0.0.1:$EDGEFN_GATEWAY_PORT (default 4444, in the background),
# `edgefn migrate` + `edgefn seed`, then the function itself in workerd (`wrangler dev`) at
# http://localhost:$EDGEFN_DEV_PORT (default 8787), in the foreground. Configuration comes from
# .env.local (written on first run: DATABASE_URL, NEON_FETCH_ENDPOINT, AUTH_DEV_SECRET).
# `make stop` (scripts/dev.sh stop) stops Postgres and a gateway left running.
# A project made with `edgefn new` runs this script from its edgefn checkout with
# EDGEFN_PROJECT_DIR (its folder: .edgefn/ and .env.local live there), APP_BIN, EDGEFN_BIN,
# WRANGLER_CONFIG, TRY_PATH (the path the printed curl example calls) and DEV_USER (the printed
# token's subject).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project=${EDGEFN_PROJECT_DIR:-$root}
cd "$project"
state="$project/.edgefn"
data="$state/pg"
pg_port=${EDGEFN_PG_PORT:-54320}
gw_port=${EDGEFN_GATEWAY_PORT:-4444}
dev_port=${EDGEFN_DEV_PORT:-8787}
gw_pid_file="$state/gateway.pid"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
edgefn=${EDGEFN_BIN:-$root/build/release/native/edgefn}
app=${APP:-wardrobe}
app_bin=${APP_BIN:-$root/build/release/apps/$app/$app}
wrangler_config=${WRANGLER_CONFIG:-$root/apps/$app/wrangler.toml}
db_user=edgefn
db_password=edgefn-dev
db_name=edgefn

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A port something already listens on (another project's `make dev`, a Postgres): say which
# variable moves it, before anything is created or started.
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "make dev: 127.0.0.1:$1 ($2) is in use, by another make dev or another server: set $3 to another port" >&2
    return 1
  fi
}

stop_gateway() {
  if [ -f "$gw_pid_file" ]; then
    local pid
    pid=$(cat "$gw_pid_file")
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$gw_pid_file"
  fi
}

if [ "${1:-}" = stop ]; then
  stop_gateway
  if [ -f "$data/postmaster.pid" ]; then as_pg "$pg_bin/pg_ctl" -D "$data" -m fast -w stop; fi
  exit 0
fi

[ -x "$app_bin" ] || { echo "dev: $app_bin is missing (make dev APP=$app builds it)" >&2; exit 1; }
mkdir -p "$state"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$state"; then
  echo "make dev: Postgres runs as the 'postgres' user (initdb refuses root), and it cannot" >&2
  echo "reach $state. Give it access (e.g. chmod o+x on each parent folder) or run as a" >&2
  echo "regular user." >&2
  exit 1
fi

if ! as_pg "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  port_free "$pg_port" Postgres EDGEFN_PG_PORT || exit 1
fi
if [ ! -f "$data/PG_VERSION" ]; then
  echo "creating a local Postgres cluster in $data"
  mkdir -p "$data"
  chmod 700 "$data"
  [ "$(id -u)" = 0 ] && chown postgres: "$data"
  pw=$(mktemp)
  printf '%s\n' "$db_password" > "$pw"
  [ "$(id -u)" = 0 ] && chown postgres: "$pw"
  as_pg "$pg_bin/initdb" -D "$data" -U "$db_user" --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$state/initdb.log"
  rm -f "$pw"
fi

if ! as_pg "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_pg "$pg_bin/pg_ctl" -D "$data" -l "$data/postgres.log" -w -t 60 \
    -o "-p $pg_port -k $data -c listen_addresses=127.0.0.1 -c TimeZone=UTC" start >/dev/null
fi
as_pg psql -X -q -h "$data" -p "$pg_port" -U "$db_user" -d postgres -tAc \
  "select 1 from pg_database where datname = '$db_name'" | grep -q 1 ||
  as_pg psql -X -q -h "$data" -p "$pg_port" -U "$db_user" -d postgres -c "create database $db_name"

database_url="postgres://$db_user:$db_password@localhost:$pg_port/$db_name"
endpoint="http://127.0.0.1:$gw_port/sql"
if [ ! -f .env.local ]; then
  printf 'DATABASE_URL=%s\nNEON_FETCH_ENDPOINT=%s\n' "$database_url" "$endpoint" > .env.local
  echo "wrote .env.local (DATABASE_URL, NEON_FETCH_ENDPOINT)"
elif ! grep -q '^NEON_FETCH_ENDPOINT=' .env.local; then
  echo "note: .env.local exists; add NEON_FETCH_ENDPOINT=$endpoint and DATABASE_URL for the local database"
elif ! grep -qxF "DATABASE_URL=$database_url" .env.local || ! grep -qxF "NEON_FETCH_ENDPOINT=$endpoint" .env.local; then
  # Written for other ports (or by hand): migrate, seed and the Worker use .env.local's, which
  # may be another project's database on the same credentials.
  echo "note: .env.local's DATABASE_URL or NEON_FETCH_ENDPOINT is not this make dev's ($database_url, $endpoint): they are used as they are" >&2
fi
# The development HS256 secret: `edgefn token` signs with it, the Worker verifies with it.
if ! grep -q '^AUTH_DEV_SECRET=.' .env.local; then
  [ -n "$(tail -c1 .env.local)" ] && echo >> .env.local
  printf 'AUTH_DEV_SECRET=%s\n' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >> .env.local
  echo "added AUTH_DEV_SECRET to .env.local (development tokens: $edgefn token --sub USER_ID)"
fi
set -a
# shellcheck disable=SC1091
. ./.env.local
set +a

# The gateway in the background (stopped when this script exits, or by `make stop`).
stop_gateway
port_free "$gw_port" gateway EDGEFN_GATEWAY_PORT || exit 1
port_free "$dev_port" Worker EDGEFN_DEV_PORT || exit 1
"$edgefn" gateway --listen "127.0.0.1:$gw_port" --pg-host 127.0.0.1 --pg-port "$pg_port" \
  >"$state/gateway.log" 2>&1 &
echo $! > "$gw_pid_file"
trap stop_gateway EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$gw_port") 2>/dev/null; then break; fi
  kill -0 "$(cat "$gw_pid_file")" 2>/dev/null || { cat "$state/gateway.log" >&2; exit 1; }
  sleep 0.1
done

"$app_bin" migrate --endpoint "$NEON_FETCH_ENDPOINT"
"$app_bin" seed --endpoint "$NEON_FETCH_ENDPOINT" || echo "note: $app seed failed (see above); the API still runs"

# A user the wardrobe's seed gives items to (apps/wardrobe/seed.cpp), so the first call shows data
# (DEV_USER overrides it).
dev_user=${DEV_USER:-kp_3f9a1c2e7b5d4e6f8a0b1c2d3e4f5a6b}
token=$("$edgefn" token --sub "$dev_user" 2>/dev/null || true)
try_path=${TRY_PATH:-/api/openapi.json}
[ "$app" = wardrobe ] && try_path=/api/wardrobe
cat <<MSG

  Postgres   127.0.0.1:$pg_port  (data in $data; stop it with: make stop)
  gateway    $NEON_FETCH_ENDPOINT  (Neon SQL-over-HTTP; log in .edgefn/gateway.log)
  function   http://localhost:$dev_port  ($app.wasm in workerd via wrangler dev; Ctrl-C to stop)

  Try, in another terminal:
    TOKEN=\$($edgefn token --sub $dev_user)
    curl -H "Authorization: Bearer \$TOKEN" http://localhost:$dev_port$try_path
MSG
[ -n "$token" ] && printf '\n  A token for %s (1 hour): %s\n' "$dev_user" "$token"
echo

export WRANGLER_SEND_METRICS=false
# wrangler runs the config's [build] command in its working directory: run it from the app's.
env_file="$PWD/.env.local"
cd "$(dirname "$wrangler_config")"
"$root/node_modules/.bin/wrangler" dev --config "$wrangler_config" --env-file "$env_file" --ip 127.0.0.1 --port "$dev_port" \
  --persist-to "$state/wrangler" --minify=false \
  --show-interactive-dev-session=false
