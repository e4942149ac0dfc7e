# The benchmark on a tiny corpus, one run per tool (bench/run.sh --quick): keeps bench/run.sh
# working. It installs the other tools itself (Debian dcmtk, libgdcm-tools; PyPI deid,
# dicognito, dcmanon in .cache/bench-venv; npm dcmjs, dicom-parser). The numbers are not kept
# as results (bench/results/ is git-ignored); the full benchmark is `bench/run.sh`.
set -euo pipefail
"$REPO_ROOT/scripts/setup.sh" --browser
# The build step made the release CLI and 50-web made dist/: reuse them when both are there.
cli="${LEAKCHECK_CLI:-$REPO_ROOT/target/release/dicom-leakcheck}"
if [[ -x "$cli" && -f "$REPO_ROOT/dist/pkg/dicom_leakcheck_bg.wasm" ]]; then
    export SKIP_BUILD=1
fi
"$REPO_ROOT/bench/run.sh" --quick
test -s "$REPO_ROOT/bench/results/latest.json"
