#!/usr/bin/env bash
# Builds the WebAssembly modules when they are missing or older than any core or binding
# source (used by `npm start` and `npm run build:web`).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ ! -f dist/wasm/rnnlab-simd.wasm ] || [ ! -f dist/wasm/rnnlab-baseline.wasm ] || \
   [ -n "$(find src bindings CMakeLists.txt -newer dist/wasm/rnnlab-simd.wasm -type f -print -quit)" ]; then
  BUILD_ROOT="$ROOT/build" scripts/build-wasm.sh
fi
