"""Builds the burned-in text benchmark set: public images with text drawn in code, a tuning part
and a held-out part, and the ground truth of every text box.

    python build_set.py [--cache .cache/burned-in] [--out .cache/burned-in/set]

Writes (all git-ignored, nothing here is committed):
    OUT/<split>/<category>/<id>.dcm   the DICOM files (split: tune or heldout)
    OUT/masks/<id>.npz                each box's glyph mask (for the scorer's "is the text gone")
    OUT/manifest.json                 every file: split, category, source, header, ground truth

Deterministic: every file's random choices come from a generator seeded with its own id, so the
same code and sources give the same bytes. See README.md for what each category means.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import time

import numpy as np

import fonts
from draw import draw_line, fill_rect, text_size
from dicom_writer import write_image, write_untouched
from identities import (DATE_FORMS, ID_FORMS, NAME_FORMS, age, date_form, id_form, make_identity,
                        name_form, physician_form)
from layouts import ATTR, BANNER_TEMPLATES, CORNER_TEMPLATES, NONIDENT_TEMPLATES, SCREENSHOT_TEMPLATES
from source_images import display8, load
from sources import PACKAGES, SOURCES

# Files per category in each split.
PLAN = [
    ("corner_labels", 28), ("over_anatomy", 20), ("window_mismatch", 12), ("mono1", 12),
    ("us_banner", 16), ("sc_screenshot", 12), ("multiframe_all", 6), ("multiframe_some", 6),
    ("header_mismatch", 14), ("nonidentifying", 10), ("clean_ctmr", 24), ("clean_other", 12),
]
COLOURS = {"white": (255, 255, 255), "yellow": (255, 230, 0), "green": (90, 255, 90), "cyan": (0, 230, 255),
           "orange": (255, 150, 20), "grey": (165, 165, 165), "black": (0, 0, 0), "darkblue": (15, 35, 125),
           "darkred": (135, 15, 15)}


def rng_for(file_id):
    return np.random.default_rng(int(hashlib.sha256(file_id.encode()).hexdigest()[:16], 16))


def pick(rng, xs):
    return xs[int(rng.integers(len(xs)))]


def sources_for(split, families, min_side=200):
    out = []
    for key, s in SOURCES.items():
        if s["split"] == split and s["family"] in families:
            out.append(key)
    return out


# ---- preparing a source: crop, downsample, keep track of the markers already in it -----------
def prepare(cache, key, rng, max_side=None, frames=1, avoid_markers=False):
    """Returns (frames array copy, SourceImage, preexisting marker boxes in the new coordinates).
    Large radiographs are reduced by an integer factor (area mean) or cropped, as exports are."""
    src = load(cache, key)
    if max_side is None:     # exports come at several sizes; this also keeps the set small
        max_side = int(pick(rng, [512, 768, 1024]))
    arr = src.frames[:frames].copy()
    markers = [dict(m) for m in SOURCES[key].get("preexisting", []) if isinstance(m, dict)]
    rows, cols = arr.shape[1:3]
    if max(rows, cols) > max_side:
        if rng.random() < 0.3 or avoid_markers:
            # a full-resolution crop (avoiding the markers when asked)
            ch, cw = min(rows, 800), min(cols, 800)
            for _ in range(50):
                y0, x0 = int(rng.integers(rows - ch + 1)), int(rng.integers(cols - cw + 1))
                if not avoid_markers or not any(_intersects((x0, y0, cw, ch), m) for m in markers):
                    break
            arr = arr[:, y0:y0 + ch, x0:x0 + cw]
            markers = [_clip({**m, "x": m["x"] - x0, "y": m["y"] - y0}, cw, ch) for m in markers]
        else:
            f = int(np.ceil(max(rows, cols) / max_side))
            r2, c2 = rows // f, cols // f
            a = arr[:, :r2 * f, :c2 * f].astype(np.float64)
            shape = (a.shape[0], r2, f, c2, f) + a.shape[3:]
            arr = np.rint(a.reshape(shape).mean(axis=(2, 4))).astype(src.frames.dtype)
            markers = [_clip({**m, "x": m["x"] // f, "y": m["y"] // f, "w": m["w"] // f, "h": m["h"] // f},
                             c2, r2) for m in markers]
    return np.ascontiguousarray(arr), src, [m for m in markers if m]


def _intersects(rect, m):
    x, y, w, h = rect
    return not (m["x"] >= x + w or m["x"] + m["w"] <= x or m["y"] >= y + h or m["y"] + m["h"] <= y)


def _clip(m, cols, rows):
    x0, y0 = max(m["x"], 0), max(m["y"], 0)
    x1, y1 = min(m["x"] + m["w"], cols), min(m["y"] + m["h"], rows)
    if x1 - x0 < m["w"] * 0.5 or y1 - y0 < m["h"] * 0.5:
        return None
    return {**m, "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0}


# ---- the text of one line -------------------------------------------------------------------
class Forms:
    """How this file writes its values (one choice per file, as one device would)."""

    def __init__(self, rng, mismatch=False):
        if mismatch:
            self.name = pick(rng, ["given_first", "initials", "initial_family", "title_case_comma", "comma"])
            self.id = pick(rng, ["no_separator", "spaced"])
            self.date = pick(rng, [d for d in DATE_FORMS if d != "compact"])
        else:
            self.name = pick(rng, NAME_FORMS)
            self.id = pick(rng, ID_FORMS[:1] * 3 + ID_FORMS[1:])
            self.date = pick(rng, DATE_FORMS)
        self.upper_inst = rng.random() < 0.4


def field_text(kind, idt, forms, rng):
    """(text, attribute keyword or None, form name)"""
    if kind == "name":
        return name_form(idt, forms.name), "PatientName", forms.name
    if kind == "id":
        return id_form(idt, forms.id), "PatientID", forms.id
    if kind == "dob":
        return date_form(idt.birth, forms.date), "PatientBirthDate", forms.date
    if kind == "date":
        return date_form(idt.study, forms.date), "StudyDate", forms.date
    if kind == "datetime":
        t = idt.study_time
        return f"{date_form(idt.study, forms.date)} {t[:2]}:{t[2:4]}:{t[4:]}", "StudyDate", forms.date
    if kind == "acc":
        return idt.accession, "AccessionNumber", "as_header"
    if kind == "inst":
        s = idt.institution
        return (s.upper() if forms.upper_inst else s), "InstitutionName", ("upper" if forms.upper_inst else "as_header")
    if kind == "ref":
        return "Dr. " + physician_form(idt), "ReferringPhysicianName", "title_given_first"
    if kind == "sex":
        return idt.sex, None, None
    if kind == "agesex":
        return f" ({age(idt)}Y {idt.sex})", None, None
    if kind == "wlww":
        return f"WL: {pick(rng, [40, 50, 300, 600])} WW: {pick(rng, [80, 350, 400, 1500])}", None, None
    if kind == "cw":
        return f"C {pick(rng, [35, 40, 60])} / W {pick(rng, [350, 400, 2000])}", None, None
    if kind == "seim":
        return f"Se: {rng.integers(1, 9)} Im: {rng.integers(1, 240)}", None, None
    if kind == "scale":
        return pick(rng, ["5 cm", "10 cm", "2 cm", "50 mm"]), None, None
    if kind == "orient":
        return pick(rng, ["L", "R", "A", "P", "H", "F"]), None, None
    if kind == "kvmas":
        return f"{pick(rng, [80, 100, 120, 140])} kV  {rng.integers(50, 400)} mAs", None, None
    if kind == "zoom":
        return f"Zoom: {pick(rng, ['1.0', '1.5', '2.0', '0.8'])}", None, None
    if kind == "thk":
        return f"Thk {pick(rng, ['1.0', '2.5', '5.0'])} mm", None, None
    if kind == "label":
        raise ValueError("labels are literal")
    raise ValueError(kind)


def line_text(fields, idt, forms, rng):
    parts, values, form = [], {}, {}
    for kind, literal in fields:
        if kind == "label":
            parts.append(literal)
            continue
        text, attr, how = field_text(kind, idt, forms, rng)
        parts.append(text)
        if attr:
            values[attr] = text
            form[attr] = how
    return "".join(parts), values, form


# ---- a canvas: stored frames plus the ground truth drawn on them ------------------------------
class Canvas:
    def __init__(self, frames, photometric, bits_stored, signed, split, rng, text_frames=None):
        self.frames = frames
        self.photometric = photometric
        self.bits_stored = bits_stored
        self.signed = signed
        self.rng = rng
        self.split = split
        self.lo = -(1 << (bits_stored - 1)) if signed else 0
        self.hi = (1 << (bits_stored - 1)) - 1 if signed else (1 << bits_stored) - 1
        self.nframes = frames.shape[0]
        self.text_frames = list(range(self.nframes)) if text_frames is None else text_frames
        f0 = frames[0]
        lum = f0.mean(axis=2) if f0.ndim == 3 else f0
        self.display = lum.astype(np.float32) if f0.ndim == 3 else display8(f0, photometric).astype(np.float32)
        self.boxes, self.masks, self.occupied = [], [], []

    @property
    def rows(self):
        return self.frames.shape[1]

    @property
    def cols(self):
        return self.frames.shape[2]

    def background(self, x, y, w, h):
        patch = self.display[y:y + h, x:x + w]
        m, s = float(patch.mean()), float(patch.std())
        kind = "dark" if m < 70 else "bright" if m > 160 else "mid"
        return kind + (" textured" if s > 28 else " uniform"), m

    def grey_ink(self, polarity, kind):
        """A stored value that shows as light or dark (display polarity), picked as exporters do:
        the top/bottom of the stored range, of the data, or what the window shows white/black."""
        light_high = self.photometric != "MONOCHROME1"
        want_high = (polarity == "light") == light_high
        data = self.frames[self.text_frames]
        if kind == "mid":
            return int((int(data.min()) + int(data.max())) // 2)
        if kind == "data":
            return int(data.max() if want_high else data.min())
        return self.hi if want_high else self.lo

    def style(self, cap_range, colour=None, polarity=None, ink_kind=None, bold=None, bitmap=None, font=None):
        r = self.rng
        return {
            "font": font or pick(r, fonts.fonts_for(self.split)),
            "cap": int(r.integers(cap_range[0], cap_range[1] + 1)),
            "bold": bool(r.random() < 0.25) if bold is None else bold,
            "bitmap": bool(r.random() < 0.4) if bitmap is None else bitmap,
            "colour": colour, "polarity": polarity,
            # one ink per block, as one exporter draws it
            "ink_kind": ink_kind or pick(r, ["range", "range", "data"]),
        }

    def ink_for(self, st, x, y, w, h):
        """Resolves the style's ink against the background under the box."""
        bg, mean = self.background(x, y, w, h)
        if self.frames.ndim == 4:
            rgb = COLOURS[st["colour"] or "white"]
            lum = sum(rgb) / 3
            return rgb, st["colour"] or "white", ("light" if lum > mean else "dark"), "rgb", bg
        polarity = st["polarity"] or ("light" if mean < 128 else "dark")
        kind = st["ink_kind"] or pick(self.rng, ["range", "range", "data"])
        if st["colour"] == "grey":
            kind = "mid"
        ink = self.grey_ink(polarity, kind)
        colour = "grey" if kind == "mid" else ("white" if polarity == "light" else "black")
        return ink, colour, polarity, kind, bg

    def put(self, text, values, form, x, y, st, extra=None):
        w, h = text_size(text, st["font"], st["cap"], st["bold"], st["bitmap"])
        ink, colour, polarity, kind, bg = self.ink_for(st, x, y, w, h)
        box, mask, size = draw_line(self.frames, self.text_frames, x, y, text, st["font"], st["cap"], ink,
                                    self.lo, self.hi, st["bold"], st["bitmap"])
        frames = "all" if len(self.text_frames) == self.nframes else list(self.text_frames)
        rec = {"id": f"b{len(self.boxes)}", "frames": frames, **box, "text": text,
               "values": values, "identifies": sorted(values), "form": form, "font": st["font"],
               "bold": st["bold"], "rendering": "bitmap" if st["bitmap"] else "antialiased",
               "cap_px": st["cap"], "font_size": size, "colour": colour,
               "ink_stored": list(ink) if isinstance(ink, tuple) else ink, "ink_kind": kind,
               "polarity": polarity, "background": bg, "preexisting": False,
               "glyph_pixels": int(mask.sum())}
        rec.update(extra or {})
        self.boxes.append(rec)
        self.masks.append(mask)
        self.occupied.append((x, y, w, h))
        return rec

    def free(self, x, y, w, h, pad=2):
        return all(x + w + pad <= ox or ox + ow + pad <= x or y + h + pad <= oy or oy + oh + pad <= y
                   for ox, oy, ow, oh in self.occupied)

    def add_preexisting(self, markers):
        for m in markers:
            self.boxes.append({"id": f"b{len(self.boxes)}", "frames": "all", "x": m["x"], "y": m["y"],
                               "w": m["w"], "h": m["h"], "text": m["text"], "values": {}, "identifies": [],
                               "preexisting": True})
            self.masks.append(None)


