#!/usr/bin/env bash
# npm's prepack hook (`npm pack`, `npm publish`): the package must hold the WebAssembly builds
# (SIMD, baseline, and SIMD with threads plus its worker script).
# When dist/wasm lacks one, or the C++ sources are newer than it, builds them with
# scripts/build-wasm.sh (build trees in $BUILD_ROOT, default build/); without Emscripten, or
# with RNNLAB_PREPACK_BUILD=0 (a pipeline that builds separately), stops and says how.
# Messages go to stderr: `npm pack --json` keeps stdout for its JSON.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf 'prepack: %s\n' "$*" >&2; }

outputs=(dist/wasm/rnnlab-simd.mjs dist/wasm/rnnlab-simd.wasm dist/wasm/rnnlab-baseline.mjs dist/wasm/rnnlab-baseline.wasm
         dist/wasm/rnnlab-simd-threads.mjs dist/wasm/rnnlab-simd-threads.wasm
         dist/wasm/rnnlab-simd-threads.worker.js dist/wasm/package.json)
why=""
for f in "${outputs[@]}"; do
  [ -s "$f" ] || { why="$f is missing"; break; }
done
if [ -z "$why" ]; then
  oldest=$(ls -tr "${outputs[@]}" | head -n 1)
  newer=$(find src bindings CMakeLists.txt -newer "$oldest" -type f \
            \( -name '*.cpp' -o -name '*.h' -o -name CMakeLists.txt -o -name node_esm_pre.js -o -name threads_post.js \) -print -quit)
  [ -z "$newer" ] || why="$newer is newer than $oldest"
fi

if [ -n "$why" ]; then
  if [ "${RNNLAB_PREPACK_BUILD:-1}" = 0 ] || ! command -v emcmake >/dev/null 2>&1; then
    say "cannot pack: $why, and the package must ship both WebAssembly builds."
    say "Build them first: install Emscripten (Debian: apt-get install emscripten, or scripts/setup.sh),"
    say "then run 'npm run build:wasm' and 'npm pack' (or 'npm publish') again."
    exit 1
  fi
  say "$why: building the WebAssembly modules (scripts/build-wasm.sh)"
  BUILD_ROOT=${BUILD_ROOT:-$ROOT/build} scripts/build-wasm.sh >&2
fi
for f in "${outputs[@]}"; do
  [ -s "$f" ] || { say "$f was not produced"; exit 1; }
done
say "dist/wasm holds both builds"
