#!/usr/bin/env bash
# Fetches the public DICOM test corpus that ships inside the pydicom 3.0.2 wheel on PyPI and
# unpacks its DICOM files into .cache/corpus/pydicom-3.0.2/ (git-ignored; never commit them).
#
#   scripts/fetch-corpus.sh     -> prints the corpus directory (absolute) as its last stdout line
#
# The wheel is pinned by version and SHA-256 (checked by pip --require-hashes and again here).
# Idempotent: when the corpus is already unpacked from the verified wheel it does nothing.
# Unpacked: pydicom/data/{test_files,charset_files,palettes}/** files named *.dcm, and files
# without an extension that carry the DICOM "DICM" magic at byte 128 (e.g. DICOMDIR, the
# dicomdirtests/ images). The layout under the corpus dir keeps the wheel's paths below
# pydicom/data/ (test_files/..., charset_files/..., palettes/...).
set -euo pipefail

PYDICOM_VERSION="3.0.2"
WHEEL="pydicom-${PYDICOM_VERSION}-py3-none-any.whl"
WHEEL_SHA256="abf971a5440f84dbaf42c4b6758e30e62480902584f8b270b9a5d146e278a07b"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/corpus"
CORPUS="$CACHE/pydicom-${PYDICOM_VERSION}"
STAMP="$CORPUS/.complete"

log() { echo "fetch-corpus: $*" >&2; }

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WHEEL_SHA256" ]]; then
    log "corpus already present ($(find "$CORPUS" -type f ! -name .complete | wc -l) files)"
    echo "$CORPUS"
    exit 0
fi

mkdir -p "$CACHE"
PY="$(command -v python3 || command -v python)"

sha_ok() { [[ -f "$1" ]] && [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "$WHEEL_SHA256" ]]; }

if ! sha_ok "$CACHE/$WHEEL"; then
    rm -f "$CACHE/$WHEEL"
    log "downloading $WHEEL from PyPI"
    req="$(mktemp)"
    trap 'rm -f "$req"' EXIT
    echo "pydicom==${PYDICOM_VERSION} --hash=sha256:${WHEEL_SHA256}" >"$req"
    "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        --require-hashes -r "$req" -d "$CACHE" >&2
    if ! sha_ok "$CACHE/$WHEEL"; then
        got="$( [[ -f "$CACHE/$WHEEL" ]] && sha256sum "$CACHE/$WHEEL" | cut -d' ' -f1 || echo missing)"
        echo "fetch-corpus: SHA-256 mismatch for $WHEEL: expected $WHEEL_SHA256, got $got" >&2
        rm -f "$CACHE/$WHEEL"
        exit 1
    fi
fi

log "unpacking DICOM files into $CORPUS"
rm -rf "$CORPUS"
tmp="$CORPUS.partial"
rm -rf "$tmp"
"$PY" - "$CACHE/$WHEEL" "$tmp" <<'PYEOF'
import os, sys, zipfile

wheel, dest = sys.argv[1], sys.argv[2]
prefixes = ("pydicom/data/test_files/", "pydicom/data/charset_files/", "pydicom/data/palettes/")
n = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if info.is_dir() or not name.startswith(prefixes):
            continue
        base = name.rsplit("/", 1)[-1]
        data = z.read(info)
        if base.lower().endswith(".dcm"):
            pass
        elif "." not in base and len(data) >= 132 and data[128:132] == b"DICM":
            pass
        else:
            continue
        rel = name[len("pydicom/data/"):]
        if ".." in rel.split("/"):
            raise SystemExit(f"refusing path {name}")
        out = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "wb") as f:
            f.write(data)
        n += 1
print(f"fetch-corpus: unpacked {n} DICOM files", file=sys.stderr)
if n == 0:
    raise SystemExit("fetch-corpus: no DICOM files found in the wheel")
PYEOF
echo "$WHEEL_SHA256" >"$tmp/.complete"
mv "$tmp" "$CORPUS"
echo "$CORPUS"
