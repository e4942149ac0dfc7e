# The burned-in text benchmark (bench/burned_in, issue 9) with the text reader: builds the set
# from pinned public images and Debian fonts, scores the release CLI on it and fails when a
# figure of the tune part drops below its floor (bench/burned_in/floors.json). About 8 minutes
# on 2 cores; the tables land in $ARTIFACTS/burned-in/score.md.
set -euo pipefail
cd "$REPO_ROOT"
PY="$(bench/burned_in/setup.sh | tail -n 1)"
"$PY" bench/burned_in/build_set.py
LEAKCHECK_OCR_MODELS="${LEAKCHECK_OCR_MODELS:-$(scripts/fetch-models.sh | tail -n 1)}" \
    "$PY" bench/burned_in/score.py --cli "$LEAKCHECK_CLI" --out "$ARTIFACTS/burned-in"
"$PY" bench/burned_in/check_floors.py "$ARTIFACTS/burned-in/score.json"
