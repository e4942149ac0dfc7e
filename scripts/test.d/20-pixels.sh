# Pixel decoding against an independent decoder: pydicom 3.0.2 with pylibjpeg's libjpeg,
# OpenJPEG and RLE plugins (tests/conformance/requirements-pixels.txt) writes reference values
# for the corpus, then crates/core/src/pixels/decode/tests/corpus.rs compares ours and prints a table per transfer
# syntax.
set -euo pipefail
cd "$REPO_ROOT"
PY="$("$REPO_ROOT/scripts/pixels-venv.sh")"
OUT="$ARTIFACTS/pixels-reference"
rm -rf "$OUT"
mkdir -p "$OUT"
"$PY" tests/conformance/decode_reference.py --corpus "$LEAKCHECK_CORPUS" --out "$OUT"
LEAKCHECK_PIXEL_REF="$OUT" cargo test --release -p dicom-leakcheck --lib frames_match_the_reference_decoder -- --ignored --nocapture
