#!/usr/bin/env bash
# `npm test`: every test of rnnlab, on a fresh Debian/Ubuntu machine.
#   1. native C++ core: build (Release, portable x86-64 code, kernels picked by CPUID) and run
#      the GoogleTest suites, the kernel object checks and the build on emulated CPUs (qemu);
#      then the same suites built with clang under AddressSanitizer + UndefinedBehaviorSanitizer,
#      and a short libFuzzer run of every parser of outside bytes (scripts/fuzz.sh)
#   2. WebAssembly: build the npm package's modules (SIMD + baseline), and the native reference
#      build that the baseline wasm build must match bit for bit
#   3. the same GoogleTest suites compiled to wasm (SIMD kernels) and run under node
#   4. the JS API tests (rnnlab/worker and native-vs-wasm parity included), then the interop
#      tests against onnxruntime-node, @tensorflow/tfjs and PyTorch (python3-torch)
#   5. the package tests: npm pack, install into a fresh project, Node, tsc, Vite + headless Chromium
#   6. the playground (web/): its logic and defaults in Node, the built site and the dev server
#      in headless Chromium
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
# (RNNLAB_REQUIRE_QEMU: setup.sh installed qemu-user, so the emulated-CPU test must not go missing.)
qemu=OFF
[ "$(uname -m)" = x86_64 ] && qemu=ON
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DRNNLAB_BUILD_BENCH=ON -DRNNLAB_REQUIRE_QEMU=$qemu
cmake --build build/native -j "$JOBS"

step "native tests"
ctest --test-dir build/native --output-on-failure -j "$JOBS"

step "native tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang)"
# Every suite, the slow numeric ones included (about 2 minutes on 2 cores); any sanitizer report
# fails its test. (The kernel object and qemu checks are about the release binary: not here.)
cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DRNNLAB_SANITIZE=ON -DRNNLAB_BUILD_BENCH=OFF
cmake --build build/sanitize -j "$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize --output-on-failure -j "$JOBS"

step "fuzzing: a short libFuzzer run of each target (scripts/fuzz.sh 60 is the documented bounded run)"
JOBS=$JOBS scripts/fuzz.sh "${RNNLAB_FUZZ_SECONDS:-5}"

step "native reference build for the baseline wasm parity test (portable kernels, scalar Eigen)"
# tests/js/parity_native.test.mjs holds the baseline wasm build to this native build bit for bit.
cmake -S . -B build/native-scalar -DCMAKE_BUILD_TYPE=Release -DRNNLAB_BUILD_BENCH=OFF \
  -DRNNLAB_NATIVE_ARCH=OFF -DCMAKE_CXX_FLAGS=-DEIGEN_DONT_VECTORIZE
cmake --build build/native-scalar -j "$JOBS" --target training_trace

step "wasm build (npm package)"
BUILD_ROOT="$ROOT/build" scripts/build-wasm.sh

step "core tests compiled to wasm (node)"
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
# emcmake would otherwise run tests with --experimental-wasm-threads, which Node 20 rejects.
emcmake cmake -S . -B build/wasm-tests -DCMAKE_BUILD_TYPE=Release -DRNNLAB_BUILD_BENCH=OFF \
  -DRNNLAB_BUILD_BINDINGS=OFF -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node
cmake --build build/wasm-tests -j "$JOBS"
ctest --test-dir build/wasm-tests --output-on-failure -j "$JOBS"

# A failed step names itself before set -e ends the run.
failed() { printf '\nrnnlab tests FAILED in step: %s (see the output above)\n' "$1" >&2; exit 1; }

step "JavaScript API tests (incl. rnnlab/worker and native-vs-wasm parity)"
# parity_native.test.mjs runs build/native's training_trace against both wasm builds.
RNNLAB_NATIVE_BUILD="$ROOT/build/native" RNNLAB_NATIVE_SCALAR_BUILD="$ROOT/build/native-scalar" \
  node --test tests/js/ || failed "JavaScript API tests"

step "interop: ONNX (onnxruntime-node, onnx.checker), Keras/TF.js (@tensorflow/tfjs) and PyTorch round trips"
node --test tests/interop/ || failed "interop tests"

step "npm package: pack, install in a fresh project, Node, tsc, Vite + headless Chromium"
node --test tests/package/ || failed "npm package tests"

step "playground: its logic and defaults in Node, the built site in headless Chromium"
# Screenshots of every view land in build/web-test-output/ for people to look at.
node --test --test-concurrency=1 tests/web/ || failed "playground tests"

echo
echo "All rnnlab tests passed."
