#!/usr/bin/env bash
# `npm run test:quick`: the inner loop, while you work (a few minutes on 2 cores once the builds
# exist). Rebuilds what is stale (the native build incrementally, the wasm modules when older
# than their sources), then runs the native suites without the slow cases (ctest -L quick), the
# JS API tests, and one browser smoke test (the dev server's page trains in Chromium).
# `npm test` is the full suite (slow cases, sanitizers, fuzzing, wasm suites, package, playground).
# Environment: JOBS (default: CPU count).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export JOBS
# shellcheck source=scripts/stages.sh
. scripts/stages.sh

# (A second or two when nothing is missing; after a merge that added an npm package, npm ci.)
stage "dependencies" scripts/setup.sh
stage "native build (incremental) + the scalar reference for the parity test" scripts/native-fresh.sh --scalar
stage "wasm modules (rebuilt when older than their sources)" scripts/wasm-fresh.sh
stage "native suites, quick tier (ctest -L quick)" \
  ctest --test-dir build/native -L quick -j "$JOBS" --output-on-failure
stage "JavaScript API tests (tests/js, two files at a time)" node tests/tools/run-tests.mjs --jobs 2 tests/js
stage "browser smoke test (the dev server's page trains in Chromium)" \
  node tests/tools/run-tests.mjs tests/web/devserver.test.mjs
stages_done
echo "Quick tests passed (the full suite: npm test)."
