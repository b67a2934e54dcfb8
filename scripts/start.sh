#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the WebAssembly modules if needed, then runs
# the demo of what rnnlab does so far (examples/node-demo.mjs).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
scripts/setup.sh --no-browser
# Rebuild when any core or binding source is newer than the built module.
if [ ! -f dist/wasm/rnnlab-simd.wasm ] || [ ! -f dist/wasm/rnnlab-baseline.wasm ] || \
   [ -n "$(find src bindings CMakeLists.txt -newer dist/wasm/rnnlab-simd.wasm -type f -print -quit)" ]; then
  BUILD_ROOT="$ROOT/build" scripts/build-wasm.sh
fi
node examples/node-demo.mjs
