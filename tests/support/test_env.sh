#!/usr/bin/env bash
# Throwaway Postgres cluster + edgefn gateway for tests and benchmarks.
#   test_env.sh start STATE_DIR GATEWAY_BIN   -> writes STATE_DIR/env (KEY=VALUE lines)
#   test_env.sh stop  STATE_DIR
#   test_env.sh pg-stop  STATE_DIR [fast|immediate]   -> stops Postgres only (the gateway keeps running)
#   test_env.sh pg-start STATE_DIR   -> starts it again on the same port and data
#   test_env.sh start-replicated STATE_DIR GATEWAY_BIN DELAY_MS
#       -> like start, plus a streaming replica of it (pg_basebackup -R, its own port and data
#          dir, recovery_min_apply_delay=DELAY_MS so stale reads are visible), and a gateway that
#          takes host and port from each request's connection string (no --pg-host/--pg-port):
#          STATE_DIR/env adds EDGEFN_TEST_REPLICA_PORT and DATABASE_URL_READ
# The cluster lives in a fresh temp dir on a random free port; the gateway listens on a
# random free loopback port. Both are stopped by `stop` (CTest fixture cleanup).
set -euo pipefail
cmd=${1:?start|stop}
state=${2:?state dir}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)

as_pg() {  # initdb/postgres refuse to run as root: use the postgres system user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# EDGEFN_TEST_PG_DURABLE=1 at `start`: commits are on disk when acknowledged
# (synchronous_commit=on), so that `pg-stop immediate` loses no acknowledged commit; the
# default trades that for speed. Kept in STATE_DIR/env for pg-start.
durable() {
  [ "${EDGEFN_TEST_PG_DURABLE:-0}" = 1 ] || { [ -f "$state/env" ] && [ "$(env_value EDGEFN_TEST_PG_DURABLE)" = 1 ]; }
}

pg_opts() {  # postgres server options for port $1, socket dir $2
  local sync=off
  if durable; then sync=on; fi
  echo "-p $1 -k $2 -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=$sync -c full_page_writes=off -c max_connections=300 -c TimeZone=UTC"
}

env_value() { sed -n "s/^$1=//p" "$state/env"; }

pg_stop() {
  [ -f "$state/env" ] || { echo "no $state/env" >&2; exit 1; }
  as_pg "$pg_bin/pg_ctl" -D "$(env_value EDGEFN_TEST_PG_DATA)/db" -m "${1:-fast}" -w -t 60 stop >/dev/null
}

pg_start() {
  [ -f "$state/env" ] || { echo "no $state/env" >&2; exit 1; }
  local data port
  data=$(env_value EDGEFN_TEST_PG_DATA)
  port=$(env_value EDGEFN_TEST_PG_PORT)
  as_pg "$pg_bin/pg_ctl" -D "$data/db" -l "$data/postgres.log" -w -t 60 \
    -o "$(pg_opts "$port" "$data")" start >"$state/pg_ctl.log" 2>&1
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local gateway=${1:?gateway binary} pinned=${2:-pinned}
  stop_quiet
  mkdir -p "$state"
  local data
  data=$(mktemp -d /tmp/edgefn-pg.XXXXXX)
  chmod 700 "$data"
  [ "$(id -u)" = 0 ] && chown postgres: "$data"
  local password=test-pass
  local pwfile="$data.pw"
  printf '%s\n' "$password" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
  as_pg "$pg_bin/initdb" -D "$data/db" -U edgefn --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$state/initdb.log" 2>&1
  rm -f "$pwfile"
  local port
  port=$(free_port)
  as_pg "$pg_bin/pg_ctl" -D "$data/db" -l "$data/postgres.log" -w -t 60 \
    -o "$(pg_opts "$port" "$data")" \
    start >"$state/pg_ctl.log" 2>&1
  psql_q() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$data" -p "$port" -U edgefn "$@"; }
  psql_q -d postgres -c "create database edgefn_test" \
    -c 'create database "db with spaces"' \
    -c "create role other login password 'p@ss:w/rd?#'"
  psql_q -d edgefn_test -c "grant all on schema public to other"

  local gport
  gport=$(free_port)
  local pin=(--pg-host 127.0.0.1 --pg-port "$port")
  [ "$pinned" = pinned ] || pin=()
  "$gateway" gateway --listen "127.0.0.1:$gport" "${pin[@]}" \
    >"$state/gateway.log" 2>&1 &
  local gpid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$gport") 2>/dev/null; then break; fi
    kill -0 "$gpid" 2>/dev/null || { cat "$state/gateway.log" >&2; exit 1; }
    sleep 0.1
  done
  cat >"$state/env" <<ENV
EDGEFN_TEST_PG_DATA=$data
EDGEFN_TEST_PG_SOCKET_DIR=$data
EDGEFN_TEST_PG_HOST=127.0.0.1
EDGEFN_TEST_PG_PORT=$port
EDGEFN_TEST_PG_USER=edgefn
EDGEFN_TEST_PG_PASSWORD=$password
EDGEFN_TEST_PG_DATABASE=edgefn_test
EDGEFN_TEST_GATEWAY_PID=$gpid
EDGEFN_TEST_GATEWAY_URL=http://127.0.0.1:$gport/sql
DATABASE_URL=postgres://edgefn:$password@localhost:$port/edgefn_test
NEON_FETCH_ENDPOINT=http://127.0.0.1:$gport/sql
EDGEFN_TEST_PG_DURABLE=${EDGEFN_TEST_PG_DURABLE:-0}
ENV
  echo "postgres on 127.0.0.1:$port, gateway on 127.0.0.1:$gport (state $state)"
}

# A streaming replica of the running cluster, replaying DELAY_MS behind it.
start_replica() {
  local delay=${1:?delay ms} data port rport
  data=$(env_value EDGEFN_TEST_PG_DATA)
  port=$(env_value EDGEFN_TEST_PG_PORT)
  as_pg "$pg_bin/pg_basebackup" -D "$data/replica" -h "$data" -p "$port" -U edgefn -R -X stream -c fast \
    >"$state/basebackup.log" 2>&1
  rport=$(free_port)
  as_pg "$pg_bin/pg_ctl" -D "$data/replica" -l "$data/replica.log" -w -t 60 \
    -o "$(pg_opts "$rport" "$data") -c hot_standby=on -c recovery_min_apply_delay=${delay}ms" \
    start >"$state/pg_ctl_replica.log" 2>&1
  cat >>"$state/env" <<ENV
EDGEFN_TEST_REPLICA_PORT=$rport
DATABASE_URL_READ=postgres://edgefn:$(env_value EDGEFN_TEST_PG_PASSWORD)@127.0.0.1:$rport/edgefn_test
ENV
  echo "replica on 127.0.0.1:$rport, replaying ${delay} ms behind"
}

stop_quiet() {
  [ -f "$state/env" ] || return 0
  local data gpid
  data=$(sed -n 's/^EDGEFN_TEST_PG_DATA=//p' "$state/env")
  gpid=$(sed -n 's/^EDGEFN_TEST_GATEWAY_PID=//p' "$state/env")
  [ -n "$gpid" ] && kill "$gpid" 2>/dev/null || true
  if [ -n "$data" ] && [ -d "$data/replica" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$data/replica" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$data" ] && [ -d "$data/db" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$data"
  fi
  rm -f "$state/env"
}

case "$cmd" in
  start) start "${3:-}" ;;
  start-replicated) start "${3:-}" unpinned; start_replica "${4:-2000}" ;;
  stop) stop_quiet; echo "stopped" ;;
  pg-stop) pg_stop "${3:-fast}"; echo "postgres stopped" ;;
  pg-start) pg_start; echo "postgres started" ;;
  *) echo "usage: $0 start|stop|pg-stop|pg-start|start-replicated STATE_DIR [GATEWAY_BIN [DELAY_MS]]" >&2; exit 2 ;;
esac
