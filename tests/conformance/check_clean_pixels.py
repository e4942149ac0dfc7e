#!/usr/bin/env python3
"""Clean Pixel Data checked by tools that are not ours.

Runs `dicom-leakcheck deid --option clean-pixel-data` over the corpus, then for every file whose
pixels were cleaned (the report's `regions_cleaned`):

- dciodvfy (dicom3tools) finds no error in the output that the input did not have;
- pydicom with pylibjpeg decodes input and output: inside every cleaned box (grown by the
  cleaner's 3-pixel margin) the output is uniform, and outside the boxes it equals the input
  (exactly for lossless encodings; for lossy ones our decoder and libjpeg/OpenJPEG may differ
  by rounding, so the mean difference must stay below 1.5 grey levels);
- files left uncleaned keep their Pixel Data byte for byte.

Prints one line per cleaned file and a summary; exits 1 on any failure.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pydicom

sys.path.insert(0, str(Path(__file__).parent))
from check_corpus import dciodvfy, input_unreadable_by_dciodvfy, new_errors  # noqa: E402

MARGIN = 3
LOSSLESS = {
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.5",
    "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.90",
}


def frames_of(ds) -> np.ndarray:
    """Pixel array as (frames, rows, columns, samples)."""
    arr = ds.pixel_array
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    samples = int(getattr(ds, "SamplesPerPixel", 1) or 1)
    if frames == 1:
        arr = arr[np.newaxis, ...]
    if samples == 1:
        arr = arr[..., np.newaxis]
    return arr


def box_masks(regions, frames, rows, columns, grow):
    """Per frame, a mask of the cleaned boxes grown by `grow` pixels and clipped."""
    masks = np.zeros((frames, rows, columns), dtype=bool)
    for r in regions:
        x0, y0 = max(r["x"] - grow, 0), max(r["y"] - grow, 0)
        x1, y1 = min(r["x"] + r["w"] + grow, columns), min(r["y"] + r["h"] + grow, rows)
        if x0 >= x1 or y0 >= y1:
            continue
        targets = range(frames) if r.get("all_frames") else [r["frame"]]
        for f in targets:
            if f < frames:
                masks[f, y0:y1, x0:x1] = True
    return masks


def boxes_uniform(name, regions, after, problems):
    """Checks every cleaned box of the output is one value; returns the boxes' masks."""
    frames, rows, columns, _ = after.shape
    inside = box_masks(regions, frames, rows, columns, MARGIN)
    for f in range(frames):
        if inside[f].any():
            values = after[f][inside[f]]
            if not (values == values[0]).all():
                problems.append(f"{name}: frame {f}: a cleaned box is not uniform")
    return inside


def check_file(item, problems):
    src, out = Path(item["path"]), Path(item["output"])
    in_ds, out_ds = pydicom.dcmread(src, force=True), pydicom.dcmread(out, force=True)
    regions = item["regions_cleaned"]
    name = src.name
    errors_in, errors_out = dciodvfy(src), dciodvfy(out)
    new = [] if input_unreadable_by_dciodvfy(errors_in) else new_errors(errors_in, errors_out)
    if new:
        problems.append(f"{name}: dciodvfy errors new in the output: {new[:3]}")
    try:
        after = frames_of(out_ds)
    except Exception as e:  # the independent decoder cannot read what we wrote
        problems.append(f"{name}: pydicom cannot decode the output: {e}")
        return "undecodable"
    try:
        before = frames_of(in_ds)
    except Exception as e:  # a damaged input (e.g. JPEG-lossy.dcm's misplaced marker)
        boxes_uniform(name, regions, after, problems)
        return (f"{len(regions)} boxes uniform; the input is undecodable by pydicom "
                f"({type(e).__name__}), so the pixels outside are not compared")
    if before.shape != after.shape:
        problems.append(f"{name}: shape {before.shape} became {after.shape}")
        return "shape"
    frames, rows, columns, _ = after.shape
    inside = boxes_uniform(name, regions, after, problems)
    # The YBR_FULL_422 cleaner widens boxes to whole pixel pairs: one pixel of slack.
    near = box_masks(regions, frames, rows, columns, MARGIN + 1)
    outside = ~near
    diff = np.abs(before.astype(np.int64) - after.astype(np.int64))[outside]
    lossless = str(in_ds.file_meta.TransferSyntaxUID) in LOSSLESS
    worst = float(diff.max()) if diff.size else 0.0
    mean = float(diff.mean()) if diff.size else 0.0
    if lossless and worst != 0:
        problems.append(f"{name}: pixels outside the boxes changed (max difference {worst})")
    if not lossless and mean > 1.5:
        problems.append(f"{name}: pixels outside the boxes differ by {mean:.2f} on average")
    covered = inside.mean() * 100
    return f"{len(regions)} boxes, {covered:.1f}% of pixels, outside max diff {worst:.0f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    out_dir, report = args.work / "out", args.work / "report.json"
    subprocess.run(
        [args.cli, "deid", str(args.corpus), "--out", str(out_dir), "--option", "clean-pixel-data",
         "--report", str(report)],
        stdout=subprocess.DEVNULL, check=False,
    )
    items = json.loads(report.read_text())["files"]
    problems, cleaned, kept = [], 0, 0
    for item in items:
        if not item["ok"]:
            continue
        if item["regions_cleaned"]:
            cleaned += 1
            print(f"{Path(item['path']).name}: {check_file(item, problems)}")
        else:
            kept += 1
            a = pydicom.dcmread(item["path"], force=True)
            b = pydicom.dcmread(item["output"], force=True)
            if "PixelData" in a and a.PixelData != b.get("PixelData"):
                problems.append(f"{Path(item['path']).name}: not cleaned, yet Pixel Data changed")
    print(f"\n{cleaned} files cleaned, {kept} left as they were; {len(problems)} problem(s)")
    for p in problems:
        print(f"  FAIL {p}")
    return 1 if problems or cleaned == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
