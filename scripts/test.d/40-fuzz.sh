# Fuzzing smoke run: builds the cargo-fuzz targets in fuzz/ and runs each for a short fixed
# budget; any crash, timeout or out-of-memory fails the step. CONTRIBUTING.md "Fuzzing" has the longer
# run for releases and how a crash becomes a regression test.
#
#   FUZZ_SECONDS      seconds per target (default 45: 4 targets plus a fresh build of ~2 min
#                     stay under 5 min on 2 cores)
#   FUZZ_TARGETS      targets to run (default: all four)
#   FUZZ_KEEP_CORPUS  1: grow fuzz/corpus/<target> across runs (long runs); default: start each
#                     run from the seeds alone, so the smoke run's time does not grow
#
# cargo-fuzz needs nightly compiler flags (-Zsanitizer=address); on a stable toolchain
# RUSTC_BOOTSTRAP=1 unlocks them. Seeds: the pydicom corpus and the built-in sample, copied into
# git-ignored folders at run time (never committed).
set -euo pipefail

ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$ROOT"
ARTIFACTS="${ARTIFACTS:-$ROOT/test-artifacts}"
FUZZ_SECONDS="${FUZZ_SECONDS:-45}"
read -r -a TARGETS <<<"${FUZZ_TARGETS:-parse inspect deidentify roundtrip}"
CARGO_FUZZ_VERSION=0.13.2
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

# ---- seeds ------------------------------------------------------------------------------------
work="$ARTIFACTS/fuzz"
rm -rf "$work/seeds-raw" "$work/seeds-opt"
mkdir -p "$work/seeds-raw" "$work/seeds-opt"
cargo run --quiet -p dicom-leakcheck --example fuzz_seeds -- "$work/seeds-raw"
corpus="${LEAKCHECK_CORPUS:-$ROOT/.cache/corpus/pydicom-3.0.2}"
if [[ -d "$corpus" ]]; then
    n=0
    while IFS= read -r -d '' f; do
        n=$((n + 1))
        cp "$f" "$work/seeds-raw/corpus-$n-$(basename "$f")"
    done < <(find "$corpus" -type f -size -1024k -print0 | sort -z)
    echo "seeds: $n corpus files from $corpus"
else
    echo "seeds: no corpus at $corpus (run scripts/fetch-corpus.sh); the sample only"
fi
# inspect, deidentify and roundtrip read the options from the first byte: give each seed one,
# cycling through none, all, and a few single options.
opts=(00 ff 40 01 80 20 02 10)
i=0
for f in "$work/seeds-raw"/*; do
    o="${opts[$((i % ${#opts[@]}))]}"
    { printf "\\x$o"; cat "$f"; } >"$work/seeds-opt/$(basename "$f")"
    i=$((i + 1))
done

# ---- build and run ----------------------------------------------------------------------------
cd "$ROOT/fuzz"
cargo fuzz build
status=0
for target in "${TARGETS[@]}"; do
    seeds="$work/seeds-opt"
    [[ "$target" == parse ]] && seeds="$work/seeds-raw"
    corpus_dir="$ROOT/fuzz/corpus/$target"
    if [[ "${FUZZ_KEEP_CORPUS:-0}" != 1 ]]; then
        corpus_dir="$work/corpus-$target"
        rm -rf "$corpus_dir"
    fi
    mkdir -p "$corpus_dir"
    log="$work/$target.log"
    echo "---- fuzz $target for ${FUZZ_SECONDS}s (log: $log)"
    if cargo fuzz run "$target" "$corpus_dir" "$seeds" -- \
        -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=10 -max_len=262144 \
        -dict="$ROOT/fuzz/dicom.dict" \
        -print_final_stats=1 >"$log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units)' "$log" || true
    else
        status=1
        tail -n 40 "$log"
        echo "FUZZ FAILURE in $target: reproducer in fuzz/artifacts/$target/ (see README \"Fuzzing\")" >&2
    fi
done
exit "$status"
