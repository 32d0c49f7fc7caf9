# `make dev` (scripts/dev.sh) driven as a user drives it, for tests: sourced by
# tests/dev/make_dev_test.sh and tests/scaffold/scaffold_test.sh. The caller sets `project` (the
# folder dev.sh keeps .edgefn/ and .env.local in) and defines fail MESSAGE.
#   dev_ports             free ports for Postgres, the gateway and the Worker, exported for dev.sh
#                         (EDGEFN_PG_PORT, EDGEFN_GATEWAY_PORT, EDGEFN_DEV_PORT); sets dev_base
#   dev_start CMD...      runs CMD in its own process group, as a terminal runs it (output in
#                         $project/dev.log); returns once the Worker answers /healthz, with
#                         .env.local's NEON_FETCH_ENDPOINT checked to be this gateway's
#   dev_stop              Ctrl-C (SIGINT to the group): dev.sh, wrangler and the gateway must be
#                         gone and gateway.pid removed; Postgres must still run (only make stop
#                         stops it)
#   dev_api METHOD PATH [BODY]  "STATUS BODY" from the Worker, with Authorization: Bearer $dev_token
#   dev_kill              for an EXIT trap: ends a session still running

dev_pid=
dev_token=

dev_free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

dev_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

dev_ports() {
  EDGEFN_PG_PORT=$(dev_free_port)
  EDGEFN_GATEWAY_PORT=$(dev_free_port)
  EDGEFN_DEV_PORT=$(dev_free_port)
  export EDGEFN_PG_PORT EDGEFN_GATEWAY_PORT EDGEFN_DEV_PORT
  dev_base="http://127.0.0.1:$EDGEFN_DEV_PORT"
}

dev_start() {
  setsid "$@" >"$project/dev.log" 2>&1 &
  dev_pid=$!
  for _ in $(seq 1 240); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$dev_base/healthz" || true)" = 200 ]; then
      grep -qxF "NEON_FETCH_ENDPOINT=http://127.0.0.1:$EDGEFN_GATEWAY_PORT/sql" "$project/.env.local" ||
        fail ".env.local's NEON_FETCH_ENDPOINT is not the gateway's"
      return 0
    fi
    kill -0 "$dev_pid" 2>/dev/null || fail "make dev exited before the Worker answered"
    sleep 0.5
  done
  fail "the Worker did not answer /healthz within 120 s"
}

dev_stop() {
  local gw_pid
  gw_pid=$(cat "$project/.edgefn/gateway.pid")
  kill -INT -- "-$dev_pid"
  for _ in $(seq 1 60); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$dev_pid" 2>/dev/null && fail "make dev still runs 30 s after SIGINT"
  dev_pid=
  for _ in $(seq 1 20); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$gw_pid" 2>/dev/null && fail "the gateway (pid $gw_pid) outlived make dev"
  [ ! -e "$project/.edgefn/gateway.pid" ] || fail "gateway.pid left behind"
  for _ in $(seq 1 20); do dev_listening "$EDGEFN_DEV_PORT" || break; sleep 0.25; done
  dev_listening "$EDGEFN_DEV_PORT" && fail "something still listens on the Worker's port"
  dev_listening "$EDGEFN_PG_PORT" || fail "Postgres stopped with the Worker (only make stop stops it)"
  return 0
}

dev_api() {
  local out status
  out=$(mktemp)
  status=$(curl -s -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $dev_token" \
    ${3:+-H 'Content-Type: application/json' --data "$3"} "$dev_base$2")
  echo "$status $(cat "$out")"
  rm -f "$out"
}

dev_kill() {
  [ -n "$dev_pid" ] || return 0
  kill -INT -- "-$dev_pid" 2>/dev/null || true
  sleep 1
  kill -KILL -- "-$dev_pid" 2>/dev/null || true
  dev_pid=
}
