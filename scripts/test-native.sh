#!/usr/bin/env bash
# `npm run test:native [-- ctest options]`: the native build brought up to date (incremental),
# then its GoogleTest suites and checks. Examples:
#   npm run test:native                 every native test (quick and slow)
#   npm run test:native -- -L quick     the quick tier only
#   npm run test:native -- -R Gru       the tests whose name matches
# Environment: JOBS (default: CPU count).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export JOBS
scripts/native-fresh.sh
exec ctest --test-dir build/native --output-on-failure -j "$JOBS" "$@"
