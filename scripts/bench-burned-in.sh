#!/usr/bin/env bash
# The burned-in text benchmark in one step: sets up fonts, venv and pinned sources
# (bench/burned_in/setup.sh), builds the release CLI, builds the set into .cache/burned-in/set
# and scores the CLI on it into test-artifacts/burned-in/ (score.md, score.json, boxes.jsonl).
#
#   scripts/bench-burned-in.sh            # everything
#   SKIP_BUILD=1 scripts/bench-burned-in.sh   # keep the existing target/release binary
#   NO_OCR=1 scripts/bench-burned-in.sh       # without the text reader (text found, not read)
# The text reader's OCR models come from scripts/fetch-models.sh (LEAKCHECK_OCR_MODELS).
# Details: bench/burned_in/README.md
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$(bench/burned_in/setup.sh | tail -n 1)"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    cargo build --release --quiet -p dicom-leakcheck-cli
fi
if [[ "${NO_OCR:-}" == 1 ]]; then
    export LEAKCHECK_OCR_MODELS=""
else
    LEAKCHECK_OCR_MODELS="$(scripts/fetch-models.sh | tail -n 1)"
    export LEAKCHECK_OCR_MODELS
fi
"$PY" bench/burned_in/build_set.py
"$PY" bench/burned_in/score.py --cli target/release/dicom-leakcheck