def layout_block(cv, lines, idt, forms, st, anchor, margin):
    """Draws a block of lines at a corner (tl, tr, bl, br). Shrinks the type (down to 5 px) and
    then moves the block away from earlier blocks until it fits; drops it when nothing fits."""
    texts = [line_text(fields, idt, forms, cv.rng) for fields in lines]
    cap = st["cap"]
    while cap >= 5:
        s = {**st, "cap": cap}
        sizes = [text_size(t, s["font"], cap, s["bold"], s["bitmap"]) for t, _, _ in texts]
        step = max(h for _, h in sizes) + max(2, cap // 2)
        block_h = step * len(texts)
        block_w = max(w for w, _ in sizes)
        if block_w + 2 * margin <= cv.cols and block_h + 2 * margin <= cv.rows:
            top = anchor[0] == "t"
            y0 = margin if top else cv.rows - margin - block_h
            for _ in range(cv.rows // 4):
                rects = []
                for i, (w, h) in enumerate(sizes):
                    x = margin if anchor[1] == "l" else cv.cols - margin - w
                    rects.append((x, y0 + i * step, w, h))
                if all(cv.free(*r) for r in rects) and 0 <= y0 and y0 + block_h <= cv.rows:
                    return [cv.put(t, v, f, x, y, s) for (t, v, f), (x, y, _, _) in zip(texts, rects)]
                y0 += 4 if top else -4
        cap -= 1
    return []


def place_bright(cv, lines, idt, forms, st):
    """Draws a block where the picture is brightest (text over bright anatomy)."""
    texts = [line_text(fields, idt, forms, cv.rng) for fields in lines]
    for cap in range(st["cap"], 4, -1):
        s = {**st, "cap": cap}
        sizes = [text_size(t, s["font"], cap, s["bold"], s["bitmap"]) for t, _, _ in texts]
        step = max(h for _, h in sizes) + max(2, cap // 2)
        bh, bw = step * len(texts), max(w for w, _ in sizes)
        if bw + 8 > cv.cols or bh + 8 > cv.rows:
            continue
        best, best_score = None, -1.0
        stride = max(4, min(cv.rows, cv.cols) // 48)
        for y in range(4, cv.rows - bh - 4, stride):
            for x in range(4, cv.cols - bw - 4, stride):
                if not cv.free(x, y, bw, bh, pad=6):
                    continue
                score = float(cv.display[y:y + bh, x:x + bw].mean())
                if score > best_score:
                    best, best_score = (x, y), score
        if best is None:
            continue
        x, y = best
        return [cv.put(t, v, f, x, y + i * step, s) for i, (t, v, f) in enumerate(texts)]
    return []


# ---- categories -------------------------------------------------------------------------------
GREY_FAMILIES = ("CT", "MR", "CR", "DX")


def text_sources(split, families):
    keys = sources_for(split, families)
    return [k for k in keys if k not in ("ct_small", "mr_small", "mr_emri_mf")]


def gen_corners(ctx, mismatch=False, bright=False, nonident=False):
    split, rng, idt = ctx["split"], ctx["rng"], ctx["idt"]
    key = pick(rng, text_sources(split, GREY_FAMILIES))
    arr, src, markers = prepare(ctx["cache"], key, rng)
    photometric, bits, signed = src.photometric, src.bits_stored, src.signed
    window, rescale = "keep", "keep"
    variant = "native"
    if not bright and not nonident and rng.random() < 0.25:
        # an 8-bit export with a window that fits it
        arr, bits, signed = to8(arr, photometric), 8, False
        window, rescale, variant = (127.5, 255), None, "requantized_8bit"
    cv = Canvas(arr, photometric, bits, signed, split, rng)
    cv.add_preexisting(markers)
    forms = Forms(rng, mismatch)
    if nonident:
        template_name, template = split + "_nonident", NONIDENT_TEMPLATES[split]
    else:
        template_name = pick(rng, sorted(CORNER_TEMPLATES[split]))
        template = CORNER_TEMPLATES[split][template_name]
    st = cv.style((5, 9))
    margin = int(rng.integers(2, 14))
    for anchor, lines in template.items():
        identifying = any(k in ATTR for fields in lines for k, _ in fields)
        if bright and identifying:
            s = {**st, "polarity": pick(rng, ["light", "dark"])}
            place_bright(cv, lines, idt, forms, s)
        else:
            layout_block(cv, lines, idt, forms, st, anchor, margin)
    return dict(canvas=cv, src=src, key=key, layout=template_name, variant=variant, window=window,
                rescale=rescale, bia=pick(rng, [None, None, "NO"]), rle=rng.random() < 0.1)


def to8(arr, photometric):
    """An 8-bit export of a grey image: percentile window, as a viewer saves it."""
    out = np.stack([display8(f, "MONOCHROME2") for f in arr])
    return out.astype(np.uint8)


def gen_window_mismatch(ctx):
    """The stored window does not fit the stored values: the preview is black or white unless the
    viewer ignores the window. Text is drawn at the top or bottom of what is stored."""
    split, rng, idt = ctx["split"], ctx["rng"], ctx["idt"]
    key = pick(rng, text_sources(split, ("CT", "MR")))
    arr, src, markers = prepare(ctx["cache"], key, rng)
    if src.family == "CT" or rng.random() < 0.5:
        # CT saved as 0-255 with the CT rescale and soft-tissue window kept (the case)
        arr, bits, signed = to8(arr, "MONOCHROME2"), 8, False
        window, rescale, variant = (40, 400), (1, -1024), "ct8_rescale_-1024_window_40_400"
        if rng.random() < 0.5:
            arr = arr.astype(np.uint16)
            variant += "_16bit_container"
    else:
        bits, signed = src.bits_stored, src.signed
        hi = int(arr.max())
        window, rescale, variant = (hi * 4 + 1000, 200), "keep", "window_above_data"
    cv = Canvas(arr, "MONOCHROME2", bits, signed, split, rng)
    forms = Forms(rng)
    template_name = pick(rng, sorted(CORNER_TEMPLATES[split]))
    st = cv.style((5, 9), ink_kind="range")
    margin = int(rng.integers(2, 14))
    for anchor, lines in CORNER_TEMPLATES[split][template_name].items():
        layout_block(cv, lines, idt, forms, st, anchor, margin)
    return dict(canvas=cv, src=src, key=key, layout=template_name, variant=variant, window=window,
                rescale=rescale, bia=pick(rng, [None, "NO"]), rle=False)


def gen_mono1(ctx):
    split, rng, idt = ctx["split"], ctx["rng"], ctx["idt"]
    keys = text_sources(split, ("CR", "DX")) + text_sources(split, ("CT", "MR"))
    key = pick(rng, keys)
    arr, src, markers = prepare(ctx["cache"], key, rng)
    bits, signed = src.bits_stored, src.signed
    variant = "native_mono1"
    if src.photometric != "MONOCHROME1":
        # invert into MONOCHROME1 (same picture on screen, reversed stored values)
        lo, hi = int(arr.min()), int(arr.max())
        arr = (hi + lo - arr.astype(np.int64)).astype(arr.dtype)
        variant = "inverted_to_mono1"
    window = "keep" if src.photometric == "MONOCHROME1" else None
    cv = Canvas(arr, "MONOCHROME1", bits, signed, split, rng)
    cv.add_preexisting(markers)
    forms = Forms(rng)
    template_name = pick(rng, sorted(CORNER_TEMPLATES[split]))
    st = cv.style((5, 9))
    margin = int(rng.integers(2, 14))
    for anchor, lines in CORNER_TEMPLATES[split][template_name].items():
        layout_block(cv, lines, idt, forms, st, anchor, margin)
    return dict(canvas=cv, src=src, key=key, layout=template_name, variant=variant, window=window,
                rescale="keep", bia=pick(rng, [None, None, "NO"]), rle=rng.random() < 0.15)


def draw_banner(cv, template, idt, forms, blank_top, rng):
    """Paints the top band (over the source's own banner) and writes the banner rows."""
    rgb = cv.frames.ndim == 4
    st = cv.style((7, 16), bitmap=bool(rng.random() < 0.5))
    st["cap"] = min(st["cap"], max(7, cv.cols // 60))
    rows = [[(anchor, line_text(fields, idt, forms, rng)) for anchor, fields in row] for row in template]
    band_colour = pick(rng, [(0, 0, 0), (18, 30, 72), (40, 40, 40)]) if rgb else pick(rng, [0, 24])
    for cap in range(st["cap"], 5, -1):
        s = {**st, "cap": cap}
        step = int(cap * 1.9) + 2
        band = max(blank_top, 6 + step * len(rows))
        ok = True
        placed = []
        for r, row in enumerate(rows):
            sizes = [text_size(t, s["font"], cap, s["bold"], s["bitmap"]) for _, (t, _, _) in row]
            if sum(w for w, _ in sizes) + 12 * (len(row) + 1) > cv.cols:
                ok = False
                break
            for (anchor, txt), (w, h) in zip(row, sizes):
                x = 8 if anchor == "l" else (cv.cols - w) // 2 if anchor == "c" else cv.cols - 8 - w
                placed.append((txt, x, 4 + r * step, s))
        if not ok or band > cv.rows // 3:
            continue
        for f in range(cv.nframes):
            fill_rect(cv.frames[f], 0, 0, cv.cols, band, band_colour)
        cv.display[:band] = float(np.mean(band_colour))
        colour = pick(rng, ["white", "yellow", "cyan", "green", "grey"]) if rgb else None
        for (t, v, fm), x, y, s in placed:
            grey = None if rgb else pick(rng, [None, None, "grey"])
            cv.put(t, v, fm, x, y, {**s, "colour": colour or grey, "polarity": "light", "ink_kind": "range"},
                   extra={"band_rows": band})
        return True
    return False


def gen_us_banner(ctx, frames=1, text_frames=None):
    split, rng, idt = ctx["split"], ctx["rng"], ctx["idt"]
    key = pick(rng, sources_for(split, ("US",)) if frames == 1 else ctx["us_cine"])
    arr, src, _ = prepare(ctx["cache"], key, rng, frames=frames, max_side=1024)   # US at its own size
    cv = Canvas(arr, src.photometric, src.bits_stored, src.signed, split, rng, text_frames=text_frames)
    forms = Forms(rng, ctx.get("mismatch", False))
    template_name = pick(rng, sorted(BANNER_TEMPLATES[split]))
    draw_banner(cv, BANNER_TEMPLATES[split][template_name], idt, forms, SOURCES[key].get("blank_top", 0), rng)
    return dict(canvas=cv, src=src, key=key, layout=template_name, variant="banner_over_source_banner",
                window="keep" if src.photometric != "RGB" else None, rescale=None,
                bia=pick(rng, [None, None, "NO", "YES"]), rle=rng.random() < 0.1,
                preexisting_text=SOURCES[key].get("preexisting"))


def gen_screenshot(ctx):
    """A screen save: the picture in a viewport with the patient's details around and over it."""
    from PIL import Image
    split, rng, idt = ctx["split"], ctx["rng"], ctx["idt"]
    key = pick(rng, text_sources(split, ("CT", "MR", "CR", "DX", "SC")))
    arr, src, markers = prepare(ctx["cache"], key, rng)
    f0 = arr[0]
    pic = f0 if f0.ndim == 3 else np.repeat(display8(f0, src.photometric)[..., None], 3, axis=2)
    W, H = pick(rng, [(1024, 640), (960, 600), (800, 600)])
    name = pick(rng, sorted(SCREENSHOT_TEMPLATES[split]))
    t = SCREENSHOT_TEMPLATES[split][name]
    canvas = np.zeros((1, H, W, 3), np.uint8)
    canvas[0, :, :] = t["canvas"]
    forms = Forms(rng)
    font = pick(rng, fonts.fonts_for(split))
    if name == "dark_viewer":
        bar_h = 28
        canvas[0, :bar_h] = t["bar"]
        vx, vy, vw, vh = 8, bar_h + 8, W - 16, H - bar_h - 40
    else:
        panel_w = W // 3
        canvas[0, :, W - panel_w:] = t["panel"]
        vx, vy, vw, vh = 12, 12, W - panel_w - 24, H - 24
    im = Image.fromarray(pic)
    im.thumbnail((vw, vh))
    px, py = vx + (vw - im.width) // 2, vy + (vh - im.height) // 2
    canvas[0, py:py + im.height, px:px + im.width] = np.asarray(im)[..., :3]
    cv = Canvas(canvas, "RGB", 8, False, split, rng)
    scale_x, scale_y = im.width / f0.shape[1], im.height / f0.shape[0]
    cv.add_preexisting([{**m, "x": px + int(m["x"] * scale_x), "y": py + int(m["y"] * scale_y),
                         "w": max(1, int(m["w"] * scale_x)), "h": max(1, int(m["h"] * scale_y))} for m in markers])
    colours = t["colours"]
    if name == "dark_viewer":
        x = 10
        for fields in t["bar_lines"]:
            txt, v, fm = line_text(fields, idt, forms, rng)
            st = cv.style((8, 12), colour=pick(rng, colours), font=font)
            st["cap"] = min(st["cap"], 12)
            w, h = text_size(txt, font, st["cap"], st["bold"], st["bitmap"])
            if x + w > W - 8:
                break
            cv.put(txt, v, fm, x, (bar_h - h) // 2, st)
            x += w + 24
        sub = Canvas.__new__(Canvas)
        for anchor, lines in t["overlay"].items():
            st = cv.style((6, 10), colour=pick(rng, colours), font=font)
            _overlay(cv, lines, idt, forms, st, anchor, (px, py, im.width, im.height))
        x = 10
        for fields in t["status"]:
            txt, v, fm = line_text(fields, idt, forms, rng)
            st = cv.style((7, 10), colour="grey", font=font)
            w, h = text_size(txt, font, st["cap"], st["bold"], st["bitmap"])
            if x + w <= W - 8:
                cv.put(txt, v, fm, x, H - 8 - h, st)
            x += w + 30
    else:
        y = 24
        title = cv.style((12, 14), colour="darkblue", bold=True, font=font)
        cv.put("Imaging report", {}, {}, W - W // 3 + 16, y, title)
        y += 40
        for label, fields in t["table"]:
            st = cv.style((8, 11), colour="grey", font=font, bitmap=False)
            w, h = text_size(label, font, st["cap"], st["bold"], st["bitmap"])
            cv.put(label, {}, {}, W - W // 3 + 16, y, st)
            txt, v, fm = line_text(fields, idt, forms, rng)
            st2 = cv.style((8, 11), colour=pick(rng, colours[:3]), font=font, bitmap=False)
            w2, h2 = text_size(txt, font, st2["cap"], st2["bold"], st2["bitmap"])
            if W - W // 3 + 16 + w2 < W - 4:
                cv.put(txt, v, fm, W - W // 3 + 16, y + h + 6, st2)
            y += h + h2 + 22
        for anchor, lines in t["overlay"].items():
            st = cv.style((7, 11), colour="white", font=font)
            _overlay(cv, lines, idt, forms, st, anchor, (px, py, im.width, im.height))
    return dict(canvas=cv, src=src, key=key, layout=name, variant="screen_save", window=None, rescale=None,
                bia=pick(rng, [None, "YES", "NO"]), rle=False, sc=True)


def _overlay(cv, lines, idt, forms, st, anchor, viewport):
    """A corner block inside the viewport (over the picture)."""
    px, py, pw, ph = viewport
    sub_rows, sub_cols = ph, pw
    texts = [line_text(fields, idt, forms, cv.rng) for fields in lines]
    sizes = [text_size(t, st["font"], st["cap"], st["bold"], st["bitmap"]) for t, _, _ in texts]
    step = max(h for _, h in sizes) + max(2, st["cap"] // 2)
    top = anchor[0] == "t"
    for i, ((t, v, f), (w, h)) in enumerate(zip(texts, sizes)):
        x = px + 6 if anchor[1] == "l" else px + pw - 6 - w
        y = py + 6 + i * step if top else py + ph - 6 - (len(texts) - i) * step
        if x < 0 or y < 0 or x + w > cv.cols or y + h > cv.rows or w > pw - 12 or not cv.free(x, y, w, h):
            continue
        cv.put(t, v, f, x, y, st)


def gen_multiframe(ctx, all_frames):
    split, rng, idt = ctx["split"], ctx["rng"], ctx["idt"]
    key = pick(rng, ctx["mf_sources"])
    src0 = load(ctx["cache"], key)
    n = min(src0.frames.shape[0], 3 if src0.is_rgb and src0.frames.shape[1] > 400 else 10)
    if all_frames:
        text_frames = None
        which = "all"
    else:
        choice = pick(rng, ["first_half", "one_frame", "every_other"])
        text_frames = {"first_half": list(range(max(1, n // 2))), "one_frame": [int(rng.integers(n))],
                       "every_other": list(range(0, n, 2))}[choice]
        if n == 2:
            text_frames = [int(rng.integers(2))]
            choice = "one_frame"
        which = choice
    if src0.family == "US":
        ctx = {**ctx, "us_cine": [key]}
        out = gen_us_banner(ctx, frames=n, text_frames=text_frames)
    else:
        arr, src, _ = prepare(ctx["cache"], key, rng, frames=n)
        if arr.shape[1] < 200:   # the 64x64 enhanced MR: shown 4x larger, as a viewer exports it
            arr = np.repeat(np.repeat(arr, 4, axis=1), 4, axis=2)
        cv = Canvas(arr, src.photometric, src.bits_stored, src.signed, split, rng, text_frames=text_frames)
        forms = Forms(rng)
        template_name = pick(rng, sorted(CORNER_TEMPLATES[split]))
        st = cv.style((5, 9))
        margin = int(rng.integers(2, 14))
        for anchor, lines in CORNER_TEMPLATES[split][template_name].items():
            layout_block(cv, lines, idt, forms, st, anchor, margin)
        out = dict(canvas=cv, src=src, key=key, layout=template_name, variant="upsampled_x4"
                   if src.frames.shape[1] < 200 else "native", window="keep", rescale="keep",
                   bia=pick(rng, [None, "NO"]), rle=rng.random() < 0.2)
    out["variant"] = out["variant"] + "; text on " + which + " frames"
    return out


# ---- negatives -----------------------------------------------------------------------------
def gen_clean(ctx, families):
    split, rng, idt = ctx["split"], ctx["rng"], ctx["idt"]
    keys = [k for k in sources_for(split, families) if not SOURCES[k].get("preexisting")
            or isinstance(SOURCES[k]["preexisting"], list)]
    key = keys[ctx["index"] % len(keys)]
    src = load(ctx["cache"], key)
    has_markers = bool(SOURCES[key].get("preexisting"))
    options = ["untouched", "rewindowed", "requantized_8bit", "mono1_inverted", "rle", "downsampled"]
    if src.is_rgb:
        options = ["untouched", "downsampled", "rle"]
    if src.family == "CT":
        options.append("ct8_rescale_-1024_window_40_400")
    if has_markers:
        options = ["crop_without_marker"]
    variant = options[(ctx["index"] // len(keys)) % len(options)]
    if variant == "untouched":
        return dict(untouched=True, src=src, key=key, variant=variant)
    frames = src.frames.shape[0]
    arr, _, markers = prepare(ctx["cache"], key, rng, frames=frames, avoid_markers=has_markers,
                              max_side=1024 if variant != "downsampled" else 600)
    if has_markers and markers:
        raise RuntimeError("a clean crop still shows a marker")
    photometric, bits, signed = src.photometric, src.bits_stored, src.signed
    window, rescale, rle = "keep", "keep", False
    if variant == "rewindowed":
        lo, hi = np.percentile(arr, [1, 99])
        window = (float(lo + hi) / 2, float(max(hi - lo, 1)))
    elif variant == "requantized_8bit":
        arr, bits, signed, window, rescale = to8(arr, photometric), 8, False, (127.5, 255), None
        if photometric == "MONOCHROME1":
            arr = 255 - arr
    elif variant == "ct8_rescale_-1024_window_40_400":
        arr, bits, signed, window, rescale = to8(arr, photometric), 8, False, (40, 400), (1, -1024)
    elif variant == "mono1_inverted":
        lo, hi = int(arr.min()), int(arr.max())
        arr = (hi + lo - arr.astype(np.int64)).astype(arr.dtype)
        photometric = "MONOCHROME1" if photometric == "MONOCHROME2" else "MONOCHROME2"
        window = None
    elif variant == "rle":
        rle = True
    cv = Canvas(arr, photometric, bits, signed, split, rng)
    return dict(canvas=cv, src=src, key=key, layout=None, variant=variant, window=window, rescale=rescale,
                bia=None, rle=rle)


GENERATORS = {
    "corner_labels": lambda c: gen_corners(c),
    "over_anatomy": lambda c: gen_corners(c, bright=True),
    "window_mismatch": gen_window_mismatch,
    "mono1": gen_mono1,
    "us_banner": lambda c: gen_us_banner(c),
    "sc_screenshot": gen_screenshot,
    "multiframe_all": lambda c: gen_multiframe(c, True),
    "multiframe_some": lambda c: gen_multiframe(c, False),
    "header_mismatch": lambda c: (gen_us_banner({**c, "mismatch": True}) if c["index"] % 3 == 2
                                  else gen_corners(c, mismatch=True)),
    "nonidentifying": lambda c: gen_corners(c, nonident=True),
    "clean_ctmr": lambda c: gen_clean(c, ("CT", "MR")),
    "clean_other": lambda c: gen_clean(c, ("CR", "DX", "SC")),
}
MF_SOURCES = {"tune": ["mr_emri_mf", "us_cine_ybr"], "heldout": ["ct_enhanced_2f", "us_echo_cine"]}


def build_one(cache, out, split, category, index):
    file_id = f"{split}-{category}-{index:03d}"
    rng = rng_for(file_id)
    idt = make_identity(rng)
    if category == "header_mismatch":     # an ID with a separator, so "without its dash" means something
        while "-" not in idt.patient_id:
            idt = make_identity(rng)
    ctx = {"split": split, "rng": rng, "idt": idt, "cache": cache, "index": index,
           "mf_sources": MF_SOURCES[split]}
    g = GENERATORS[category](ctx)
    rel = f"{split}/{category}/{file_id}.dcm"
    path = os.path.join(out, rel)
    header = idt.header()
    if g.get("untouched"):
        ds = write_untouched(path, g["src"].ds, header, file_id)
        boxes, masks = [], []
        frames = int(ds.get("NumberOfFrames", 1) or 1)
    else:
        cv = g["canvas"]
        ds = write_image(path, g["src"].ds, cv.frames, cv.photometric, cv.bits_stored, cv.signed, header,
                         file_id, window=g["window"], rescale=g["rescale"], bia=g["bia"], rle=g["rle"],
                         sc=g.get("sc", False))
        boxes, masks = cv.boxes, cv.masks
        frames = cv.nframes
    drawn = [b for b in boxes if not b.get("preexisting")]
    if not category.startswith("clean") and not drawn:
        raise RuntimeError(f"{file_id}: no text could be placed")
    if any(m is not None for m in masks):
        np.savez_compressed(os.path.join(out, "masks", file_id + ".npz"),
                            **{b["id"]: m for b, m in zip(boxes, masks) if m is not None})
    s = SOURCES[g["key"]]
    return {
        "id": file_id, "path": rel, "split": split, "category": category,
        "source": {"key": g["key"], "package": PACKAGES[s["pkg"]]["spec"], "file": s["path"], "note": s["note"]},
        "family": s["family"], "modality": str(ds.get("Modality", "")), "sop_class": str(ds.SOPClassUID),
        "rows": int(ds.Rows), "cols": int(ds.Columns), "frames": frames,
        "photometric": str(ds.PhotometricInterpretation), "bits_allocated": int(ds.BitsAllocated),
        "bits_stored": int(ds.BitsStored), "signed": bool(ds.PixelRepresentation),
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "window": [str(ds.get("WindowCenter")), str(ds.get("WindowWidth"))] if "WindowCenter" in ds else None,
        "rescale": [str(ds.get("RescaleSlope")), str(ds.get("RescaleIntercept"))] if "RescaleIntercept" in ds else None,
        "burned_in_annotation": ds.get("BurnedInAnnotation"),
        "header": header, "layout": g.get("layout"), "variant": g["variant"],
        "preexisting_text": g.get("preexisting_text") or (s.get("preexisting") if isinstance(s.get("preexisting"), str) else None),
        "has_text": bool(boxes), "has_identifying_text": any(b["identifies"] for b in boxes),
        "clean": not boxes, "boxes": boxes,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=os.path.join(root, ".cache", "burned-in"))
    ap.add_argument("--out", default=None, help="default: CACHE/set")
    ap.add_argument("--only", default=None, help="build only categories whose name contains this (debugging)")
    args = ap.parse_args()
    fonts.check_installed()
    out = args.out or os.path.join(args.cache, "set")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "masks"))
    t0 = time.time()
    files = []
    for split in ("tune", "heldout"):
        for category, count in PLAN:
            if args.only and args.only not in category:
                continue
            os.makedirs(os.path.join(out, split, category), exist_ok=True)
            for i in range(count):
                files.append(build_one(args.cache, out, split, category, i))
    manifest = {
        "generator": "bench/burned_in/build_set.py",
        "sources": {k: {kk: v[kk] for kk in ("spec", "file", "sha256", "licence")} for k, v in PACKAGES.items()},
        "fonts": {n: {"files": [r, b], "split": s} for n, (r, b, s) in fonts.FONTS.items()},
        "plan": PLAN, "files": files,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    size = sum(os.path.getsize(os.path.join(out, x["path"])) for x in files)
    print(f"build_set: {len(files)} files, {size / 1e6:.0f} MB, {time.time() - t0:.0f} s -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
