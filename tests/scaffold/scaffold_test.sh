#!/usr/bin/env bash
# ctest scaffold_project: `edgefn new` into a temporary folder outside the repository, then the
# project's own Makefile: build (native, no sanitizers; its first build generates
# migrations/0000_init.sql with the app's `db generate`), and `make test` (the wasm module, a
# throwaway Postgres + gateway, migrate, seed, the smoke test on `serve` and in workerd). The
# folder is removed at the end.
#   EDGEFN_BIN         the edgefn tool (ctest: the dev build)
#   EDGEFN_SOURCE_DIR  this checkout (the project's EDGEFN_DIR)
#   EDGEFN_SCAFFOLD_WASM=0  `make test-native` instead: no wasm build, no workerd run
#   EDGEFN_SCAFFOLD_BUILD_TYPE  Release (default) or Debug
set -euo pipefail
: "${EDGEFN_BIN:?}" "${EDGEFN_SOURCE_DIR:?}"
src=$(cd "$EDGEFN_SOURCE_DIR" && pwd)
work=$(mktemp -d /tmp/edgefn-scaffold.XXXXXXXX)
trap 'rm -rf "$work"' EXIT
case "$work/" in "$src"/*) echo "the project must be outside the repository" >&2; exit 1 ;; esac
# ccache (the project's Makefile uses it when installed): the core's sources are compiled with
# absolute paths and the commands of edgefn's release and wasm trees (`make test` built them
# through ccache first), so with no CCACHE_BASEDIR rewriting them relative to this folder, and
# the build folder not hashed, the project's first build takes the core's objects from there.
# The wasm build treats warnings as errors, as edgefn's wasm preset does (the same commands).
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1} CCACHE_DEPEND=${CCACHE_DEPEND:-1} WASM_CMAKE_ARGS=-DEDGEFN_WERROR=ON
# Run from `make test` -> ctest: the project's make is a new top-level make.
unset MAKEFLAGS MFLAGS MAKELEVEL
t0=$(date +%s)
step() { echo "== $* ($(( $(date +%s) - t0 ))s)"; }

step "edgefn new: usage errors"
expect_fail() {  # expect_fail CODE ARGS...: the tool exits with CODE and writes nothing
  local code=$1; shift
  local rc=0
  "$EDGEFN_BIN" new "$@" >"$work/out.txt" 2>&1 || rc=$?
  [ "$rc" = "$code" ] || { echo "edgefn new $*: exit $rc, expected $code" >&2; cat "$work/out.txt" >&2; exit 1; }
}
expect_fail 2 "$work/x" --name test           # a CMake reserved target name
expect_fail 2 "$work/x" --name edgefn_tools   # edgefn's target namespace
expect_fail 2 "$work/Bad-Name"                 # not [a-z][a-z0-9_]*
expect_fail 2 "$work/x" --edgefn-dir "$work"  # no templates there
[ ! -e "$work/x" ] && [ ! -e "$work/Bad-Name" ] || { echo "a refused 'new' wrote files" >&2; exit 1; }
mkdir -p "$work/full" && touch "$work/full/keep"
expect_fail 2 "$work/full"                     # not empty

step "edgefn new $work/notes_api"
"$EDGEFN_BIN" new "$work/notes_api" --edgefn-dir "$src"
cd "$work/notes_api"
if grep -rlE '\{\{(name|edgefn_dir)\}\}' .; then echo "unreplaced placeholders" >&2; exit 1; fi
grep -q 'project(notes_api' CMakeLists.txt
grep -q "EDGEFN_DIR \"$src\"" CMakeLists.txt
[ -x tests/run.sh ] || { echo "tests/run.sh lost its executable bit" >&2; exit 1; }
[ ! -e migrations ] || { echo "migrations/ must be generated, not copied" >&2; exit 1; }

build_type=${EDGEFN_SCAFFOLD_BUILD_TYPE:-Release}
step "make native (BUILD_TYPE=$build_type)"
make native BUILD_TYPE="$build_type"
[ ! -e build/native/edgefn/apps ] || { echo "the project built edgefn's own apps" >&2; exit 1; }
step "generated migration"
ls migrations migrations/meta
grep -q 'CREATE TABLE "notes"' migrations/0000_init.sql
grep -q '"done" boolean DEFAULT false NOT NULL' migrations/0000_init.sql
grep -q '"created_at" timestamp DEFAULT now() NOT NULL' migrations/0000_init.sql
grep -q '"title" varchar(256) NOT NULL' migrations/0000_init.sql
# The schema has not changed since: a second generate writes nothing.
build/native/notes_api db generate --name again | grep -q 'No schema changes'
[ "$(ls migrations/*.sql | wc -l)" = 1 ]

if [ "${EDGEFN_SCAFFOLD_WASM:-1}" = 1 ]; then
  step "make test (native + wasm, smoke test on serve and workerd)"
  make test BUILD_TYPE="$build_type"

  step "make dev (the project's own Postgres, gateway and Worker), Ctrl-C, make stop"
  # shellcheck source=../support/dev_session.sh
  . "$src/tests/support/dev_session.sh"
  project=$work/notes_api
  chmod 755 "$work"  # Postgres runs as the postgres user when root: it must reach .edgefn/
  fail() { echo "scaffold: make dev: $*" >&2; cat "$project/dev.log" >&2 || true; exit 1; }
  trap 'dev_kill; make -C "$project" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  dev_ports
  dev_start make dev BUILD_TYPE="$build_type"
  notes=$(dev_api GET /notes)
  [ "${notes%% *}" = 200 ] && grep -q 'Read the edgefn README' <<<"$notes" || fail "the seeded notes: ${notes:0:300}"
  dev_token=$("$EDGEFN_BIN" token --sub dev-user)
  created=$(dev_api POST /notes '{"title":"from make dev"}')
  [ "${created%% *}" = 201 ] || fail "create: ${created:0:300}"
  dev_stop
  make stop >/dev/null
  dev_listening "$EDGEFN_PG_PORT" && fail "Postgres still listens after make stop"
else
  step "make test-native (smoke test on serve)"
  make test-native BUILD_TYPE="$build_type"
fi
step "done"
