#!/usr/bin/env bash
# The web page of dicom-leakcheck, built and served on this computer:
#
#   scripts/run.sh                 build dist/ and serve it at http://127.0.0.1:8080/
#   PORT=9000 scripts/run.sh       another port
#   scripts/run.sh --build-only    build dist/ (and dist/dicom-leakcheck.html) and stop
#
# Installs what it needs itself: the wasm32 Rust target (rustup) and the npm devDependencies
# (`npm ci`: fflate, binaryen's wasm-opt, playwright-core). Needs rustup and Node 20 with npm.
# The server binds to 127.0.0.1 only; the page never sends anything anywhere.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --build-only) BUILD_ONLY=1 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

for cmd in cargo rustup node npm; do
    command -v "$cmd" >/dev/null 2>&1 || { echo "run.sh: $cmd is needed (rustup and Node 20 with npm)" >&2; exit 1; }
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "run.sh: rustup target add wasm32-unknown-unknown" >&2
    rustup target add wasm32-unknown-unknown >&2
fi

# npm ci only when package-lock.json changed since the last install.
stamp="node_modules/.dicom-leakcheck-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    echo "run.sh: npm ci" >&2
    npm ci --no-audit --no-fund >&2
    echo "$want" >"$stamp"
fi

cargo xtask build-wasm

echo
echo "Single-file build (open it directly, works offline): $ROOT/dist/dicom-leakcheck.html"
if [[ "$BUILD_ONLY" == "1" ]]; then
    exit 0
fi
PORT="${PORT:-8080}"
echo "The page: http://127.0.0.1:$PORT/   (Ctrl+C stops the server)"
echo
exec env PORT="$PORT" HOST=127.0.0.1 node scripts/serve.mjs "$ROOT/dist"
