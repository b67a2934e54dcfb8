#!/usr/bin/env bash
# `npm test`: every test of rnnlab, on a fresh Debian/Ubuntu machine (what CI runs, .ci/run).
# The inner loop while you work is `npm run test:quick` (README "Development").
#   1. native C++ core: build (Release, portable x86-64 code, kernels picked by CPUID) with the
#      scalar reference build the baseline wasm build must match, and run every GoogleTest suite
#      (quick and slow), the kernel object checks and the build on emulated CPUs (qemu)
#   2. the same suites built with clang under AddressSanitizer + UndefinedBehaviorSanitizer, in
#      the build that also holds the libFuzzer targets (one compile of the library for both),
#      then a short libFuzzer run of every parser of outside bytes (scripts/fuzz.sh)
#   3. WebAssembly: the npm package's modules (SIMD + baseline), and the GoogleTest suites
#      compiled to wasm with the SIMD module's flags (its library objects come from ccache), run
#      under node
#   4. the JS API tests (rnnlab/worker and native-vs-wasm parity included), then the interop
#      tests against onnxruntime-node, @tensorflow/tfjs and PyTorch (python3-torch)
#   5. the package tests: npm pack, install into a fresh project, Node, tsc, Vite + headless Chromium
#   6. the playground (web/): its logic and defaults in Node, the built site and the dev server
#      in headless Chromium
# Every JS test file runs in its own process, which must end within a few seconds of its last
# test (tests/tools/run-tests.mjs). The end prints the time of each stage, and on failure which
# stage failed. Build trees live in build/ (ignored by git); compiles go through ccache when it
# is installed (scripts/setup.sh installs it), so a second run rebuilds little.
# JOBS sets parallelism (default: CPU count).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export JOBS
# shellcheck source=scripts/stages.sh
. scripts/stages.sh

stage "dependencies" scripts/setup.sh
# New build directories compile through ccache (CMake reads this variable when it first configures).
if [ -z "${CMAKE_CXX_COMPILER_LAUNCHER+set}" ] && command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi

# (RNNLAB_REQUIRE_QEMU: setup.sh installed qemu-user, so the emulated-CPU test must not go missing.)
qemu=OFF
[ "$(uname -m)" = x86_64 ] && qemu=ON
stage "native build, and the scalar reference build of training_trace for the wasm parity test" \
  scripts/native-fresh.sh --scalar -DRNNLAB_REQUIRE_QEMU=$qemu

stage "native tests (ctest: quick and slow)" \
  ctest --test-dir build/native --output-on-failure -j "$JOBS"

# Every suite, the slow numeric ones included; any sanitizer report fails its test. The same
# directory holds the fuzz targets (RNNLAB_FUZZ implies RNNLAB_SANITIZE), which scripts/fuzz.sh
# runs next. (The kernel object and qemu checks are about the release binary: not here.)
sanitize_build() {
  cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DRNNLAB_FUZZ=ON -DRNNLAB_BUILD_BENCH=OFF >/dev/null
  cmake --build build/sanitize -j "$JOBS"
}
stage "clang build under AddressSanitizer + UndefinedBehaviorSanitizer, with the libFuzzer targets" sanitize_build
stage "native tests under ASan + UBSan (ctest label sanitize)" \
  env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize --output-on-failure -j "$JOBS"

stage "fuzzing: a short libFuzzer run of each target (scripts/fuzz.sh 60 is the documented bounded run)" \
  env BUILD_DIR="$ROOT/build/sanitize" scripts/fuzz.sh "${RNNLAB_FUZZ_SECONDS:-5}"

stage "wasm build: the npm package's modules, and the GoogleTest suites compiled to wasm" \
  env BUILD_ROOT="$ROOT/build" scripts/build-wasm.sh --tests

stage "core tests compiled to wasm, run by node (ctest label wasm)" \
  ctest --test-dir build/build-wasm-tests --output-on-failure -j "$JOBS"

# parity_native.test.mjs runs build/native's and build/native-scalar's training_trace against
# both wasm builds.
stage "JavaScript API tests (incl. rnnlab/worker and native-vs-wasm parity)" \
  env RNNLAB_NATIVE_BUILD="$ROOT/build/native" RNNLAB_NATIVE_SCALAR_BUILD="$ROOT/build/native-scalar" \
  node tests/tools/run-tests.mjs --jobs 2 tests/js

stage "interop: ONNX (onnxruntime-node, onnx.checker), Keras/TF.js (@tensorflow/tfjs) and PyTorch round trips" \
  node tests/tools/run-tests.mjs tests/interop

stage "npm package: pack, install in a fresh project, Node, tsc, Vite + headless Chromium" \
  node tests/tools/run-tests.mjs tests/package

# Screenshots of every view land in build/web-test-output/ for people to look at.
stage "playground: its logic and defaults in Node, the built site in headless Chromium" \
  node tests/tools/run-tests.mjs tests/web

stages_done
echo
echo "All rnnlab tests passed."
