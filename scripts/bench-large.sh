#!/usr/bin/env bash
# Large-file benchmark: generates an uncompressed multi-frame file of LEAKCHECK_LARGE_MB MB
# (default 2048) in a temporary folder, runs the release CLI's `deid` and `inspect` on it under
# /usr/bin/time -v, checks the output's Pixel Data byte for byte, prints time and peak memory,
# and removes the files. Needs free disk space for twice the size (TMPDIR to move it).
#
#   scripts/bench-large.sh            # 2 GB
#   LEAKCHECK_LARGE_MB=4000 scripts/bench-large.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export LEAKCHECK_LARGE_MB="${LEAKCHECK_LARGE_MB:-2048}"
cargo test --release -p dicom-leakcheck-cli --test large_file -- --nocapture 2>&1 | grep -E "generated|deid:|inspect:|compared|test result|panicked|peak"
