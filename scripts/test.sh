#!/usr/bin/env bash
# `npm test`: every test of rnnlab, on a fresh Debian/Ubuntu machine.
#   1. native C++ core: build (Release, this machine's SIMD) and run the GoogleTest suites
#   2. WebAssembly: build the npm package's modules (SIMD + baseline)
#   3. the same GoogleTest suites compiled to wasm (SIMD kernels) and run under node
#   4. the JS API tests, the npm-pack install tests and the headless-Chromium tests
# Build trees live in build/ (ignored by git). JOBS sets parallelism (default: CPU count).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export JOBS
step() { printf '\n==== %s ====\n' "$*"; }

step "dependencies"
scripts/setup.sh

step "native build"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DRNNLAB_BUILD_BENCH=ON
cmake --build build/native -j "$JOBS"

step "native tests"
ctest --test-dir build/native --output-on-failure -j "$JOBS"

step "wasm build (npm package)"
BUILD_ROOT="$ROOT/build" scripts/build-wasm.sh

step "core tests compiled to wasm (node)"
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
# emcmake would otherwise run tests with --experimental-wasm-threads, which Node 20 rejects.
emcmake cmake -S . -B build/wasm-tests -DCMAKE_BUILD_TYPE=Release -DRNNLAB_BUILD_BENCH=OFF \
  -DRNNLAB_BUILD_BINDINGS=OFF -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node
cmake --build build/wasm-tests -j "$JOBS"
ctest --test-dir build/wasm-tests --output-on-failure -j "$JOBS"

step "JavaScript API tests"
node --test tests/js/

echo
echo "All rnnlab tests passed."
