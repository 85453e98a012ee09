#!/usr/bin/env bash
# The browser benchmark (issue 5): builds the playground with the `bench` feature into
# dist-bench/ (release profile and wasm-opt, as the page), then runs tests/e2e/bench.spec.js
# in headless Chromium. Prints the medians and writes tests/e2e/output/bench.json.
# Takes a few minutes (the 5,000-pod cluster is about 10 MB of YAML); not part of
# scripts/test-web.sh, where the spec is skipped. Tools: scripts/setup.sh web.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
for tool in trunk wasm-bindgen wasm-opt chromium; do
  command -v "$tool" >/dev/null || { echo "[bench-web] missing $tool: run scripts/setup.sh web" >&2; exit 1; }
done
cargo fetch --quiet
rm -rf dist-bench
trunk build --release --features bench --dist dist-bench
mkdir -p tests/e2e/output
(cd tools && BENCH=1 E2E_DIST=dist-bench E2E_PORT="${E2E_PORT:-8139}" NODE_PATH="$PWD/node_modules" \
  playwright test -c playwright.config.js bench.spec.js firstload.spec.js)
echo "[bench-web] tests/e2e/output/bench.json"
