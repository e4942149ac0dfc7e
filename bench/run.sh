#!/usr/bin/env bash
# The benchmark, in one command (from any directory):   bench/run.sh [--headline | --quick] [--no-browser]
#
#   --headline    only the mixed batch (bench/mixed_set.py: 100 public files, 61.8 MB, 15 sources)
#                 and the issue's comparisons, printed side by side as ratios in one run: wasm
#                 inspect vs dicom-parser, wasm deidentify vs dcmjs (Chromium), CLI deid vs
#                 dcmodify (one and two processes) with peak memory, CLI inspect --json; 5 runs
#                 each, the tools taking turns (A B A B). About 3 minutes on 2 cores.
#
#   1. installs the other tools when missing: Debian dcmtk (dcmodify), libgdcm-tools (gdcmanon),
#      time, openssl, chromium; PyPI deid, dicognito, dcmanon (pinned, in .cache/bench-venv, with
#      pydicom for the corpus); npm dcmjs, dicom-parser (pinned devDependencies, `npm ci`);
#   2. builds ours: `cargo build --release` (CLI) and `cargo xtask build-wasm` (dist/pkg);
#   3. builds the corpus in .cache/bench/corpus (bench/make_corpus.py): the pinned pydicom
#      corpus (scripts/fetch-corpus.sh), 1,000 small files, 100 MB and 500 MB multi-frames;
#   4. bench/touch.py: what each tool changes in one synthetic file (the jobs differ);
#      bench/cli_bench.py: every tool over every set, 3 runs each, median;
#   5. bench/browser_bench.mjs: wasm vs dcmjs vs dicom-parser in Chromium;
#   6. bench/report.py: prints the tables and writes bench/results/latest.json.
#
#   --quick       tiny corpus (.cache/bench/corpus-quick: 24 + 20 small files, one 10 MB
#                 multi-frame), 1 run each: checks that the benchmark still works (CI step
#                 scripts/test.d/60-bench-quick.sh); its numbers mean little
#   --no-browser  skip the browser part
# REPS=N overrides the number of runs; SKIP_BUILD=1 uses the built CLI and dist/ as they are;
# LEAKCHECK_CLI=BIN benchmarks another build of the CLI, LEAKCHECK_PKG=DIR another build of
# the wasm module (a dist/pkg folder); PROFILE=1 lists our slowest files in the browser.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
T0=$SECONDS
log() { echo "bench: $*" >&2; }

QUICK=0
HEADLINE=0
BROWSER=1
for a in "$@"; do
    case "$a" in
        --quick) QUICK=1 ;;
        --headline) HEADLINE=1 ;;
        --no-browser) BROWSER=0 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown argument: $a" >&2; exit 2 ;;
    esac
done
if [[ "$QUICK" == 1 ]]; then
    REPS="${REPS:-1}"; CORPUS="$ROOT/.cache/bench/corpus-quick"; WORK="$ROOT/.cache/bench/work-quick"
    MODE=quick; MAKE_ARGS=(--quick)
elif [[ "$HEADLINE" == 1 ]]; then
    REPS="${REPS:-5}"; CORPUS="$ROOT/.cache/bench/corpus"; WORK="$ROOT/.cache/bench/work-headline"
    MODE=headline; MAKE_ARGS=()
else
    REPS="${REPS:-3}"; CORPUS="$ROOT/.cache/bench/corpus"; WORK="$ROOT/.cache/bench/work"
    MODE=full; MAKE_ARGS=()
fi

