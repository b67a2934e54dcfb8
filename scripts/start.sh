#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the WebAssembly modules if needed, then serves
# the playground (Vite's server, with the COOP/COEP headers) and prints its local URL.
# PORT picks the port (default 5173). The Node demo of the API is `npm run demo`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
scripts/setup.sh --no-browser
scripts/wasm-fresh.sh
exec node node_modules/vite/bin/vite.js --config web/vite.config.js --port "${PORT:-5173}" "$@"
