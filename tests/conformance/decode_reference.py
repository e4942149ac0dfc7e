#!/usr/bin/env python3
"""Reference pixel values for crates/core/src/pixels/decode/tests/corpus.rs, from pydicom with pylibjpeg's decoders.

For every DICOM file under --corpus that has Pixel Data, decodes frame 0 (and the last frame of
a multi-frame image) and writes, into --out:
  NNNN_fK.i32      the frame's values as little-endian int32, rows x columns x samples,
                   colour interleaved; YBR is converted to RGB (pydicom's default), palette
                   colour images stay indices
  manifest.json    [{file, transfer_syntax, frames, frame, rows, columns, samples,
                     photometric, values, error}]
Files pydicom cannot decode are listed with "error" so the Rust test can count them.
"""

import argparse
import json
import os
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixels import pixel_array


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    warnings.simplefilter("ignore")
    manifest = []
    paths = []
    for root, _, files in os.walk(args.corpus):
        for name in files:
            paths.append(os.path.join(root, name))
    n = 0
    for path in sorted(paths):
        rel = os.path.relpath(path, args.corpus)
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        if "PixelData" not in ds:
            continue
        ts = str(getattr(ds, "file_meta", {}).get("TransferSyntaxUID", ""))
        try:
            frames = max(1, int(ds.get("NumberOfFrames", 1) or 1))
        except (ValueError, TypeError):
            frames = 1  # a damaged value; pydicom reads one frame then too
        for frame in sorted({0, frames - 1}):
            entry = {"file": rel, "transfer_syntax": ts, "frames": frames, "frame": frame}
            try:
                arr = pixel_array(ds, index=frame)
            except Exception as e:  # the reference cannot decode it: counted, not compared
                entry["error"] = f"{type(e).__name__}: {e}"[:300]
                manifest.append(entry)
                continue
            arr = np.asarray(arr)
            if arr.ndim == 2:
                rows, columns, samples = arr.shape[0], arr.shape[1], 1
            else:
                rows, columns, samples = arr.shape
            name = f"{n:04d}_f{frame}.i32"
            n += 1
            arr.astype("<i4").tofile(os.path.join(args.out, name))
            entry.update(
                rows=int(rows),
                columns=int(columns),
                samples=int(samples),
                photometric=str(ds.get("PhotometricInterpretation", "")),
                values=name,
            )
            manifest.append(entry)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest)} frames from {len({m['file'] for m in manifest})} files -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
