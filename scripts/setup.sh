#!/usr/bin/env bash
# Installs what rnnlab's build and tests need, then the npm packages.
#   scripts/setup.sh            everything (native build, wasm build, browser tests, sanitizers, fuzzing)
#   scripts/setup.sh --no-browser   what `npm start` needs: skips Chromium (browser tests) and
#                                   clang (the sanitizer build and the fuzz targets)
#
# On Debian/Ubuntu, missing packages are installed with apt-get when running as root or with
# sudo. Elsewhere it says what to install by hand. Node.js >= 20.16 must already be present
# (it runs this script through npm).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

browser=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) browser=0 ;;
    *) echo "setup.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*"; }

# Node >= 20.16: the wasm glue uses process.getBuiltinModule under Node.
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=16)?0:1)' || {
  echo "rnnlab needs Node.js >= 20.16 (found $(node --version)). Install a current Node.js (https://nodejs.org or NodeSource's Debian packages)." >&2
  exit 1
}

# Debian package -> a file (or a glob matching one) that proves it is installed.
declare -A probe=(
  [cmake]=/usr/bin/cmake
  [g++]=/usr/bin/g++
  [make]=/usr/bin/make
  [libgtest-dev]=/usr/include/gtest/gtest.h
  [googletest]=/usr/src/googletest/CMakeLists.txt
  [libeigen3-dev]=/usr/include/eigen3/Eigen/Core
  [emscripten]=/usr/bin/emcc
  [wabt]=/usr/bin/wasm-objdump
  # Compiler cache: the build scripts compile through it, so a second build of any directory
  # (and of another checkout) recompiles only what changed.
  [ccache]=/usr/bin/ccache
)
[ "$browser" = 1 ] && probe[chromium]=/usr/bin/chromium
# The sanitizer build and the fuzz targets (scripts/fuzz.sh): clang with its sanitizer and
# libFuzzer runtimes (Debian ships those in libclang-rt-dev, only recommended by clang).
if [ "$browser" = 1 ]; then
  probe[clang]=/usr/bin/clang++
  probe[libclang-rt-dev]="/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-$(uname -m).a"
fi
# The interop tests (tests/interop): PyTorch and ONNX's checker for Debian's python3
# (rnnlab_torch.py, the torch.onnx.export fixtures, onnx.checker on every export).
if [ "$browser" = 1 ]; then
  probe[python3-torch]=/usr/lib/python3/dist-packages/torch/__init__.py
  probe[python3-onnx]=/usr/lib/python3/dist-packages/onnx/__init__.py
fi
# x86-64: the native tests run the build on emulated older CPUs (tests/check_dispatch_qemu.sh).
[ "$(uname -m)" = x86_64 ] && probe[qemu-user]=/usr/bin/qemu-x86_64

missing=()
for pkg in "${!probe[@]}"; do
  compgen -G "${probe[$pkg]}" >/dev/null || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
    if [ "$sudo" != none ]; then
      say "installing Debian packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      $sudo apt-get update -q
      $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
      echo "Missing packages: ${missing[*]}. Run: sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
  else
    cat >&2 <<MSG
Missing tools: ${missing[*]}
This script installs them itself only on Debian/Ubuntu. Elsewhere install by hand:
  macOS (Homebrew): brew install cmake googletest eigen emscripten wabt ccache llvm  (+ Google Chrome or
                    Chromium, then set CHROMIUM=/path/to/chrome for the browser tests)
  Fedora:           dnf install cmake gcc-c++ gtest-devel eigen3-devel emscripten wabt ccache chromium clang compiler-rt
  Arch:             pacman -S cmake gcc gtest eigen emscripten wabt ccache chromium clang compiler-rt
The native build needs CMake >= 3.20, a C++17 compiler, GoogleTest and Eigen 3.4; the wasm
build needs Emscripten (tested with 3.1.6); the browser tests need Chromium; the sanitizer
build and the fuzz targets need clang with its compiler-rt (libFuzzer, ASan, UBSan).
MSG
    exit 1
  fi
fi

# npm packages (test drivers, bundler, charts): exactly the locked versions when a lock exists.
if [ -f package-lock.json ]; then
  [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || { say "npm ci"; npm ci --no-audit --no-fund; }
else
  say "npm install"; npm install --no-audit --no-fund
fi
# The interop tests' runtimes (onnxruntime-node, @tensorflow/tfjs) in their own folder, so the
# package's own install stays small. --ignore-scripts: onnxruntime-node's install script
# downloads GPU libraries from outside the npm registry; its CPU binary ships in the package.
if [ "$browser" = 1 ]; then
  (cd tests/interop && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || { say "npm ci (tests/interop)"; npm ci --ignore-scripts --no-audit --no-fund; }; })
fi
say "ready"
