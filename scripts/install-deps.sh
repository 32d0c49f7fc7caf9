#!/usr/bin/env bash
# Installs what edgefn needs on Debian bookworm, only what is missing: Debian packages with
# apt-get, npm packages with `npm ci` (exact versions from package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates curl
  clang-16 lld-16 llvm-16 wasi-libc libc++-16-dev-wasm32 libc++abi-16-dev-wasm32
  libclang-rt-16-dev-wasm32 libclang-rt-16-dev emscripten binaryen
  libcurl4-openssl-dev libpq-dev libssl-dev libboost-dev
  libgtest-dev libbenchmark-dev
  postgresql
  libnghttp2-dev openssl
  chromium  # the headless browser of the `db studio` test (driven by puppeteer-core)
)
# Node.js may come from elsewhere (nodesource ships npm inside nodejs): only ask Debian for it
# when the commands are missing.
command -v node >/dev/null 2>&1 || debian_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || debian_packages+=(npm)

missing=()
for p in "${debian_packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules was not installed from this exact lock file.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.edgefn-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.edgefn-lock-hash
fi
echo "dependencies ready"
