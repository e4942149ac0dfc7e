#!/usr/bin/env bash
# THE test command of dicom-leakcheck:   ./scripts/test.sh          (from any directory)
#
# Steps, in order (stops at the first failure):
#   setup        scripts/setup.sh: rustup target/components, dcmtk, dicom3tools (idempotent)
#   corpus       scripts/fetch-corpus.sh: pydicom 3.0.2 test files into .cache/corpus/ (pinned)
#                and scripts/fetch-models.sh: the OCR models into .cache/models/ (pinned)
#   fmt          cargo fmt --all -- --check
#   clippy       cargo clippy --workspace --all-targets -- -D warnings
#   doc          RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
#   build        cargo build --release -p dicom-leakcheck-cli
#   test         cargo test --workspace        (LEAKCHECK_CORPUS=<corpus dir> and
#                LEAKCHECK_OCR_MODELS=<model dir> exported)
#   wasm         cargo build -p dicom-leakcheck --target wasm32-unknown-unknown  (the core is pure)
#   conformance  tests/conformance/check_corpus.py with the release CLI, in .cache/venv;
#                results in test-artifacts/conformance/ (summary.json)
#   then every extra step in scripts/test.d/ (see "Extra steps" below)
#
#   ./scripts/test.sh                   run everything
#   ./scripts/test.sh build conformance run only the named steps (setup and corpus always run
#                                       when a later step needs them; names of extra steps are
#                                       their file names without .sh)
#   ./scripts/test.sh --list            print the step names
#
# Extra steps (the hook for wasm tests, browser tests, ...): each executable-or-not file
# scripts/test.d/NN-name.sh is run with bash, in file-name order, after the steps above, as a
# step named "NN-name". It gets these variables and must exit non-zero on failure:
#   REPO_ROOT         the repository root (also the working directory)
#   LEAKCHECK_CORPUS  the unpacked corpus directory
#   LEAKCHECK_OCR_MODELS  the OCR models (det.onnx, rec.onnx, dict.txt)
#   LEAKCHECK_CLI     the release CLI binary
#   LEAKCHECK_VENV    the Python venv with tests/conformance/requirements.txt installed
#   ARTIFACTS         test-artifacts/ (git-ignored) for reports and screenshots
# A step that needs Chromium runs `"$REPO_ROOT/scripts/setup.sh" --browser` first (idempotent).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export REPO_ROOT="$ROOT"
export LEAKCHECK_CLI="${LEAKCHECK_CLI:-$TARGET_DIR/release/dicom-leakcheck}"  # override to test another binary
export LEAKCHECK_VENV="$ROOT/.cache/venv"
export ARTIFACTS="$ROOT/test-artifacts"
export LEAKCHECK_CORPUS="${LEAKCHECK_CORPUS:-}"
export LEAKCHECK_OCR_MODELS="${LEAKCHECK_OCR_MODELS:-}"

# ---- steps -----------------------------------------------------------------------------------

step_setup() { "$ROOT/scripts/setup.sh"; }

step_corpus() {
    local out
    out="$("$ROOT/scripts/fetch-corpus.sh")"
    LEAKCHECK_CORPUS="$(tail -n1 <<<"$out")"
    export LEAKCHECK_CORPUS
    echo "corpus: $LEAKCHECK_CORPUS"
    out="$("$ROOT/scripts/fetch-models.sh")"
    LEAKCHECK_OCR_MODELS="$(tail -n1 <<<"$out")"
    export LEAKCHECK_OCR_MODELS
    echo "OCR models: $LEAKCHECK_OCR_MODELS"
}

step_fmt() { cargo fmt --all -- --check; }

step_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }

# Every doc comment's links resolve and nothing in the docs warns.
step_doc() { RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps; }

step_build() { cargo build --release -p dicom-leakcheck-cli; }

step_test() {
    # LEAKCHECK_CORPUS lets Rust tests use the real files when present.
    cargo test --workspace
}

