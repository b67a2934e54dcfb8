#!/usr/bin/env bash
# Builds the npm package's WebAssembly modules into dist/wasm/:
#   rnnlab-simd.{mjs,wasm}      -msimd128, the wasm SIMD kernels, wasm exception handling
#   rnnlab-baseline.{mjs,wasm}  no SIMD, JS-based exceptions (for runtimes without SIMD)
#   rnnlab-simd-threads.{mjs,wasm,worker.js}  the SIMD build with -pthread and JS-based
#                               exceptions (cross-origin isolated pages, workers and Node)
#
#   scripts/build-wasm.sh [simd|baseline|simd-threads|tests ...] [--tests] [--debug] [--clean] [--profiling]
#
# tests (or --tests, with the modules): the GoogleTest suites compiled to wasm with the SIMD
# kernels, in $BUILD_ROOT/build-wasm-tests; run them with `ctest --test-dir` there (label wasm).
# Its library objects are compiled with the SIMD module's exact flags, so through ccache the
# core compiles once for both (only the Eigen-based portable set, which the suites compare with
# and the module leaves out, is extra).
# --profiling keeps function names in the modules (for bench/js/profile.mjs); the default
# build (what npm ships) has none: dist/wasm/rnnlab-<variant>.mjs.symbols lists them.
#
# Environment: BUILD_ROOT (default /tmp: build dirs $BUILD_ROOT/build-wasm-<variant>),
# OUT_DIR (default <repo>/dist/wasm), JOBS (default 2), and for experiments
# RNNLAB_WASM_EXCEPTIONS=wasm|js (default: wasm for simd, js for baseline); RNNLAB_CMAKE_EXTRA
# adds arguments to the configure step.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_ROOT=${BUILD_ROOT:-/tmp}
OUT_DIR=${OUT_DIR:-$ROOT/dist/wasm}
JOBS=${JOBS:-2}
BUILD_TYPE=Release
CLEAN=0
PROFILING=OFF
TESTS=0
VARIANTS=()

for arg in "$@"; do
  case "$arg" in
    simd|baseline|simd-threads|tests) VARIANTS+=("$arg") ;;
    --tests) TESTS=1 ;;
    --debug) BUILD_TYPE=Debug ;;
    --clean) CLEAN=1 ;;
    --profiling) PROFILING=ON ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-wasm.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(simd baseline simd-threads)
[ "$TESTS" = 1 ] && [[ " ${VARIANTS[*]} " != *" tests "* ]] && VARIANTS+=(tests)

for tool in emcmake emcc cmake; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-wasm.sh: '$tool' not found on PATH." >&2
    echo "  Install Emscripten (Debian: apt-get install emscripten) and CMake >= 3.21." >&2
    exit 1
  fi
done

# Debian's emcc links with Debian's acorn, which NodeSource's node only finds through
# NODE_PATH (ARCHITECTURE.md, "Toolchain": "Cannot find module 'acorn'").
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

if [ -z "${CMAKE_CXX_COMPILER_LAUNCHER+set}" ] && command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi

mkdir -p "$OUT_DIR"
for variant in "${VARIANTS[@]}"; do
  build_dir=$BUILD_ROOT/build-wasm-$variant
  simd=ON threads=OFF
  [ "$variant" = baseline ] && simd=OFF
  [ "$variant" = simd-threads ] && threads=ON
  [ "$CLEAN" = 1 ] && rm -rf "$build_dir"
  extra=("-DRNNLAB_WASM_PROFILING=$PROFILING")
  # The SIMD modules multiply with their own kernels: no Eigen-based portable set in them (the
  # test suites compare every set with it).
  # Nor the scalar reference set, which only the suites run.
  [ "$simd" = ON ] && [ "$variant" != tests ] && extra+=("-DRNNLAB_PORTABLE_KERNELS=OFF" "-DRNNLAB_REFERENCE_KERNELS=OFF")
  if [ -n "${RNNLAB_WASM_EXCEPTIONS:-}" ]; then
    extra+=("-DRNNLAB_WASM_EXCEPTIONS=$RNNLAB_WASM_EXCEPTIONS")
  elif [ "$variant" = simd-threads ]; then
    # Emscripten 3.1.6 (Debian) has no multithreaded libc++abi for wasm exception handling:
    # with -pthread a typed catch misses the core's errors, so this build uses JS exceptions.
    extra+=("-DRNNLAB_WASM_EXCEPTIONS=js")
  fi
  [ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && extra+=("-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER")
  tests=OFF
  if [ "$variant" = tests ]; then
    # The suites and GoogleTest, no Embind module; node runs them (emcmake's default emulator
    # passes --experimental-wasm-threads, which Node 20 rejects).
    tests=ON
    extra+=(-DRNNLAB_BUILD_BINDINGS=OFF "-DCMAKE_CROSSCOMPILING_EMULATOR=$(command -v node)")
  fi
  echo "== rnnlab wasm: $variant ($BUILD_TYPE) in $build_dir"
  # shellcheck disable=SC2206
  configure=("$ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DRNNLAB_BUILD_TESTS=$tests
             -DRNNLAB_BUILD_BENCH=OFF -DRNNLAB_WASM_SIMD="$simd" -DRNNLAB_WASM_THREADS="$threads"
             -DRNNLAB_WASM_OUT_DIR="$OUT_DIR" ${RNNLAB_CMAKE_EXTRA:-} "${extra[@]}")
  # Configured before with the same options: the build step re-runs CMake itself when a CMake
  # file changed (emcmake's configure step alone takes a while; a rebuild after an edit skips it).
  stamp=$build_dir/rnnlab-configure-options
  if [ ! -f "$build_dir/CMakeCache.txt" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${configure[*]}" ]; then
    emcmake cmake "${configure[@]}" >/dev/null
    printf '%s' "${configure[*]}" >"$stamp"
  fi
  cmake --build "$build_dir" -j"$JOBS"
  [ "$variant" = tests ] && continue
  for ext in mjs wasm; do
    f=$OUT_DIR/rnnlab-$variant.$ext
    [ -s "$f" ] || { echo "build-wasm.sh: $f was not produced" >&2; exit 1; }
  done
  echo "   $(du -h "$OUT_DIR/rnnlab-$variant.wasm" | cut -f1) $OUT_DIR/rnnlab-$variant.wasm"
done
# Emscripten's pthread worker script is CommonJS: in this "type": "module" package Node would
# load it as an ES module without a marker beside it (the .mjs glue stays ESM whatever it says).
if [ -e "$OUT_DIR/rnnlab-simd-threads.worker.js" ]; then
  echo '{ "type": "commonjs" }' > "$OUT_DIR/package.json"
fi
