"""Scores the product's burned-in text handling on the benchmark set (build_set.py).

    python score.py --cli target/release/dicom-leakcheck [--set DIR] [--out DIR] [--no-deid]
                    [--split tune|heldout]

Runs, per split and category folder, `CLI inspect --json FOLDER` (timed), then per split
`CLI deid --out OUT/deid/SPLIT --option clean-pixel-data SPLIT_FOLDER`, and compares both with the
ground truth. Prints tables (tune and held-out side by side) and writes OUT/score.json with the
same figures, OUT/boxes.jsonl with one line per ground-truth box, and the raw inspect JSON.

Definitions (README.md explains them at more length):
  flagged            a file with identifying text whose verdict is risk medium/high or has any region
  flagged by pixels  the same, counting only files where a region covers >= COVER of at least one
                     identifying box (the header alone flags every ultrasound and screenshot)
  covered            a ground-truth box is covered when the union of the regions that apply to a
                     frame (same frame, or all_frames) covers >= COVER of the box's area, on every
                     frame the box is drawn on. Reported at COVER=0.5 and at the strict 0.9.
  read exactly       (needs regions with "text") a region overlapping a box with PatientName or
                     PatientID has a text containing the drawn value (case and spacing ignored)
  matched            (needs regions with "identifies") an overlapping region lists the attribute
  blacked out        in the deid output, at most 5% of the box's glyph pixels are "still text":
                     a glyph pixel is still text when its stored value is unchanged AND the output
                     is not constant over the 5x5 pixels around it (so black text under a black
                     fill counts as gone, and a fill that misses part of a word does not)
  BIA NO, text left  the output says Burned In Annotation NO while a drawn box is not blacked out
  false boxes        clean files (no text at all) with any region
  ms/frame           wall time of the inspect process for a folder / frames in it (native CLI,
                     process start and header parsing included)
Boxes that were already in a source (e.g. a lead marker "R") are listed in the ground truth but
left out of every figure here.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict

import numpy as np
import pydicom

COVER, STRICT, LEFT_MAX = 0.5, 0.9, 0.05
NAME_ID = ("PatientName", "PatientID")


# ---- geometry ------------------------------------------------------------------------------
def frames_of(box, nframes):
    return range(nframes) if box["frames"] == "all" else box["frames"]


def coverage(box, regions, nframes):
    """Smallest, over the box's frames, fraction of its area under the union of regions."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    worst = 1.0
    for f in frames_of(box, nframes):
        m = np.zeros((h, w), bool)
        for r in regions:
            if not (r.get("all_frames") or r.get("frame", 0) == f):
                continue
            x0, y0 = max(r["x"], x), max(r["y"], y)
            x1, y1 = min(r["x"] + r["w"], x + w), min(r["y"] + r["h"], y + h)
            if x1 > x0 and y1 > y0:
                m[y0 - y:y1 - y, x0 - x:x1 - x] = True
        worst = min(worst, float(m.mean()))
    return worst


def overlapping(box, regions):
    return [r for r in regions
            if r["x"] < box["x"] + box["w"] and box["x"] < r["x"] + r["w"]
            and r["y"] < box["y"] + box["h"] and box["y"] < r["y"] + r["h"]]


def norm(s):
    return " ".join(str(s).upper().split())