# ---- 1. the other tools ------------------------------------------------------------------------
# Pinned versions. Debian's packages are whatever bookworm ships (recorded in the results).
PIP_PINS=(pydicom==3.0.2 deid==0.4.13 dicognito==0.19.0 dcmanon==0.3.1)
declare -a want=()
command -v dcmodify >/dev/null 2>&1 || want+=(dcmtk)
command -v gdcmanon >/dev/null 2>&1 || want+=(libgdcm-tools)
[[ -x /usr/bin/time ]] || want+=(time)
command -v openssl >/dev/null 2>&1 || want+=(openssl)
[[ "$BROWSER" == 1 && ! -x /usr/bin/chromium ]] && want+=(chromium)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || want+=(python3-venv)
if ((${#want[@]})); then
    log "apt-get install ${want[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_log="$(mktemp)"
    if ! apt-get install -y -q --no-install-recommends "${want[@]}" >"$apt_log" 2>&1; then
        apt-get update -q >"$apt_log" 2>&1 || { cat "$apt_log" >&2; exit 1; }
        apt-get install -y -q --no-install-recommends "${want[@]}" >"$apt_log" 2>&1 || { cat "$apt_log" >&2; exit 1; }
    fi
    rm -f "$apt_log"
fi

VENV="$ROOT/.cache/bench-venv"
stamp="$VENV/.pins"
if [[ ! -x "$VENV/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "${PIP_PINS[*]}" ]]; then
    log "creating $VENV (${PIP_PINS[*]})"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PIP_PINS[@]}"
    echo "${PIP_PINS[*]}" >"$stamp"
fi

if [[ "$BROWSER" == 1 ]]; then
    npm_stamp="node_modules/.dicom-leakcheck-lock.sha256"
    want_lock="$(sha256sum package-lock.json | cut -d' ' -f1)"
    if [[ ! -f "$npm_stamp" || "$(cat "$npm_stamp")" != "$want_lock" ]]; then
        log "npm ci"
        npm ci --no-audit --no-fund >&2
        echo "$want_lock" >"$npm_stamp"
    fi
fi

# ---- 2. ours -----------------------------------------------------------------------------------
CLI="${LEAKCHECK_CLI:-${CARGO_TARGET_DIR:-$ROOT/target}/release/dicom-leakcheck}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release --quiet -p dicom-leakcheck-cli
    if [[ "$BROWSER" == 1 ]]; then
        rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown >&2
        cargo xtask build-wasm >&2
    fi
fi

# ---- 3. corpus ---------------------------------------------------------------------------------
PYDICOM_CORPUS="$(tail -n1 < <("$ROOT/scripts/fetch-corpus.sh"))"
log "corpus: $CORPUS (from $PYDICOM_CORPUS)"
if [[ "$HEADLINE" == 0 ]]; then
    "$VENV/bin/python" bench/make_corpus.py --pydicom "$PYDICOM_CORPUS" --out "$CORPUS" "${MAKE_ARGS[@]}"
fi
# The mixed batch (downloads three pinned packages from PyPI once; not in --quick).
[[ "$QUICK" == 1 ]] || "$VENV/bin/python" bench/mixed_set.py "$CORPUS" --downloads "$ROOT/.cache/bench/downloads"
set_args=(); tool_args=(); browser_sets=()
if [[ "$HEADLINE" == 1 ]]; then
    set_args=(--sets mixed); tool_args=(--only dicom-leakcheck,dcmodify,dcmodify-2,inspect-json)
    browser_sets=(--sets mixed)
fi

# ---- 4-6. run and report -----------------------------------------------------------------------
mkdir -p "$WORK" bench/results
touch_args=()
if [[ "$HEADLINE" == 0 ]]; then
    log "what each tool does to one file (bench/touch.py)"
    "$VENV/bin/python" bench/touch.py --cli "$CLI" --venv "$VENV" --work "$WORK" --out "$WORK/touch.json"
    touch_args=(--touch "$WORK/touch.json")
fi
log "command line: $REPS run(s) per tool and set"
"$VENV/bin/python" bench/cli_bench.py --corpus "$CORPUS" --work "$WORK" --cli "$CLI" --venv "$VENV" \
    --reps "$REPS" --out "$WORK/cli.json" "${set_args[@]}" "${tool_args[@]}"
browser_args=()
if [[ "$BROWSER" == 1 ]]; then
    log "browser: $REPS run(s) per library and set"
    node bench/browser_bench.mjs --corpus "$CORPUS" --key "$WORK/bench.key" --reps "$REPS" \
        --out "$WORK/browser.json" "${browser_sets[@]}" ${PROFILE:+--profile} \
        ${LEAKCHECK_PKG:+--pkg "$LEAKCHECK_PKG"}
    browser_args=(--browser "$WORK/browser.json")
fi
"$VENV/bin/python" bench/report.py --mode "$MODE" --cli "$WORK/cli.json" "${browser_args[@]}" \
    "${touch_args[@]}" --out bench/results/latest.json
log "done in $((SECONDS - T0)) s"
