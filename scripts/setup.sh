#!/usr/bin/env bash
# Installs everything a fresh machine lacks for building and testing netpol-playground.
# Idempotent: each step checks before it installs. Only package registries are used
# (crates.io, npm, PyPI, Debian apt); nothing is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock 2>/dev/null | sed -n 's/^version = "\(.*\)"/\1/p' | head -n1)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

log() { printf '[setup] %s\n' "$*"; }

what="${1:-all}"   # all | native | web

if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then
  rustup component add clippy rustfmt || true
fi

# The independent analyser for scripts/crosscheck-nca.sh (PyPI, versions pinned in
# tools/nca-requirements.txt), in its own virtualenv.
if ! cmp -s tools/nca-requirements.txt tools/nca-venv/installed.txt 2>/dev/null; then
  log "installing network-config-analyzer (NCA) into tools/nca-venv from PyPI"
  rm -rf tools/nca-venv
  python3 -m venv tools/nca-venv
  tools/nca-venv/bin/pip install --quiet --disable-pip-version-check -r tools/nca-requirements.txt
  cp tools/nca-requirements.txt tools/nca-venv/installed.txt
fi

# The JSON schema validator that checks `netpol lint --format sarif` against the SARIF
# 2.1.0 schema (scripts/check-sarif.sh; PyPI, pinned in tools/sarif-requirements.txt).
if ! cmp -s tools/sarif-requirements.txt tools/sarif-venv/installed.txt 2>/dev/null; then
  log "installing jsonschema into tools/sarif-venv from PyPI"
  rm -rf tools/sarif-venv
  python3 -m venv tools/sarif-venv
  tools/sarif-venv/bin/pip install --quiet --disable-pip-version-check -r tools/sarif-requirements.txt
  cp tools/sarif-requirements.txt tools/sarif-venv/installed.txt
fi

# Graphviz (Debian's): `netpol connlist --format dot` is checked with `dot -Tsvg` by
# crates/netpol-cli/tests/graphs.rs, which fails without it when CI is set.
if ! command -v dot >/dev/null; then
  log "installing graphviz from Debian"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq graphviz >/dev/null
fi

[ "$what" = native ] && exit 0

if ! command -v trunk >/dev/null || ! trunk --version | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi
if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  # --locked fails for 0.2.130 (its lock file names a crate version missing from the registry)
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -d tools/node_modules/@playwright/test ]; then
  log "installing node tools (binaryen, playwright) from the npm registry"
  (cd tools && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
# The page's JavaScript packages (CodeMirror, dagre, esbuild), pinned by web/editor/package-lock.json:
# installed again only when the lock file changed since the last install.
if ! cmp -s web/editor/package-lock.json web/editor/node_modules/.installed-lock.json 2>/dev/null; then
  log "installing the page's JavaScript packages (CodeMirror, dagre, esbuild) from the npm registry"
  (cd web/editor && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.installed-lock.json)
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing chromium and chromium-driver from Debian"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
log "all tools present"