step_wasm() { cargo build -p dicom-leakcheck --target wasm32-unknown-unknown; }

ensure_venv() {
    local req="$ROOT/tests/conformance/requirements.txt" stamp="$LEAKCHECK_VENV/.requirements.sha256"
    local want
    want="$(sha256sum "$req" | cut -d' ' -f1)"
    if [[ -x "$LEAKCHECK_VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return 0
    fi
    echo "creating $LEAKCHECK_VENV"
    rm -rf "$LEAKCHECK_VENV"
    python3 -m venv "$LEAKCHECK_VENV"
    "$LEAKCHECK_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    echo "$want" >"$stamp"
}

step_conformance() {
    if [[ ! -x "$LEAKCHECK_CLI" ]]; then
        echo "release CLI not found at $LEAKCHECK_CLI (the build step makes it)" >&2
        return 1
    fi
    ensure_venv
    mkdir -p "$ARTIFACTS/conformance"
    "$LEAKCHECK_VENV/bin/python" "$ROOT/tests/conformance/check_corpus.py" \
        --cli "$LEAKCHECK_CLI" --corpus "$LEAKCHECK_CORPUS" --work "$ARTIFACTS/conformance"
}

BUILTIN_STEPS=(setup corpus fmt clippy doc build test wasm conformance)

# ---- extra steps from scripts/test.d/ ---------------------------------------------------------
# ===== HOOK: later steps (wasm tests, browser tests, ...) go in scripts/test.d/NN-name.sh =====
EXTRA_STEPS=()
declare -A EXTRA_FILES=()
shopt -s nullglob
for f in "$ROOT"/scripts/test.d/*.sh; do
    name="$(basename "$f" .sh)"
    EXTRA_STEPS+=("$name")
    EXTRA_FILES["$name"]="$f"
done
shopt -u nullglob

ALL_STEPS=("${BUILTIN_STEPS[@]}" "${EXTRA_STEPS[@]}")

run_step_body() {
    local name="$1"
    if [[ -n "${EXTRA_FILES[$name]:-}" ]]; then
        bash "${EXTRA_FILES[$name]}"
    else
        "step_$name"
    fi
}

# ---- driver ----------------------------------------------------------------------------------

if [[ "${1:-}" == "--list" ]]; then
    printf '%s\n' "${ALL_STEPS[@]}"
    exit 0
fi
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,/^set -euo pipefail/p' "$0" | sed '$d'
    exit 0
fi

declare -A WANT=()
if (($# == 0)); then
    for s in "${ALL_STEPS[@]}"; do WANT["$s"]=1; done
else
    for s in "$@"; do
        known=0
        for a in "${ALL_STEPS[@]}"; do [[ "$a" == "$s" ]] && known=1; done
        if ((known == 0)); then
            echo "test.sh: unknown step '$s' (steps: ${ALL_STEPS[*]})" >&2
            exit 2
        fi
        WANT["$s"]=1
    done
    # Everything after them needs the tools and the corpus.
    WANT[setup]=1
    WANT[corpus]=1
fi

T_START=$SECONDS
n_total=0
for s in "${ALL_STEPS[@]}"; do [[ -n "${WANT[$s]:-}" ]] && n_total=$((n_total + 1)); done
n=0
current=""
trap 'rc=$?; if [[ -n "$current" ]]; then echo; echo "==== FAILED: step $current (exit $rc) after $((SECONDS - T_STEP)) s; total $((SECONDS - T_START)) s"; fi' EXIT

for s in "${ALL_STEPS[@]}"; do
    [[ -n "${WANT[$s]:-}" ]] || continue
    n=$((n + 1))
    current="$s"
    T_STEP=$SECONDS
    echo
    echo "==== [$n/$n_total] $s"
    run_step_body "$s"
    echo "==== [$n/$n_total] $s: ok ($((SECONDS - T_STEP)) s)"
    current=""
done

echo
echo "==== all steps passed in $((SECONDS - T_START)) s"
