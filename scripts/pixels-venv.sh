#!/usr/bin/env bash
# Creates (or refreshes when the pinned requirements change) the Python environment with the
# independent pixel decoders, .cache/venv-pixels, and prints its python's path.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.cache/venv-pixels"
REQ="$ROOT/tests/conformance/requirements-pixels.txt"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || ! -f "$STAMP" || "$(cat "$STAMP")" != "$want" ]]; then
    echo "creating $VENV" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
    echo "$want" >"$STAMP"
fi
echo "$VENV/bin/python"
