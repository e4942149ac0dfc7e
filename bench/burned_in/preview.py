"""Contact sheets of the set for a person to look at: each file rendered (percentile window,
frame shown: the first frame that carries text), its ground-truth boxes drawn on top
(red: identifying, blue: other text, magenta: marks that were already in the source) and,
when a score run's inspect JSON is given, the product's regions (green).

    python preview.py [--set DIR] [--out DIR] [--inspect test-artifacts/burned-in/inspect-*.json] [--per 6]
"""
import argparse
import glob
import json
import os

import numpy as np
import pydicom
from PIL import Image, ImageDraw

from source_images import display8

TILE = 400


def render(path, frame):
    ds = pydicom.dcmread(path)
    a = ds.pixel_array
    if int(ds.get("NumberOfFrames", 1) or 1) > 1:
        a = a[frame]
    if a.ndim == 3:
        return Image.fromarray(a.astype(np.uint8)), ds
    return Image.fromarray(display8(a, ds.PhotometricInterpretation)).convert("RGB"), ds


def tile(root, rec, regions):
    frame = 0
    for b in rec["boxes"]:
        if isinstance(b["frames"], list):
            frame = b["frames"][0]
            break
    im, ds = render(os.path.join(root, rec["path"]), frame)
    d = ImageDraw.Draw(im)
    for r in regions or []:
        if r.get("all_frames") or r.get("frame", 0) == frame:
            d.rectangle([r["x"], r["y"], r["x"] + r["w"] - 1, r["y"] + r["h"] - 1], outline=(0, 255, 0))
    for b in rec["boxes"]:
        if b["frames"] != "all" and frame not in b["frames"]:
            continue
        colour = (255, 0, 255) if b.get("preexisting") else (255, 40, 40) if b["identifies"] else (60, 120, 255)
        d.rectangle([b["x"] - 1, b["y"] - 1, b["x"] + b["w"], b["y"] + b["h"]], outline=colour)
    scale = TILE / max(im.size)
    im = im.resize((max(1, int(im.width * scale)), max(1, int(im.height * scale))), Image.LANCZOS)
    t = Image.new("RGB", (TILE, TILE + 16), (0, 0, 60))
    t.paste(im, (0, 16))
    ImageDraw.Draw(t).text((2, 2), f"{rec['id']} {rec['source']['key']} {rec['variant'][:28]}", fill=(255, 255, 0))
    return t


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=os.path.join(root, ".cache", "burned-in", "set"))
    ap.add_argument("--out", default=os.path.join(root, "test-artifacts", "burned-in", "preview"))
    ap.add_argument("--inspect", default=None, help="glob of inspect JSON files from score.py")
    ap.add_argument("--per", type=int, default=6, help="files per category and split")
    ap.add_argument("--ids", default=None, help="comma-separated file ids instead")
    args = ap.parse_args()
    man = json.load(open(os.path.join(args.set, "manifest.json")))
    regions = {}
    for p in glob.glob(args.inspect) if args.inspect else []:
        for f in json.load(open(p))["files"]:
            regions[os.path.basename(f["path"])[:-4]] = (f.get("burned_in") or {}).get("regions", [])
    os.makedirs(args.out, exist_ok=True)
    groups = {}
    for rec in man["files"]:
        if args.ids and rec["id"] not in args.ids.split(","):
            continue
        groups.setdefault((rec["split"], rec["category"]), []).append(rec)
    for (split, cat), recs in sorted(groups.items()):
        recs = recs[:args.per] if not args.ids else recs
        tiles = [tile(args.set, r, regions.get(r["id"])) for r in recs]
        cols = 3
        sheet = Image.new("RGB", (cols * TILE, ((len(tiles) + cols - 1) // cols) * (TILE + 16)))
        for i, t in enumerate(tiles):
            sheet.paste(t, ((i % cols) * TILE, (i // cols) * (TILE + 16)))
        path = os.path.join(args.out, f"{split}-{cat}.png")
        sheet.save(path)
        print(path)


if __name__ == "__main__":
    main()
