#!/usr/bin/env bash
# Builds the WebAssembly modules in dist/wasm/ when one is missing or older than a source it is
# built from (src/, the bindings' C++ and pre-js, the CMake files), so tests and the playground
# never run against a stale module after a C++ edit. Used by `npm start`, `npm run build:web`,
# `npm run test:quick` and every JS test script.
#
#   scripts/wasm-fresh.sh [--check] [simd|baseline|simd-threads ...]     (default: all three)
#
# --check: build nothing; say which module is stale and exit 1 (0 when all are fresh).
# Environment: as scripts/build-wasm.sh (BUILD_ROOT defaults to build/ here, JOBS).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
check=0
variants=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    simd|baseline|simd-threads) variants+=("$arg") ;;
    *) echo "wasm-fresh.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -eq 0 ] && variants=(simd baseline simd-threads)

# The first source newer than $1 (what is compiled in; as scripts/prepack.sh checks).
newer_source() {
  find src bindings CMakeLists.txt -newer "$1" -type f \
    \( -name '*.cpp' -o -name '*.h' -o -name CMakeLists.txt -o -name node_esm_pre.js -o -name threads_post.js \) -print -quit
}

stale=()
for v in "${variants[@]}"; do
  wasm=dist/wasm/rnnlab-$v.wasm
  if [ ! -f "$wasm" ] || [ ! -f "dist/wasm/rnnlab-$v.mjs" ]; then
    echo "wasm-fresh: $wasm is missing"
    stale+=("$v")
  elif src=$(newer_source "$wasm") && [ -n "$src" ]; then
    echo "wasm-fresh: $wasm is older than $src"
    stale+=("$v")
  fi
done
[ ${#stale[@]} -eq 0 ] && exit 0
if [ "$check" = 1 ]; then
  echo "wasm-fresh: stale WebAssembly module(s): ${stale[*]}; rebuild with scripts/wasm-fresh.sh (or npm run build:wasm)" >&2
  exit 1
fi
BUILD_ROOT=${BUILD_ROOT:-$ROOT/build} scripts/build-wasm.sh "${stale[@]}"
# make does not relink an up-to-date module: mark it fresh against the sources it was checked with.
for v in "${stale[@]}"; do touch "dist/wasm/rnnlab-$v.mjs" "dist/wasm/rnnlab-$v.wasm"; done
