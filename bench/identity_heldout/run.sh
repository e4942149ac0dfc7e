#!/usr/bin/env bash
# Held-out identity cases (issue 10, second blind set): generate, run the CLI, score it.
#
#   bench/identity_heldout/run.sh                 # build the CLI of this checkout and score it
#   bench/identity_heldout/run.sh --bin PATH      # score another binary (e.g. a branch's build)
#   bench/identity_heldout/run.sh --selftest      # score a tool that changes nothing: every
#                                                 # planted value must then be found
#   extra arguments go to check.py (--only SUBSTR, --json FILE, --work DIR)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.cache/venv-heldout2"
bin=""
selftest=0
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --selftest) selftest=1; shift ;;
    *) rest+=("$1"); shift ;;
  esac
done

need=()
command -v dciodvfy >/dev/null || need+=(dicom3tools)
command -v dcdirdmp >/dev/null || need+=(dicom3tools)
command -v dcmdump >/dev/null || need+=(dcmtk)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pydicom,sys; sys.exit(pydicom.__version__ != "3.0.2")' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pydicom==3.0.2"
fi

"$venv/bin/python" "$here/gen.py" --out "$repo/.cache/identity_heldout"

if [ "$selftest" = 1 ]; then
  exec "$venv/bin/python" "$here/check.py" --bin "$here/null_tool.py" \
    --cases "$repo/.cache/identity_heldout/cases" --work "$repo/test-artifacts/identity_heldout_null" --selftest "${rest[@]}"
fi
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --release -q -p dicom-leakcheck-cli)
  bin="$repo/target/release/dicom-leakcheck"
fi
exec "$venv/bin/python" "$here/check.py" --bin "$bin" \
  --cases "$repo/.cache/identity_heldout/cases" --work "$repo/test-artifacts/identity_heldout" \
  --json "$repo/test-artifacts/identity_heldout/results.json" "${rest[@]}"
