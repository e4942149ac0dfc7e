# Pixel decoding against an independent decoder: pydicom 3.0.2 with pylibjpeg's libjpeg,
# OpenJPEG and RLE plugins (tests/conformance/requirements-pixels.txt) writes reference values
# for the corpus, then tests/pixels_corpus.rs compares ours and prints a table per transfer
# syntax.
set -euo pipefail
cd "$REPO_ROOT"
VENV="$REPO_ROOT/.cache/venv-pixels"
REQ="$REPO_ROOT/tests/conformance/requirements-pixels.txt"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || ! -f "$STAMP" || "$(cat "$STAMP")" != "$want" ]]; then
    echo "creating $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
    echo "$want" >"$STAMP"
fi
OUT="$ARTIFACTS/pixels-reference"
rm -rf "$OUT"
mkdir -p "$OUT"
"$VENV/bin/python" tests/conformance/decode_reference.py --corpus "$LEAKCHECK_CORPUS" --out "$OUT"
LEAKCHECK_PIXEL_REF="$OUT" cargo test --release --test pixels_corpus -- --nocapture
