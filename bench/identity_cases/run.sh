#!/usr/bin/env bash
# Held-out identity-leak cases (issue 10): generate the cases and check a dicom-leakcheck binary.
#
#   bench/identity_cases/run.sh PATH/TO/dicom-leakcheck [check_cases.py options, e.g. --only c02]
#
# Installs what it needs: dicom3tools (dciodvfy, dcdirdmp) and dcmtk via apt-get when missing,
# pydicom 3.0.2 (pinned, hash-checked) into .cache/venv-identity. Cases are generated into
# .cache/identity_cases/cases, outputs and results go to test-artifacts/identity_cases/ (both
# git-ignored; no DICOM file is ever committed). Exit 0 when every case passes, 1 otherwise.
set -euo pipefail
if [ $# -lt 1 ]; then
    sed -n '2,9p' "$0"
    exit 2
fi
BIN="$(realpath "$1")"
shift
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

missing=()
command -v dciodvfy >/dev/null && command -v dcdirdmp >/dev/null || missing+=(dicom3tools)
command -v dcmdump >/dev/null || missing+=(dcmtk)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${missing[@]}"
fi

VENV=.cache/venv-identity
REQ="$HERE/requirements.txt"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements.txt"; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --require-hashes -r "$REQ"
    cp "$REQ" "$VENV/.requirements.txt"
fi

"$VENV/bin/python" "$HERE/gen_cases.py" --out .cache/identity_cases/cases
exec "$VENV/bin/python" "$HERE/check_cases.py" --bin "$BIN" \
    --cases .cache/identity_cases/cases --work test-artifacts/identity_cases "$@"
