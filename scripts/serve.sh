#!/usr/bin/env bash
# Runs the playground locally: release build, then a static server on dist/.
#   scripts/serve.sh [PORT]   (default 8080) -> http://127.0.0.1:PORT/
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
port="${1:-8080}"
scripts/setup.sh            # installs what a fresh machine lacks (idempotent)
cargo fetch --quiet
trunk build --release
echo "netpol playground: http://127.0.0.1:${port}/  (Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
