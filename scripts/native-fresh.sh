#!/usr/bin/env bash
# Brings the native builds up to date (incremental; through ccache when it is installed):
#   build/native          Release, kernels picked by CPUID: the GoogleTest suites, the checks,
#                         the benchmarks and training_trace
#   build/native-scalar   (--scalar) portable kernels, scalar Eigen: only training_trace, the
#                         reference the baseline wasm build must match bit for bit
#                         (tests/js/parity_native.test.mjs)
#
#   scripts/native-fresh.sh [--scalar] [--traces] [cmake -D options for build/native ...]
#
# --traces: only training_trace in both directories (what the JS parity test runs).
#
# A build directory is configured when it has no cache yet or when options are given.
# Environment: JOBS (default: CPU count).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
scalar=0
targets=()
options=()
for arg in "$@"; do
  case "$arg" in
    --scalar) scalar=1 ;;
    --traces) scalar=1 targets=(--target training_trace) ;;
    -D*) options+=("$arg") ;;
    *) echo "native-fresh.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
launcher=()
if [ -z "${CMAKE_CXX_COMPILER_LAUNCHER+set}" ] && command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

if [ ! -f build/native/CMakeCache.txt ] || [ ${#options[@]} -gt 0 ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DRNNLAB_BUILD_BENCH=ON "${launcher[@]}" "${options[@]}" >/dev/null
fi
cmake --build build/native -j "$JOBS" "${targets[@]}"
if [ "$scalar" = 1 ]; then
  if [ ! -f build/native-scalar/CMakeCache.txt ]; then
    cmake -S . -B build/native-scalar -DCMAKE_BUILD_TYPE=Release -DRNNLAB_BUILD_BENCH=OFF \
      -DRNNLAB_NATIVE_ARCH=OFF -DCMAKE_CXX_FLAGS=-DEIGEN_DONT_VECTORIZE "${launcher[@]}" >/dev/null
  fi
  cmake --build build/native-scalar -j "$JOBS" --target training_trace
fi
