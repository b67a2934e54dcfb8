#!/usr/bin/env bash
# `npm run build:web`: the playground as a static site in web/dist/ (relative paths: copy it to
# any static host or sub-folder). Serve it with the COOP/COEP headers, e.g. `npm run preview:web`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
scripts/setup.sh --no-browser
scripts/wasm-fresh.sh
exec node node_modules/vite/bin/vite.js build --config web/vite.config.js "$@"
