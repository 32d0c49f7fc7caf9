#!/usr/bin/env bash
# make dev: a local Postgres (data in .edgefn/pg, port $EDGEFN_PG_PORT or 54320) and the
# Neon-compatible gateway on 127.0.0.1:$EDGEFN_GATEWAY_PORT (default 4444), in the foreground.
# `make stop` (scripts/dev.sh stop) stops Postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="$root/.edgefn"
data="$state/pg"
pg_port=${EDGEFN_PG_PORT:-54320}
gw_port=${EDGEFN_GATEWAY_PORT:-4444}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
edgefn="$root/build/release/native/edgefn"
db_user=edgefn
db_password=edgefn-dev
db_name=edgefn

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then
  if [ -f "$data/postmaster.pid" ]; then as_pg "$pg_bin/pg_ctl" -D "$data" -m fast -w stop; fi
  exit 0
fi

mkdir -p "$state"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$state"; then
  echo "make dev: Postgres runs as the 'postgres' user (initdb refuses root), and it cannot" >&2
  echo "reach $state. Give it access (e.g. chmod o+x on each parent folder) or run as a" >&2
  echo "regular user." >&2
  exit 1
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
fi

cat <<MSG

  Postgres   127.0.0.1:$pg_port  (data in .edgefn/pg; stop it with: make stop)
  gateway    $endpoint  (Neon SQL-over-HTTP, Ctrl-C to stop)

  Try, in another terminal:
    build/release/native/edgefn sql "select now(), version()"
    build/release/native/edgefn sql 'select \$1::int + 1 as answer' --param 41 --json

MSG
exec "$edgefn" gateway --listen "127.0.0.1:$gw_port" --pg-host 127.0.0.1 --pg-port "$pg_port"
