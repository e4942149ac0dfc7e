# Clean Pixel Data checked by others' tools: dciodvfy finds no new error in cleaned outputs, and
# pydicom with pylibjpeg sees uniform boxes and unchanged pixels outside them
# (tests/conformance/check_clean_pixels.py).
set -euo pipefail
cd "$REPO_ROOT"
PY="$("$REPO_ROOT/scripts/pixels-venv.sh")"
rm -rf "$ARTIFACTS/clean-pixels"
"$PY" tests/conformance/check_clean_pixels.py --cli "$LEAKCHECK_CLI" \
    --corpus "$LEAKCHECK_CORPUS" --work "$ARTIFACTS/clean-pixels"