# ---- is the text still in the cleaned pixels? -------------------------------------------------
def text_left(orig, out, box, mask):
    """Fraction of glyph pixels still showing text in `out` (one frame, grey or RGB)."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    o, c = orig[y:y + h, x:x + w], out[y:y + h, x:x + w]
    same = (o == c) if o.ndim == 2 else (o == c).all(axis=2)
    # Is the output constant over the 5x5 pixels around each box pixel? (Image edges replicated.)
    padded = np.pad(out.astype(np.int64), [(2, 2), (2, 2)] + [(0, 0)] * (out.ndim - 2), mode="edge")
    region = padded[y:y + h + 4, x:x + w + 4]
    if region.ndim == 2:
        region = region[..., None]
    win = np.lib.stride_tricks.sliding_window_view(region, (5, 5), axis=(0, 1))   # (h, w, ch, 5, 5)
    constant = (win.max(axis=(-1, -2)) == win.min(axis=(-1, -2))).all(axis=-1)
    still = same & ~constant & mask
    n = int(mask.sum())
    return float(still.sum()) / n if n else 0.0


def frames_array(ds):
    a = ds.pixel_array
    if int(ds.get("NumberOfFrames", 1) or 1) == 1:
        a = a[None]
    return a


# ---- running the CLI -----------------------------------------------------------------------
def run_inspect(cli, folder, out_json):
    t0 = time.perf_counter()
    p = subprocess.run([cli, "inspect", "--json", folder], capture_output=True)
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        raise SystemExit(f"inspect failed on {folder}: {p.stderr.decode()[:2000]}")
    with open(out_json, "wb") as f:
        f.write(p.stdout)
    doc = json.loads(p.stdout)
    return {os.path.basename(f["path"])[:-4]: f for f in doc["files"]}, wall


def run_deid(cli, folder, out_dir):
    t0 = time.perf_counter()
    # --keep-paths: the figures find each output by its input's name.
    p = subprocess.run([cli, "deid", "--keep-paths", "--out", out_dir, "--option", "clean-pixel-data", folder],
                       capture_output=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"deid failed on {folder}: {p.stderr.decode()[:2000]}")
    return time.perf_counter() - t0, p.stdout.decode().strip().splitlines()[-1:] or [""]


# ---- figures -------------------------------------------------------------------------------
def ratio(n, d):
    return {"n": n, "of": d, "fraction": (n / d) if d else None}


def score(args):
    man = json.load(open(os.path.join(args.set, "manifest.json")))
    files = [f for f in man["files"] if not args.split or f["split"] == args.split]
    os.makedirs(args.out, exist_ok=True)
    results, walls = {}, {}
    groups = sorted({(f["split"], f["category"]) for f in files})
    for split, cat in groups:
        folder = os.path.join(args.set, split, cat)
        res, wall = run_inspect(args.cli, folder, os.path.join(args.out, f"inspect-{split}-{cat}.json"))
        results.update(res)
        walls[(split, cat)] = wall
    deid_dir = os.path.join(args.out, "deid")
    deid_runs = {}
    if not args.no_deid:
        for split in sorted({s for s, _ in groups}):
            out_split = os.path.join(deid_dir, split)
            if os.path.exists(out_split):
                import shutil
                shutil.rmtree(out_split)
            deid_runs[split] = run_deid(args.cli, os.path.join(args.set, split), out_split)

    has_text_key = any("text" in r for f in results.values() for r in (f.get("burned_in") or {}).get("regions", []))
    has_ident_key = any("identifies" in r for f in results.values()
                        for r in (f.get("burned_in") or {}).get("regions", []))

    box_rows = []
    per_file = {}
    for rec in files:
        res = results.get(rec["id"])
        bi = (res or {}).get("burned_in") or {}
        regions = bi.get("regions") or []
        risk = bi.get("risk")
        info = {"risk": risk, "regions": len(regions), "error": (res or {}).get("error") if res else "not in output",
                "boxes": []}
        out_ds = out_px = in_px = None
        if not args.no_deid and any(not b.get("preexisting") for b in rec["boxes"]):
            out_path = os.path.join(deid_dir, rec["split"], rec["category"], rec["id"] + ".dcm")
            if os.path.exists(out_path):
                out_ds = pydicom.dcmread(out_path)
                in_px = frames_array(pydicom.dcmread(os.path.join(args.set, rec["path"])))
                out_px = frames_array(out_ds)
                if out_px.shape != in_px.shape:
                    out_px = None
            masks = np.load(os.path.join(args.set, "masks", rec["id"] + ".npz"))
        for b in rec["boxes"]:
            if b.get("preexisting"):
                continue
            row = {"file": rec["id"], "split": rec["split"], "category": rec["category"], "box": b["id"],
                   "text": b["text"], "identifies": b["identifies"], "cap_px": b["cap_px"],
                   "rendering": b["rendering"], "polarity": b["polarity"], "background": b["background"],
                   "bold": b["bold"], "font": b["font"], "colour": b["colour"], "family": rec["family"]}
            row["coverage"] = coverage(b, regions, rec["frames"])
            over = overlapping(b, regions)
            want = [a for a in b["identifies"] if a in NAME_ID]
            if want:
                row["read_exactly"] = (any(r.get("text") and any(norm(b["values"][a]) in norm(r["text"]) for a in want)
                                           for r in over) if has_text_key else None)
                row["matched"] = (any(set(want) & set(r.get("identifies") or []) for r in over)
                                  if has_ident_key else None)
            if out_ds is not None:
                if out_px is None:
                    row["left"] = None
                else:
                    mask = masks[b["id"]]
                    row["left"] = max(text_left(in_px[f], out_px[f], b, mask) for f in frames_of(b, rec["frames"]))
                row["blacked_out"] = row["left"] is not None and row["left"] <= LEFT_MAX
                row["bia_out"] = out_ds.get("BurnedInAnnotation")
            elif not args.no_deid:
                row["left"], row["blacked_out"], row["bia_out"] = None, False, "missing output"
            box_rows.append(row)
            info["boxes"].append(row)
        per_file[rec["id"]] = info

    with open(os.path.join(args.out, "boxes.jsonl"), "w") as f:
        for r in box_rows:
            f.write(json.dumps(r) + "\n")

    def group_figures(recs, split_cat=None):
        ident = [r for r in recs if r["has_identifying_text"]]
        clean = [r for r in recs if r["clean"]]
        flagged = [r for r in ident if per_file[r["id"]]["risk"] in ("medium", "high") or per_file[r["id"]]["regions"]]
        rows = [b for r in recs for b in per_file[r["id"]]["boxes"]]
        irows = [b for b in rows if b["identifies"]]
        by_pixels = [r for r in ident if any(b["identifies"] and b["coverage"] >= COVER for b in per_file[r["id"]]["boxes"])]
        nid = [b for b in irows if "read_exactly" in b]
        frames = sum(r["frames"] for r in recs)
        fig = {
            "files": len(recs), "frames": frames,
            "files_with_identifying_text": len(ident),
            "flagged": ratio(len(flagged), len(ident)),
            "flagged_by_pixels": ratio(len(by_pixels), len(ident)),
            "identifying_boxes_covered": ratio(sum(b["coverage"] >= COVER for b in irows), len(irows)),
            "identifying_boxes_covered_strict": ratio(sum(b["coverage"] >= STRICT for b in irows), len(irows)),
            "all_boxes_covered": ratio(sum(b["coverage"] >= COVER for b in rows), len(rows)),
            "name_id_read_exactly": (ratio(sum(bool(b["read_exactly"]) for b in nid), len(nid))
                                     if has_text_key else "n/a"),
            "name_id_matched": (ratio(sum(bool(b["matched"]) for b in nid), len(nid)) if has_ident_key else "n/a"),
            "clean_files": len(clean),
            "clean_with_any_region": ratio(sum(per_file[r["id"]]["regions"] > 0 for r in clean), len(clean)),
            "clean_risk_medium_or_high": ratio(sum(per_file[r["id"]]["risk"] in ("medium", "high") for r in clean),
                                               len(clean)),
            "errors": sum(1 for r in recs if per_file[r["id"]]["error"]),
        }
        if not args.no_deid:
            deid_rows = [b for b in irows if "blacked_out" in b]
            left_files = [r for r in recs if any(b.get("bia_out") == "NO" and not b.get("blacked_out")
                                                for b in per_file[r["id"]]["boxes"])]
            left_ident = [r for r in recs if any(b.get("bia_out") == "NO" and not b.get("blacked_out") and b["identifies"]
                                                for b in per_file[r["id"]]["boxes"])]
            fig["identifying_boxes_blacked_out"] = ratio(sum(b["blacked_out"] for b in deid_rows), len(deid_rows))
            fig["outputs_bia_no_with_text_left"] = len(left_files)
            # of those, the ones where the input did not already say NO (the product wrote the NO)
            fig["outputs_bia_no_written_by_deid_with_text_left"] = sum(
                1 for r in left_files if r.get("burned_in_annotation") != "NO")
            fig["outputs_bia_no_with_identifying_text_left"] = len(left_ident)
            fig["deid_unscorable_boxes"] = sum(1 for b in deid_rows if b.get("left") is None)
        if split_cat:
            fig["inspect_wall_s"] = round(walls[split_cat], 3)
            fig["ms_per_frame"] = round(1000 * walls[split_cat] / frames, 2) if frames else None
        return fig

    cats = [c for c, _ in man["plan"]]
    splits = [s for s in ("tune", "heldout") if any(f["split"] == s for f in files)]
    out = {"cli": args.cli, "cover": COVER, "strict": STRICT, "left_max": LEFT_MAX,
           "regions_have_text": has_text_key, "regions_have_identifies": has_ident_key,
           "per_category": {}, "per_split": {}, "clean_ctmr": {}, "by_attribute": {}}
    for cat in cats:
        out["per_category"][cat] = {}
        for s in splits:
            recs = [r for r in files if r["split"] == s and r["category"] == cat]
            if recs:
                out["per_category"][cat][s] = group_figures(recs, (s, cat))
    for s in splits:
        recs = [r for r in files if r["split"] == s]
        fig = group_figures(recs)
        wall = sum(w for (sp, _), w in walls.items() if sp == s)
        fig["inspect_wall_s"] = round(wall, 3)
        fig["ms_per_frame"] = round(1000 * wall / max(1, fig["frames"]), 2)
        if s in deid_runs:
            fig["deid_wall_s"] = round(deid_runs[s][0], 3)
        out["per_split"][s] = fig
        ctmr = [r for r in recs if r["clean"] and r["family"] in ("CT", "MR")]
        out["clean_ctmr"][s] = ratio(sum(per_file[r["id"]]["regions"] > 0 for r in ctmr), len(ctmr))
        by_src = defaultdict(list)
        for r in recs:
            if r["clean"]:
                by_src[r["source"]["key"]].append(per_file[r["id"]]["regions"] > 0)
        out.setdefault("clean_by_source", {})[s] = {k: ratio(sum(v), len(v)) for k, v in sorted(by_src.items())}
    for attr in ("cap_px", "rendering", "polarity", "background", "bold", "font", "family", "colour"):
        out["by_attribute"][attr] = {}
        for s in splits:
            rows = [b for b in box_rows if b["split"] == s and b["identifies"]]
            vals = defaultdict(list)
            for b in rows:
                key = b[attr]
                if attr == "cap_px":
                    key = "5-6 px" if key <= 6 else "7-9 px" if key <= 9 else "10-16 px"
                vals[str(key)].append(b["coverage"] >= COVER)
            out["by_attribute"][attr][s] = {k: ratio(sum(v), len(v)) for k, v in sorted(vals.items())}
    with open(os.path.join(args.out, "score.json"), "w") as f:
        json.dump(out, f, indent=1)
    return out


# ---- printing ----------------------------------------------------------------------------
def cell(r):
    if r == "n/a" or r is None:
        return "n/a"
    if isinstance(r, dict):
        if not r["of"]:
            return "-"
        return f"{r['n']}/{r['of']} {100 * r['fraction']:.0f}%"
    return str(r)


def pct(r):
    if not isinstance(r, dict) or not r["of"]:
        return "·"
    return f"{100 * r['fraction']:.0f}%"


def summary_table(out):
    """One line per category, each cell "tune | heldout" (percentages; counts are in the tables below)."""
    cols = [("flagged", "flagged"), ("flagged_by_pixels", "flagged by pixels"),
            ("identifying_boxes_covered", f"id. boxes cov≥{int(COVER * 100)}%"),
            ("identifying_boxes_covered_strict", f"cov≥{int(STRICT * 100)}%"),
            ("all_boxes_covered", f"all boxes cov≥{int(COVER * 100)}%"),
            ("identifying_boxes_blacked_out", "id. boxes blacked out"),
            ("outputs_bia_no_with_text_left", "BIA NO + text left (by deid)"),
            ("clean_with_any_region", "clean: any region"), ("ms_per_frame", "ms/frame")]
    lines = ["## summary (tune / heldout)", "| category | " + " | ".join(n for _, n in cols) + " |",
             "|---" * (len(cols) + 1) + "|"]
    rows = list(out["per_category"].items()) + [("**all**", out["per_split"])]
    for cat, per in rows:
        cells = []
        for key, _ in cols:
            t, h = per.get("tune", {}), per.get("heldout", {})
            if key == "outputs_bia_no_with_text_left":
                k2 = "outputs_bia_no_written_by_deid_with_text_left"
                cells.append(f"{t.get(key, '·')} ({t.get(k2, '·')}) / {h.get(key, '·')} ({h.get(k2, '·')})")
            elif key == "ms_per_frame":
                cells.append(f"{t.get(key, '·')} / {h.get(key, '·')}")
            else:
                cells.append(f"{pct(t.get(key))} / {pct(h.get(key))}")
        lines.append(f"| {cat} | " + " | ".join(cells) + " |")
    lines.append(f"\nclean CT/MR images with any region: {cell(out['clean_ctmr'].get('tune'))} (tune), "
                 f"{cell(out['clean_ctmr'].get('heldout'))} (heldout); name/ID read exactly: "
                 f"{cell(out['per_split'].get('tune', {}).get('name_id_read_exactly'))} / "
                 f"{cell(out['per_split'].get('heldout', {}).get('name_id_read_exactly'))}; matched: "
                 f"{cell(out['per_split'].get('tune', {}).get('name_id_matched'))} / "
                 f"{cell(out['per_split'].get('heldout', {}).get('name_id_matched'))}")
    return "\n".join(lines)


def print_tables(out):
    cols = [("flagged", "files flagged"), ("flagged_by_pixels", "flagged by pixels"),
            ("identifying_boxes_covered", f"id. boxes cov>={int(COVER * 100)}%"),
            ("identifying_boxes_covered_strict", f"id. boxes cov>={int(STRICT * 100)}%"),
            ("all_boxes_covered", f"all boxes cov>={int(COVER * 100)}%"),
            ("name_id_read_exactly", "name/ID read"), ("name_id_matched", "name/ID matched"),
            ("identifying_boxes_blacked_out", "id. boxes blacked out"),
            ("outputs_bia_no_with_text_left", "BIA NO, text left"),
            ("outputs_bia_no_written_by_deid_with_text_left", "BIA NO written by deid, text left"),
            ("clean_with_any_region", "clean: any region"), ("ms_per_frame", "ms/frame")]
    lines = []
    splits = ["tune", "heldout"]
    lines.append(summary_table(out))
    for key, name in cols:
        lines.append(f"\n## {name}")
        lines.append("| category | tune | heldout |")
        lines.append("|---|---|---|")
        for cat, per in out["per_category"].items():
            vals = [cell(per.get(s, {}).get(key)) for s in splits]
            if all(v in ("-", "n/a") for v in vals):
                continue          # nothing of this kind in the category (e.g. no clean file)
            lines.append(f"| {cat} | {vals[0]} | {vals[1]} |")
        lines.append(f"| **all** | {cell(out['per_split'].get('tune', {}).get(key))} | "
                     f"{cell(out['per_split'].get('heldout', {}).get(key))} |")
    lines.append("\n## clean CT/MR images with any region")
    lines.append(f"| tune | heldout |\n|---|---|\n| {cell(out['clean_ctmr'].get('tune'))} | {cell(out['clean_ctmr'].get('heldout'))} |")
    lines.append("\n## clean images with any region, by source image")
    lines.append("| source | split | files with a region |\n|---|---|---|")
    for s in splits:
        for k, r in out["clean_by_source"].get(s, {}).items():
            lines.append(f"| {k} | {s} | {cell(r)} |")
    for attr, per in out["by_attribute"].items():
        lines.append(f"\n## identifying boxes covered >= {int(COVER * 100)}%, by {attr}")
        lines.append("| value | tune | heldout |\n|---|---|---|")
        keys = sorted(set(per.get("tune", {})) | set(per.get("heldout", {})))
        for k in keys:
            lines.append(f"| {k} | {cell(per.get('tune', {}).get(k))} | {cell(per.get('heldout', {}).get(k))} |")
    return "\n".join(lines)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=os.path.join(root, "target", "release", "dicom-leakcheck"))
    ap.add_argument("--set", default=os.path.join(root, ".cache", "burned-in", "set"))
    ap.add_argument("--out", default=os.path.join(root, "test-artifacts", "burned-in"))
    ap.add_argument("--no-deid", action="store_true", help="skip the deid run and its figures")
    ap.add_argument("--split", choices=("tune", "heldout"), default=None,
                    help="score one part only (the other's cells print as n/a); tune while changing the product")
    args = ap.parse_args()
    args.cli = os.path.abspath(args.cli)
    out = score(args)
    text = print_tables(out)
    with open(os.path.join(args.out, "score.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    print(f"\nscore.json, score.md, boxes.jsonl and the inspect JSON are in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
